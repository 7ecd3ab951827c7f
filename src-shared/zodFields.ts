import { z } from 'zod';

/**
 * Zod number fields whose error messages name the field (the wording every config schema uses):
 * `num('steps')` fails with "steps is required" / "steps must be a number".
 */
export const num = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? `${what} is required` : `${what} must be a number`) });

/**
 * A whole number in [lo, hi]; `unit` (e.g. ' years') is appended to the bound messages
 * ("steps must be >= 1", "horizon must be <= 30 years").
 */
export const int = (what: string, lo: number, hi: number, unit = '') =>
  num(what)
    .int(`${what} must be a whole number`)
    .min(lo, `${what} must be >= ${lo}${unit}`)
    .max(hi, `${what} must be <= ${hi}${unit}`);
