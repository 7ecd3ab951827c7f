import { fmtInt } from '../../app/format';

/**
 * The error of a typed path index, or null when it is empty or valid: a whole number in 0 .. paths - 1
 * (the simulated paths of a hedge run, as the schedule handlers number them).
 */
export function pathIndexError(text: string, paths: number): string | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return !Number.isInteger(n) || n < 0 || n >= paths ? `path must be a whole number 0 – ${fmtInt(paths - 1)}` : null;
}
