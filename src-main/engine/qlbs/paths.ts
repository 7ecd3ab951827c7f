import { throwIfCancelled, type JobHooks } from '../cancel';
import { quantileSorted } from '../risk/distribution';
import { fillGbmChunk } from '../stochastic/gbm';
import { type Rng } from '../stochastic/rng';

/**
 * The simulated market of a QLBS run (spec "Simulation and state"): GBM under the real-world drift mu,
 *
 *     S_{t+1} = S_t exp((mu - sigma^2/2) dt + sigma sqrt(dt) Z),   dt = T / N_T,
 *
 * stored TIME-MAJOR, S[t * paths + k] for t = 0..N_T (the backward pass reads one time slice at a time).
 * Paths are drawn with the engine's GBM generator (path-major normals, so the same seed gives the same
 * paths as `fillGbmChunk` everywhere) in chunks and transposed.
 *
 * State: X_t = log S_t - (mu - sigma^2/2) t dt (drift removed). Because X is increasing in S at fixed t,
 * its range over all paths and times comes from the per-time min and max of S.
 */

export interface MarketArgs {
  paths: number;
  steps: number;
  s0: number;
  mu: number;
  sigma: number;
  /** Maturity T in years. */
  maturity: number;
}

export interface Market {
  paths: number;
  steps: number;
  dt: number;
  /** Prices, time-major (steps + 1) x paths. */
  S: Float64Array;
  /** Range of the state X over every path and time (the basis interval). */
  xMin: number;
  xMax: number;
  /** Per time t (rows of 5): the 0.5%, 5%, 50%, 95% and 99.5% quantiles of S_t, (steps + 1) x 5. */
  sQuantiles: Float64Array;
}

/** Quantile levels of `Market.sQuantiles`. */
export const S_QUANTILE_LEVELS = [0.005, 0.05, 0.5, 0.95, 0.995] as const;
/** At most this many paths (evenly strided) enter the per-time quantiles; they only set plot ranges. */
const QUANTILE_SAMPLE = 8192;
const CHUNK = 4096;

/** Drift removed from log S at step t: (mu - sigma^2/2) t dt. */
export const stateDrift = (mu: number, sigma: number, t: number, dt: number): number => (mu - 0.5 * sigma * sigma) * t * dt;

/** X = log S - (mu - sigma^2/2) t dt. */
export const stateOf = (s: number, mu: number, sigma: number, t: number, dt: number): number => Math.log(s) - stateDrift(mu, sigma, t, dt);

/**
 * Simulate the paths (see module doc).
 * @param rng consumes paths * steps normals.
 * @param hooks cancellation is checked between chunks of paths.
 */
export function simulateMarket(a: MarketArgs, rng: Rng, hooks?: JobHooks): Market {
  const { paths, steps, s0, mu, sigma, maturity } = a;
  const dt = maturity / steps;
  const row = steps + 1;
  const S = new Float64Array(row * paths);
  const chunkOut = new Float64Array(Math.min(CHUNK, paths) * row);
  const normals = new Float64Array(Math.min(CHUNK, paths) * steps);
  for (let p0 = 0; p0 < paths; p0 += CHUNK) {
    throwIfCancelled(hooks);
    const n = Math.min(CHUNK, paths - p0);
    fillGbmChunk({ rng, paths: n, steps, dt, vol: sigma, drift: mu, spot0: s0, out: chunkOut, normals });
    for (let k = 0; k < n; k++) {
      const src = k * row;
      for (let t = 0; t < row; t++) S[t * paths + p0 + k] = chunkOut[src + t];
    }
  }

  let xMin = Infinity;
  let xMax = -Infinity;
  const sQuantiles = new Float64Array(row * S_QUANTILE_LEVELS.length);
  const stride = Math.max(1, Math.floor(paths / QUANTILE_SAMPLE));
  const sample = new Float64Array(Math.ceil(paths / stride));
  for (let t = 0; t < row; t++) {
    const off = t * paths;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < paths; k++) {
      const s = S[off + k];
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    const drift = stateDrift(mu, sigma, t, dt);
    xMin = Math.min(xMin, Math.log(lo) - drift);
    xMax = Math.max(xMax, Math.log(hi) - drift);
    let m = 0;
    for (let k = 0; k < paths; k += stride) sample[m++] = S[off + k];
    const sorted = sample.subarray(0, m).sort();
    S_QUANTILE_LEVELS.forEach((q, j) => {
      sQuantiles[t * S_QUANTILE_LEVELS.length + j] = quantileSorted(sorted, q);
    });
  }
  if (!(xMax > xMin)) {
    // Degenerate (no spread at all): give the basis a small interval around the single state.
    xMin -= 1e-6;
    xMax += 1e-6;
  }
  return { paths, steps, dt, S, xMin, xMax, sQuantiles };
}

/** The time-t slice S_t (a view, length paths). */
export const sliceAt = (m: Market, t: number): Float64Array => m.S.subarray(t * m.paths, (t + 1) * m.paths);
