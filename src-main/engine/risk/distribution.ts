import { density1d } from 'fast-kde';
import { type PnlDistribution } from '../../../src-shared/api/runs';

/**
 * Histograms (as densities) and Gaussian KDE curves of several PnL samples on one common range, for
 * overlaying runs in the UI.
 *
 * Range: [min over samples of the 0.05% quantile, max over samples of the 99.95% quantile] (type-7
 * quantiles), so a few extreme paths do not squash the picture; samples outside are counted in `clipped`.
 * Histogram: `bins` equal bins over the range, density_j = count_j / (N * width), so it integrates to
 * (N - clipped) / N. KDE: Scott's bandwidth 1.06 min(sd, IQR/1.34) N^{-1/5} on the full sample, computed
 * with fast-kde's `density1d` (linear binning + Deriche filter) on a grid fine enough for that bandwidth,
 * then linearly interpolated at `kdeX` (`kdePoints` points spanning the range).
 */

/** Type-7 quantile (linear interpolation between order statistics) of an ascending sample. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (p <= 0 || n === 1) return sorted[0];
  if (p >= 1) return sorted[n - 1];
  const h = (n - 1) * p;
  const j = Math.floor(h);
  return sorted[j] + (h - j) * (sorted[j + 1] - sorted[j]);
}

/** Finite values of `pnl`, sorted ascending (a new array). */
function finiteSorted(pnl: ArrayLike<number>): Float64Array {
  const out = new Float64Array(pnl.length);
  let m = 0;
  for (let k = 0; k < pnl.length; k++) if (Number.isFinite(pnl[k])) out[m++] = pnl[k];
  return out.subarray(0, m).sort();
}

/**
 * Scott's rule bandwidth 1.06 min(sd, IQR/1.34) N^{-1/5} (falls back to sd, then to `fallback`).
 * @param sorted ascending sample, N >= 1.
 */
export function scottBandwidth(sorted: Float64Array, fallback: number): number {
  const n = sorted.length;
  let mean = 0;
  for (let k = 0; k < n; k++) mean += sorted[k];
  mean /= n;
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (sorted[k] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const iqr = (quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / 1.34;
  const spread = Math.min(sd, iqr) || sd || fallback;
  return 1.06 * spread * Math.pow(n, -0.2);
}

/** Linear interpolation of values y on the uniform grid x0 + i*dx at the point x (0 outside the grid). */
function interpGrid(y: ArrayLike<number>, x0: number, dx: number, x: number): number {
  const t = (x - x0) / dx;
  const i = Math.floor(t);
  if (i < 0 || i >= y.length) return 0;
  if (i === y.length - 1) return t === i ? y[i] : 0;
  return y[i] + (t - i) * (y[i + 1] - y[i]);
}

/** Lower/upper clipping quantiles of the common range. */
const CLIP_LO = 0.0005;
const CLIP_HI = 0.9995;

/**
 * Common-range histograms and KDEs of several PnL samples.
 * @param samples each with its own run id, label and PnL sample (money; non-finite values ignored).
 * @param bins number of histogram bins (default 80).
 * @param kdePoints number of KDE evaluation points over the range (default 200).
 * @returns `PnlDistribution`: edges (bins + 1), per-series density (bins), kde (kdePoints), clipped count.
 */
export function pnlDistribution(
  samples: Array<{ runId: string; label: string; pnl: ArrayLike<number> }>,
  bins = 80,
  kdePoints = 200,
): PnlDistribution {
  const sorted = samples.map((s) => finiteSorted(s.pnl));
  const nonEmpty = sorted.filter((s) => s.length > 0);
  if (nonEmpty.length === 0 || bins < 1) {
    return { edges: [], kdeX: [], series: samples.map((s) => ({ runId: s.runId, label: s.label, density: [], kde: [], clipped: 0 })) };
  }
  let lo = Math.min(...nonEmpty.map((s) => quantileSorted(s, CLIP_LO)));
  let hi = Math.max(...nonEmpty.map((s) => quantileSorted(s, CLIP_HI)));
  if (!(hi > lo)) {
    const pad = Math.max(Math.abs(lo), 1) * 1e-6; // a constant sample: a narrow window around it
    lo -= pad;
    hi += pad;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, j) => (j === bins ? hi : lo + j * width));
  const kdeStep = kdePoints > 1 ? (hi - lo) / (kdePoints - 1) : 0;
  const kdeX = Array.from({ length: kdePoints }, (_, j) => (j === kdePoints - 1 ? hi : lo + j * kdeStep));

  const series = samples.map((s, idx) => {
    const xs = sorted[idx];
    const n = xs.length;
    const counts = new Float64Array(bins);
    let clipped = 0;
    for (let k = 0; k < n; k++) {
      const x = xs[k];
      if (x < lo || x > hi) {
        clipped++;
        continue;
      }
      counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
    }
    const density = Array.from(counts, (c) => (n > 0 ? c / (n * width) : 0));
    return { runId: s.runId, label: s.label, density, kde: n > 0 ? kdeOnGrid(xs, lo, hi, kdeX) : kdeX.map(() => 0), clipped };
  });
  return { edges, series, kdeX };
}

/** KDE of an ascending sample evaluated at xs (density, 1/money). */
function kdeOnGrid(sorted: Float64Array, lo: number, hi: number, xs: number[]): number[] {
  const bw = scottBandwidth(sorted, (hi - lo) / 100);
  const extLo = lo - 4 * bw;
  const extHi = hi + 4 * bw;
  // grid spacing at most bw/4 (Deriche filter accuracy), between 512 and 65536 points
  const gridBins = Math.min(65536, Math.max(512, Math.ceil((extHi - extLo) / (bw / 4)) + 1));
  const est = density1d(sorted, { bandwidth: bw, extent: [extLo, extHi], bins: gridBins });
  const grid = est.grid();
  const dx = (extHi - extLo) / (gridBins - 1);
  return xs.map((x) => Math.max(0, interpGrid(grid, extLo, dx, x) / dx));
}
