import { appError, toAppError, type FieldError } from '../../src-shared/api/errors';
import { domainOf, fieldLabel, labelMessage, type LabelContext } from '../../src-shared/api/fieldLabels';
import { requestSchemas, type Method, type RpcResponse } from '../../src-shared/api/contract';
import { type HandlerTable } from '../../src-shared/api/handlers';
import { jsonShapeProblem, valuePreview } from './jsonShape';
import { decodeResult } from './reply';

const isMethod = (m: string): m is Method => Object.prototype.hasOwnProperty.call(requestSchemas, m);

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * Zod issues as one FieldError per field, naming the field (its key, and its label as the screen shows it)
 * and the value that was received. `ctx` says which tab's names to use (see src-shared/api/fieldLabels.ts).
 */
export function fieldErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code?: string; keys?: string[] }>, args: unknown, ctx: LabelContext = {}): FieldError[] {
  return issues.flatMap((iss) => {
    if (iss.code === 'unrecognized_keys' && iss.keys) {
      return iss.keys.map((k) => ({ field: [...iss.path, k].join('.'), label: fieldLabel([...iss.path, k], ctx), message: `unknown field ${valuePreview(k, 40)}`, value: jsonSafe(valueAt(args, [...iss.path, k])) }));
    }
    const field = iss.path.map(String).join('.') || '(request)';
    return [{ field, label: fieldLabel(iss.path, ctx), message: labelMessage(iss.message, iss.path, ctx), value: jsonSafe(valueAt(args, iss.path)) }];
  });
}

/** "label: message (got value)" for each field, joined: the summary line of a validation error. */
export function fieldSummary(fields: readonly FieldError[], withValue = true): string {
  return fields
    .map((f) => {
      const name = f.label ?? f.field;
      return `${f.message.startsWith(`${name} `) ? f.message : `${name}: ${f.message}`}${withValue ? ` (got ${valuePreview(f.value)})` : ''}`;
    })
    .join('; ');
}

/** Asset names of a book in the request (`book.assets[].name` or `assets[].name`), when there is one. */
function assetNamesOf(args: unknown): string[] | undefined {
  const book = (valueAt(args, ['book']) ?? args) as { assets?: unknown } | undefined;
  const assets = book && typeof book === 'object' ? book.assets : undefined;
  if (!Array.isArray(assets)) return undefined;
  return assets.map((a, i) => (a && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string' && (a as { name: string }).name.trim() ? (a as { name: string }).name.trim() : `asset #${i + 1}`));
}


/** A rejected value as it can travel back: non-finite numbers as text, big values as a short JSON excerpt. */
const jsonSafe = (v: unknown): unknown => {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v !== null && typeof v === 'object') {
    const text = valuePreview(v, 200);
    return text.endsWith('…') ? text : v;
  }
  return typeof v === 'string' && v.length > 200 ? `${v.slice(0, 199)}…` : v;
};

/**
 * Validate one call and run its handler. Never throws: every failure comes back as an AppError, so a
 * malformed or unknown message cannot crash the host. A result a read worker already encoded
 * (`EncodedResult`) is parsed for in-process callers, and left encoded with `{ encoded: true }` (the
 * WebSocket host splices it into the reply without stringifying it on the request thread).
 */
export async function dispatch(table: HandlerTable, id: number, method: string, args: unknown, opts: { encoded?: boolean } = {}): Promise<RpcResponse> {
  try {
    if (!isMethod(method)) throw appError('protocol', 'UNKNOWN_METHOD', `unknown method ${valuePreview(method, 60)}`);
    const shape = jsonShapeProblem(args);
    if (shape) throw appError('validation', 'INVALID_INPUT', `invalid ${method} request — ${shape.field}: ${shape.message}`, [{ field: shape.field, message: shape.message, value: null }]);
    const parsed = requestSchemas[method].safeParse(args ?? {});
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error.issues, args, { domain: domainOf(method), assetNames: assetNamesOf(args) });
      throw appError('validation', 'INVALID_INPUT', `invalid ${method} request — ${fieldSummary(fields)}`, fields);
    }
    const handler = table[method] as (a: unknown) => unknown;
    const result = await handler(parsed.data);
    return opts.encoded ? { id, ok: true, result } : decodeResult({ id, ok: true, result });
  } catch (e) {
    return { id, ok: false, error: toAppError(e) };
  }
}
