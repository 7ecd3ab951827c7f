import { optionPayoff, type OptionType } from '../instruments/payoffs';
import { fillGbmChunk } from '../stochastic/gbm';
import { type Rng, seeded } from '../stochastic/rng';
import { bsdhPositionsInto } from './bsdh';

/**
 * Path sets for training and testing the deep hedgers, and the per-row inputs the networks see
 * (deep-hedging spec, "Market" and "Hedgers").
 *
 * Layouts: prices are PATH-MAJOR `paths x (steps + 1)` (P_0 .. P_n of a path contiguous, as `fillGbmChunk`
 * writes them) and so are the Black–Scholes anchors `paths x steps` (delta_i^BS of a path contiguous, as
 * `bsdhPositionsInto` writes them and `hedgeAccountingInto` reads positions). Network inputs are TIME-MAJOR:
 * row r = i * paths + k holds the features of path k at date t_i, so the rows of one date are contiguous
 * (DHMLP feeds one date at a time).
 *
 * Features (spec "Hedgers"): x_i = (log(P_i / K), T - t_i in years, sigma), and for the lookback call also
 * log(M_i / K) with M_i = max_{j<=i} P_j. `sigma` is the HEDGER's volatility (the training sigma), also used
 * for the anchor; the paths themselves may have another volatility (out-of-distribution test).
 *
 * Seeds: the test set is drawn from `seeded(seed)` exactly as the BSDH kernel draws its paths, so a BSDH
 * run with the same seed, paths and steps hedges the same paths. Training epoch e >= 1 uses
 * `seeded(deriveSeed(seed, e))` and the network initialisation `seeded(deriveSeed(seed, 0))`, so epoch e of a
 * resumed run sees the same paths as in an uninterrupted run.
 */

/** The contract being hedged and the hedger's view of the market. */
export interface HedgeTask {
  option: OptionType;
  strike: number;
  /** Hedger's annualised volatility: features and Black–Scholes anchor (the training sigma). */
  sigma: number;
  /** Maturity in calendar days (T = days / 365 years). */
  days: number;
  /** Hedge dates n (dt = T / n). */
  steps: number;
  /** Proportional cost rate c. */
  cost: number;
}

