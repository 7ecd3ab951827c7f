/**
 * The one axis-label formatter of the charts. ECharts puts ticks on multiples of a "nice" interval
 * (1, 2, 2.5, 5 × 10^k); a label with a fixed number of digits (toPrecision(4), toExponential(1)) turns
 * neighbouring ticks such as 20,000 / 20,500 / 21,000 into "2.0e+4", "2.0e+4", "2.1e+4". Here each tick gets
 * the fewest significant digits that still write it exactly (to 1e-9 relative, which also hides float noise
 * such as 0.30000000000000004), so two different ticks never share a label and no label carries padding
 * zeros. Very large or small values use exponent form "2.05e4", "1.25e-4".
 */

/** Significant digits allowed at most (a tick needing more is a float artefact, not a nice number). */
const MAX_DIGITS = 10;

/** Tick label: the shortest exact form, e.g. 20500 -> "20500", 0.000125 -> "1.25e-4", 0.1 + 0.2 -> "0.3". */
export function fmtTick(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  let p = 1;
  while (p < MAX_DIGITS && Math.abs(Number(v.toPrecision(p)) - v) > 1e-9 * a) p++;
  if (a >= 1e5 || a < 1e-3) return v.toExponential(p - 1).replace('e+', 'e');
  return String(Number(v.toPrecision(p)));
}
