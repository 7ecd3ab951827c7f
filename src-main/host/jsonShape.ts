/**
 * What a request's arguments may be before any schema sees them: plain JSON (null, booleans, finite or
 * non-finite numbers, strings, arrays and plain objects) nested at most {@link MAX_ARGS_DEPTH} levels, with at
 * most {@link MAX_ARGS_NODES} values in all. The walk is iterative, so a value nested 100,000 levels deep is
 * reported, not a stack overflow; a BigInt, a function or a class instance (which Electron's IPC can carry)
 * is named with where it sits.
 */

/** Deepest nesting any request needs is about 5 (a portfolio's legs); 64 leaves room and stops abuse. */
export const MAX_ARGS_DEPTH = 64;
/** More values than any request carries (a 1 MB message holds at most ~500k numbers). */
export const MAX_ARGS_NODES = 2_000_000;

export interface ShapeProblem {
  /** Dotted path of the offending value, `(request)` for the top. */
  field: string;
  message: string;
}

const kindOf = (v: unknown): string => {
  if (typeof v === 'bigint') return 'a BigInt (send numbers as JSON numbers)';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'object' && v !== null) return `a ${(v as object).constructor?.name ?? 'non-plain'} object`;
  return typeof v;
};

/** The first way `args` is not plain JSON within the limits, or null. */
export function jsonShapeProblem(args: unknown): ShapeProblem | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: args, path: '', depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    const field = path || '(request)';
    if (++nodes > MAX_ARGS_NODES) return { field: '(request)', message: `the request holds more than ${MAX_ARGS_NODES.toLocaleString('en-US')} values` };
    if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') continue;
    if (typeof v !== 'object') return { field, message: `must be JSON, got ${kindOf(v)}` };
    if (depth >= MAX_ARGS_DEPTH) return { field: '(request)', message: `values are nested more than ${MAX_ARGS_DEPTH} levels deep` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: path ? `${path}.${i}` : String(i), depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return { field, message: `must be JSON, got ${kindOf(v)}` };
    for (const k of Object.keys(v)) stack.push({ v: (v as Record<string, unknown>)[k], path: path ? `${path}.${k}` : k, depth: depth + 1 });
  }
  return null;
}

/** JSON text of a value for a message, cut to `max` characters with `…` (never throws). */
export function valuePreview(v: unknown, max = 60): string {
  let s: string;
  try {
    s = typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
