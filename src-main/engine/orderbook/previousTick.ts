import { isUsableWap } from './wap';

/**
 * Previous-tick sampling of an irregular WAP series onto a uniform grid of the session clock (spec
 * orderbook.md "Signature plot": previous-tick sampling). Unlike resample.ts's `resampleLocf` (which backfills
 * the grid before the first observation, as the hedging windows need), this grid only covers the span where a
 * previous tick exists: `g_k = k dt` for `ceil(t_first / dt) <= k <= floor(t_last / dt)`, so every grid value is
 * an observed WAP, never one from the future.
 */

/** One session's series, times on the session clock (seconds), oldest first. */
export interface TickSeries {
  /** Observation times, seconds of the session clock, non-decreasing. */
  times: ArrayLike<number>;
  /** WAP at those times (price units); values that are not positive and finite are skipped (eq. 34). */
  wap: ArrayLike<number>;
}

/** A series sampled on the grid `k dt`. */
export interface SampledSeries {
  /** Grid times, seconds of the session clock (multiples of dt). */
  t: Float64Array;
  /** WAP at each grid time: the last usable observation at or before it. */
  v: Float64Array;
  /** Index into the input of the observation each grid value came from (to count price changes). */
  src: Int32Array;
}

const EPS = 1e-9;

/** Most grid points one previous-tick sample may have (a guard against an interval far below the data's span). */
export const MAX_GRID_POINTS = 20_000_000;

/** Thrown when a sample would have more than `MAX_GRID_POINTS` points. */
export class TooManyPointsError extends Error {
  constructor(readonly points: number, readonly dt: number) {
    super(`sampling every ${dt} s would make ${Math.round(points).toLocaleString('en-US')} grid points in one session (at most ${MAX_GRID_POINTS.toLocaleString('en-US')})`);
  }
}

/**
 * Previous-tick WAP on the grid `g_k = k dt` (seconds of the session clock) between the first and last usable
 * observation: `v_k = wap[j]` for the last j with `times[j] <= g_k` and `wap[j]` positive and finite.
 * Observations at equal times: the later one in input order wins (the book after both updates).
 *
 * @param s times (seconds, non-decreasing, length m) and WAP values (length m)
 * @param dt grid spacing, seconds (> 0)
 * @returns grid times, values and source indices (length 0 when no usable observation, or none on a grid point);
 *   throws TooManyPointsError past MAX_GRID_POINTS
 */
export function previousTick(s: TickSeries, dt: number): SampledSeries {
  if (!(dt > 0)) throw new Error(`previousTick: dt must be > 0 seconds, got ${dt}`);
  const m = s.times.length;
  let first = -1;
  let last = -1;
  for (let j = 0; j < m; j++) {
    if (isUsableWap(s.wap[j])) {
      if (first < 0) first = j;
      last = j;
    }
  }
  if (first < 0) return { t: new Float64Array(0), v: new Float64Array(0), src: new Int32Array(0) };
  // tolerance so a time that is a multiple of dt up to rounding lands on its grid point
  const k0 = Math.ceil(s.times[first] / dt - EPS);
  const k1 = Math.floor(s.times[last] / dt + EPS);
  const count = Math.max(0, k1 - k0 + 1);
  if (count > MAX_GRID_POINTS) throw new TooManyPointsError(count, dt);
  const t = new Float64Array(count);
  const v = new Float64Array(count);
  const src = new Int32Array(count);
  let j = first; // current previous tick (usable)
  for (let i = 0; i < count; i++) {
    const g = (k0 + i) * dt;
    const limit = g + EPS * Math.max(1, Math.abs(g));
    for (let n = j + 1; n <= last && s.times[n] <= limit; n++) if (isUsableWap(s.wap[n])) j = n;
    t[i] = g;
    v[i] = s.wap[j];
    src[i] = j;
  }
  return { t, v, src };
}

/** Realised variance of a sampled series and what it was measured over. */
export interface RealisedVariance {
  /** `sum_k (log v_{k+1} - log v_k)^2`, dimensionless (a variance over the covered span). */
  rv: number;
  /** Grid returns summed (grid points - 1). */
  returns: number;
  /** Grid returns over which the source observation changed (at least one new tick in the interval). */
  changes: number;
  /** Covered span, seconds: returns x dt. */
  spanSeconds: number;
}

/**
 * Realised variance `RV = sum_k (log v_{k+1} - log v_k)^2` of a previous-tick sample (source: spec orderbook.md,
 * "Realised volatility of a bucket" squared).
 *
 * @param s a series from {@link previousTick}
 * @param dt its grid spacing, seconds
 */
export function realisedVariance(s: SampledSeries, dt: number): RealisedVariance {
  const n = s.v.length;
  let rv = 0;
  let changes = 0;
  if (n < 2) return { rv: 0, returns: 0, changes: 0, spanSeconds: 0 };
  let prev = Math.log(s.v[0]);
  for (let k = 1; k < n; k++) {
    const l = Math.log(s.v[k]);
    const r = l - prev;
    rv += r * r;
    if (s.src[k] !== s.src[k - 1]) changes++;
    prev = l;
  }
  return { rv, returns: n - 1, changes, spanSeconds: (n - 1) * dt };
}