/** Independent stream number `k` of a run seed (murmur3 finaliser of a mix; bijective in seed for fixed k). */
export function deriveSeed(seed: number, k: number): number {
  let h = (seed ^ Math.imul(k + 1, 0x9e3779b1)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Number of network features per row: 3, or 4 for the lookback call. */
export const featureCount = (option: OptionType): number => (option === 'lookback' ? 4 : 3);

/**
 * `paths` GBM paths P_0 = 1 into a new path-major array `paths x (steps + 1)`.
 * @param vol annualised volatility of the paths; drift annualised; dt = days / 365 / steps.
 */
export function simulatePrices(rng: Rng, paths: number, task: Pick<HedgeTask, 'days' | 'steps'>, vol: number, drift: number): Float64Array {
  const out = new Float64Array(paths * (task.steps + 1));
  const chunk = 4096;
  const normals = new Float64Array(chunk * task.steps);
  const dt = task.days / 365 / task.steps;
  for (let start = 0; start < paths; start += chunk) {
    const m = Math.min(chunk, paths - start);
    fillGbmChunk({ rng, paths: m, steps: task.steps, dt, vol, drift, out: out.subarray(start * (task.steps + 1)), normals });
  }
  return out;
}

/** The training paths of epoch `epoch` (>= 1) of a run with `seed`. */
export function trainingPrices(seed: number, epoch: number, paths: number, task: HedgeTask, vol: number, drift: number): Float64Array {
  return simulatePrices(seeded(deriveSeed(seed, epoch)), paths, task, vol, drift);
}

/** sigma sqrt(T - t_i), i = 0 .. n - 1 (years^(1/2) scaled), for the anchors. */
export function volSqrtTau(task: HedgeTask): Float64Array {
  const dt = task.days / 365 / task.steps;
  const out = new Float64Array(task.steps);
  for (let i = 0; i < task.steps; i++) out[i] = task.sigma * Math.sqrt((task.steps - i) * dt);
  return out;
}

/** Everything a hedger needs about a set of paths. */
export interface PathBatch {
  paths: number;
  steps: number;
  /** path-major `paths x (steps + 1)` (money). */
  prices: Float64Array;
  /** path-major `paths x steps`: BSDH position delta_i^BS (asset units). */
  anchor: Float64Array;
  /** Liability Z per path (money). */
  payoff: Float64Array;
  /** time-major `(steps * paths) x nFeatures` float32 (see module doc). */
  features: Float32Array;
  nFeatures: number;
}

/**
 * Anchors, payoffs and features of `paths` paths whose prices are given (path-major).
 * @param prices `paths x (steps + 1)`; kept by reference.
 */
export function buildBatch(task: HedgeTask, prices: Float64Array, paths: number): PathBatch {
  const n = task.steps;
  const row = n + 1;
  const nf = featureCount(task.option);
  const anchor = new Float64Array(paths * n);
  const payoff = new Float64Array(paths);
  const features = new Float32Array(paths * n * nf);
  const vst = volSqrtTau(task);
  const T = task.days / 365;
  const dt = T / n;
  const logK = Math.log(task.strike);
  for (let k = 0; k < paths; k++) {
    const base = k * row;
    bsdhPositionsInto(task.option, task.strike, prices, base, n, vst, anchor, k * n);
    payoff[k] = optionPayoff(task.option, prices, base, n, task.strike);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const p = prices[base + i];
      const o = (i * paths + k) * nf;
      features[o] = Math.log(p) - logK;
      features[o + 1] = T - i * dt;
      features[o + 2] = task.sigma;
      if (nf === 4) {
        if (p > m) m = p;
        features[o + 3] = Math.log(m) - logK;
      }
    }
  }
  return { paths, steps: n, prices, anchor, payoff, features, nFeatures: nf };
}

/** Paths [start, end) of a path-major price array (a view, no copy). */
export function pricesOf(prices: Float64Array, steps: number, start: number, end: number): Float64Array {
  return prices.subarray(start * (steps + 1), end * (steps + 1));
}

/**
 * Split `paths` into `parts` contiguous, nearly equal ranges (the first ones one path longer).
 * @returns [start, end) pairs.
 */
export function splitRanges(paths: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const base = Math.floor(paths / parts);
  const extra = paths % parts;
  let start = 0;
  for (let s = 0; s < parts; s++) {
    const len = base + (s < extra ? 1 : 0);
    out.push([start, start + len]);
    start += len;
  }
  return out;
}

/**
 * Annualised realised volatility of a path set: sqrt(mean of squared log returns / dt) over every step of
 * every path (mean not removed; the drift term is O(dt) and negligible). Used to check test sets and for
 * path datasets (spec "Market": sigma of real data is the realised volatility of the training set).
 */
export function realisedVol(prices: Float64Array, paths: number, steps: number, dt: number): number {
  let ss = 0;
  for (let k = 0; k < paths; k++) {
    const b = k * (steps + 1);
    for (let i = 0; i < steps; i++) {
      const r = Math.log(prices[b + i + 1] / prices[b + i]);
      ss += r * r;
    }
  }
  return Math.sqrt(ss / (paths * steps) / dt);
}

/**
 * Training windows of epoch `epoch` (>= 1) drawn from a stored path set (order-book WAP windows, path-major
 * `count x (steps + 1)`, each row starting at 1): `draws` rows sampled uniformly WITH replacement from
 * `seeded(deriveSeed(seed, epoch))` (so a resumed run sees the same windows), copied into a new path-major
 * array `draws x (steps + 1)`. With replacement keeps the batch size (and the entropic loss's scale) the same
 * whatever the number of windows in the set.
 */
export function sampleWindows(seed: number, epoch: number, set: Float64Array, count: number, steps: number, draws: number): Float64Array {
  if (count < 1) throw new Error('the path set has no training windows');
  const row = steps + 1;
  const rng = seeded(deriveSeed(seed, epoch));
  const out = new Float64Array(draws * row);
  for (let k = 0; k < draws; k++) {
    const j = Math.min(count - 1, Math.floor(rng.uniform() * count));
    out.set(set.subarray(j * row, (j + 1) * row), k * row);
  }
  return out;
}
