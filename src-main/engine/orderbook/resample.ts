/**
 * Resampling of an irregular price series onto a uniform time grid (spec orderbook.md "Paths for hedging"):
 * last observation carried forward.
 */

/**
 * Last-observation-carried-forward values on the grid `g_k = t0 + k dt`, k = 0 .. count - 1:
 * `out[k] = values[j]` for the last j with `times[j] <= g_k`. Grid points before the first observation take
 * the first observation (the only value known in that bucket; documented as a backfill at the start).
 *
 * @param times observation times (seconds), non-decreasing, length m >= 1
 * @param values observations, length m
 * @param t0 first grid time, seconds
 * @param dt grid spacing, seconds (> 0)
 * @param count grid points
 * @param out optional output of length >= count (allocated when left out)
 * @returns out, the first `count` entries filled
 */
export function resampleLocf(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  t0: number,
  dt: number,
  count: number,
  out: Float64Array = new Float64Array(count),
): Float64Array {
  const m = times.length;
  if (m === 0) throw new Error('resampleLocf needs at least one observation');
  let j = 0;
  for (let k = 0; k < count; k++) {
    const g = t0 + k * dt;
    while (j + 1 < m && times[j + 1] <= g) j++;
    out[k] = values[j];
  }
  return out;
}

/**
 * Grid points of one bucket of `bucketSeconds` sampled every `dt` seconds from its start:
 * `floor(bucketSeconds / dt) + 1` points at 0, dt, ..., including the bucket's end when dt divides it
 * (a 600 s bucket every 10 s: 61 points, 0 .. 600 s). A tolerance of 1e-9 relative absorbs rounding.
 */
export function gridPointsPerBucket(bucketSeconds: number, dt: number): number {
  return Math.floor(bucketSeconds / dt + 1e-9) + 1;
}
