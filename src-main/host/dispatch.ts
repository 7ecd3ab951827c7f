import { appError, toAppError, type FieldError } from '../../src-shared/api/errors';
import { decodeResult } from './reply';
import { requestSchemas, type Method, type Parsed, type Res, type RpcResponse } from '../../src-shared/api/contract';

/** The handler table both transports serve. Derived from the contract, so a missing handler is a type error. */
export type HandlerTable = { [M in Method]: (args: Parsed<M>) => Res<M> | Promise<Res<M>> };

const isMethod = (m: string): m is Method => Object.prototype.hasOwnProperty.call(requestSchemas, m);

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Zod issues as one FieldError per field, naming the field and the value that was received. */
export function fieldErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code?: string; keys?: string[] }>, args: unknown): FieldError[] {
  return issues.flatMap((iss) => {
    if (iss.code === 'unrecognized_keys' && iss.keys) {
      return iss.keys.map((k) => ({ field: [...iss.path, k].join('.'), message: `unknown field "${k}"`, value: valueAt(args, [...iss.path, k]) }));
    }
    const field = iss.path.map(String).join('.') || '(request)';
    return [{ field, message: iss.message, value: jsonSafe(valueAt(args, iss.path)) }];
  });
}

const jsonSafe = (v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

/**
 * Validate one call and run its handler. Never throws: every failure comes back as an AppError, so a
 * malformed or unknown message cannot crash the host. A result a read worker already encoded
 * (`EncodedResult`) is parsed for in-process callers, and left encoded with `{ encoded: true }` (the
 * WebSocket host splices it into the reply without stringifying it on the request thread).
 */
export async function dispatch(table: HandlerTable, id: number, method: string, args: unknown, opts: { encoded?: boolean } = {}): Promise<RpcResponse> {
  try {
    if (!isMethod(method)) throw appError('protocol', 'UNKNOWN_METHOD', `unknown method "${method}"`);
    const parsed = requestSchemas[method].safeParse(args ?? {});
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error.issues, args);
      const summary = fields.map((f) => `${f.field}: ${f.message} (got ${JSON.stringify(f.value)})`).join('; ');
      throw appError('validation', 'INVALID_INPUT', `invalid ${method} request — ${summary}`, fields);
    }
    const handler = table[method] as (a: unknown) => unknown;
    const result = await handler(parsed.data);
    return opts.encoded ? { id, ok: true, result } : decodeResult({ id, ok: true, result });
  } catch (e) {
    return { id, ok: false, error: toAppError(e) };
  }
}
