import { TRADING_SECONDS_PER_YEAR, type RvStats } from '../../../src-shared/orderbook/contract';

/**
 * Realised volatility of a WAP series (spec orderbook.md "WAP"): `rv = sqrt(sum_i (log P_{i+1} - log P_i)^2)`
 * over consecutive observations. Dimensionless (a volatility over the series' own time span).
 *
 * @param wap prices, oldest first; only positive finite values may be passed (eq. 34)
 * @param start first index (inclusive), default 0
 * @param end last index (exclusive), default wap.length
 * @returns rv, or NaN when fewer than two observations
 */
export function realisedVol(wap: ArrayLike<number>, start = 0, end = wap.length): number {
  if (end - start < 2) return NaN;
  let ss = 0;
  let prev = Math.log(wap[start]);
  for (let i = start + 1; i < end; i++) {
    const l = Math.log(wap[i]);
    const r = l - prev;
    ss += r * r;
    prev = l;
  }
  return Math.sqrt(ss);
}

/**
 * Annualise a realised volatility measured over `spanSeconds` of trading time:
 * `sigma = rv / sqrt(spanSeconds / secondsPerYear)` (the sum of squared returns is a variance over the span;
 * dividing by the span in years gives a variance per year).
 *
 * @param rv realised volatility over the span (dimensionless)
 * @param spanSeconds time between the first and last observation, seconds (> 0)
 * @param secondsPerYear trading seconds per year, default 252 days x 6.5 h
 * @returns annualised volatility (fraction per year), NaN when the span is not positive
 */
export function annualiseRv(rv: number, spanSeconds: number, secondsPerYear = TRADING_SECONDS_PER_YEAR): number {
  if (!(spanSeconds > 0) || !(rv >= 0)) return NaN;
  return rv / Math.sqrt(spanSeconds / secondsPerYear);
}

/** Linear-interpolation quantile (type 7) of an ascending sorted array, p in [0, 1]. */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Count, mean, median, 5%/95% quantiles, min and max of the finite values (nulls when there are none). */
export function rvStats(values: ArrayLike<number>): RvStats {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  const s = Float64Array.from(finite).sort();
  const n = s.length;
  if (n === 0) return { count: 0, mean: null, median: null, p05: null, p95: null, min: null, max: null };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i];
  return {
    count: n,
    mean: sum / n,
    median: quantileOfSorted(s, 0.5),
    p05: quantileOfSorted(s, 0.05),
    p95: quantileOfSorted(s, 0.95),
    min: s[0],
    max: s[n - 1],
  };
}

/**
 * Re-annualise volatility figures from one trading year to another: an annualised volatility is
 * `rv sqrt(secondsPerYear / span)`, so moving from a year of `fromSecondsPerYear` trading seconds to one of
 * `toSecondsPerYear` multiplies every figure (mean, quantiles, min, max alike) by
 * `sqrt(toSecondsPerYear / fromSecondsPerYear)`.
 *
 * @param stats annualised per year of `fromSecondsPerYear` trading seconds (fraction per year)
 * @param toSecondsPerYear trading seconds per year wanted
 * @param fromSecondsPerYear trading seconds per year of `stats`, default 252 days x 6.5 h (what imports store)
 */
export function reannualiseRvStats(stats: RvStats, toSecondsPerYear: number, fromSecondsPerYear = TRADING_SECONDS_PER_YEAR): RvStats {
  const k = Math.sqrt(toSecondsPerYear / fromSecondsPerYear);
  const f = (v: number | null): number | null => (v === null ? null : v * k);
  return { count: stats.count, mean: f(stats.mean), median: f(stats.median), p05: f(stats.p05), p95: f(stats.p95), min: f(stats.min), max: f(stats.max) };
}
