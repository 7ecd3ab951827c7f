/**
 * Hedging windows cut from a uniformly sampled price series (spec orderbook.md "Paths for hedging"): windows
 * of n + 1 consecutive points, each normalised to start at 1, and the split into training and test windows
 * by time.
 */

/**
 * How many windows of `n + 1` points start at 0, stride, 2 stride, ... inside a series of `len` points:
 * `floor((len - n - 1) / stride) + 1` when len >= n + 1, else 0.
 */
export function windowCount(len: number, n: number, stride: number): number {
  return len >= n + 1 ? Math.floor((len - n - 1) / stride) + 1 : 0;
}

/**
 * Copy `series[start .. start + n]` into `out[offset .. offset + n]` divided by `series[start]`, so the window
 * starts at exactly 1: `out[offset + i] = series[start + i] / series[start]`.
 *
 * @param series uniformly sampled prices (> 0)
 * @param start index of the window's first point
 * @param n number of steps (the window has n + 1 points)
 * @param out destination (row-major windows x (n + 1))
 * @param offset where in `out` the window begins
 */
export function normalisedWindow(series: ArrayLike<number>, start: number, n: number, out: Float64Array, offset: number): void {
  const p0 = series[start];
  out[offset] = 1;
  for (let i = 1; i <= n; i++) out[offset + i] = series[start + i] / p0;
}

/**
 * All windows of n + 1 points with the given stride, normalised to start at 1.
 *
 * @returns `windows` row-major (count x (n + 1)) and the start index of each window in the series
 */
export function cutWindows(series: ArrayLike<number>, n: number, stride: number): { windows: Float64Array; starts: Int32Array; count: number } {
  const count = windowCount(series.length, n, stride);
  const windows = new Float64Array(count * (n + 1));
  const starts = new Int32Array(count);
  for (let w = 0; w < count; w++) {
    starts[w] = w * stride;
    normalisedWindow(series, w * stride, n, windows, w * (n + 1));
  }
  return { windows, starts, count };
}

/**
 * The first time_id of the test period: with the distinct time_ids in ascending order, the first
 * `round(trainFraction x m)` (at least 1 and at most m - 1) are training time; the next one is the cut.
 * With a single time_id everything is training time (cut = +Infinity).
 *
 * @param timeIds time_ids (any order, repeats allowed)
 * @param trainFraction share of time for training, in (0, 1)
 */
export function timeCut(timeIds: Iterable<number>, trainFraction: number): number {
  const ids = [...new Set(timeIds)].sort((a, b) => a - b);
  const m = ids.length;
  if (m < 2) return Infinity;
  const k = Math.min(m - 1, Math.max(1, Math.round(trainFraction * m)));
  return ids[k];
}

/** Which side of the cut a window covering time_ids [first, last] falls on; `null` when it straddles the cut. */
export function splitOf(firstTimeId: number, lastTimeId: number, cut: number): 'train' | 'test' | null {
  if (lastTimeId < cut) return 'train';
  if (firstTimeId >= cut) return 'test';
  return null;
}

/**
 * Annualised realised volatility of a set of windows: `sigma^2 = sum_w sum_i (log(P_{w,i+1} / P_{w,i}))^2 / (W n dtYears)`,
 * i.e. the mean squared log return per step divided by the step in years.
 *
 * @param windows row-major W x (n + 1) prices
 * @param n steps per window
 * @param dtYears step length in years
 * @returns sigma (fraction per year), NaN with no windows
 */
export function windowsVolatility(windows: ArrayLike<number>, n: number, dtYears: number): number {
  const W = Math.floor(windows.length / (n + 1));
  if (W === 0) return NaN;
  let ss = 0;
  for (let w = 0; w < W; w++) {
    const o = w * (n + 1);
    for (let i = 0; i < n; i++) {
      const r = Math.log(windows[o + i + 1] / windows[o + i]);
      ss += r * r;
    }
  }
  return Math.sqrt(ss / (W * n * dtYears));
}
