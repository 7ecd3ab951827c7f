import { TRADING_SECONDS_PER_YEAR } from '../../../src-shared/orderbook/contract';
import { type Rng, seeded } from '../stochastic/rng';

/**
 * Synthetic order books that look like the competition's (spec orderbook.md "Data sets to test with"):
 *
 * - Mid price: stochastic volatility, simulated every second. Log-volatility `h` is an Ornstein-Uhlenbeck
 *   process around `log sigmaBar` (mean reversion kappa = 1/1800 per second, stationary sd 0.4), carried
 *   across buckets so realised volatility clusters; the mid moves by `exp(s Z sqrt(dt) - s^2 dt / 2)` with
 *   `s = exp(h) x volPattern(u)`, dt = 1 s in years of {@link TRADING_SECONDS_PER_YEAR}. Like the competition's,
 *   each bucket's prices are normalised near 1 (the mid restarts at exp(N(0, 0.001^2))); a generic book is one
 *   continuous series starting near 1.
 * - Intraday patterns: a bucket's time of day is u = ((bucket index mod 39) + 0.5) / 39 (39 ten-minute buckets
 *   in a 6.5 h day). Volatility and spreads follow a U shape (1 + 0.9 (2u - 1)^2 and 0.8 + 0.8 (2u - 1)^2),
 *   sizes grow towards the close (0.7 + 0.8 u^2).
 * - Book: prices on a tick grid (per stock 0.5, 1 or 2 x 1e-4); spread 1 + geometric ticks; deeper levels
 *   1 + geometric ticks further out; sizes lognormal, larger at deeper levels; a deeper level is missing
 *   (empty, with every level below it) with probability `missingLevelProb` per side and row.
 * - Updates: a row at second 0 of every bucket, then each second with probability
 *   min(1, intensity x (0.6 + 0.4 s / sigmaBar)) (busier when volatile).
 *
 * Deterministic for a seed; stock k uses its own stream, so a stock's book does not depend on how many
 * stocks are generated; the time_ids (starting at 5, with random gaps) are the same for every stock.
 */

export interface GeneratorOptions {
  stocks: number;
  buckets: number;
  seed: number;
  layout: 'competition' | 'generic';
  /** Book levels (the competition layout has 2). */
  levels: number;
  /** Mean updates per second (the competition's books have roughly 0.5-0.8). */
  intensity: number;
  missingLevelProb: number;
  bucketSeconds: number;
  /** Buckets per yielded chunk (default 200). */
  chunkBuckets?: number;
}

export const DEFAULT_GENERATOR: GeneratorOptions = {
  stocks: 2,
  buckets: 100,
  seed: 1,
  layout: 'competition',
  levels: 2,
  intensity: 0.6,
  missingLevelProb: 0.01,
  bucketSeconds: 600,
};

/** Rows of one stock, in time order. Generic books carry `timestamp` (epoch seconds) instead of time_id/seconds. */
export interface GeneratedChunk {
  stockId: number;
  n: number;
  timeId: Int32Array;
  seconds: Int32Array;
  timestamp: Float64Array;
  /** By level (index 0 = level 1), each of length n; NaN where the level is missing. */
  bidPrice: Float64Array[];
  bidSize: Float64Array[];
  askPrice: Float64Array[];
  askSize: Float64Array[];
  /** Decimal places that print every price exactly. */
  priceDecimals: number;
}

/** 2023-11-14 22:10:00 UTC (a multiple of 600 s): the generic layout's first bucket starts here. */
export const GENERIC_EPOCH = 1_699_999_800;
const DAY_BUCKETS = 39;

const geometric = (rng: Rng, p: number): number => Math.floor(Math.log(rng.uniform()) / Math.log(1 - p));

/** Rows of stock `stockIndex` (its stock id), chunk by chunk. */
export function* generateStock(opts: GeneratorOptions, stockIndex: number): Generator<GeneratedChunk> {
  const rng = seeded((opts.seed * 7919 + stockIndex * 104729 + 17) >>> 0);
  // Like the competition's, every stock shares the same time_ids: their gaps come from a stream of the seed only.
  const gaps = seeded((opts.seed * 7919 + 3) >>> 0);
  const L = opts.levels;
  const B = opts.bucketSeconds;
  const sigmaBar = Math.min(1.5, Math.max(0.1, 0.35 * Math.exp(0.4 * rng.normal())));
  const tick = [0.5e-4, 1e-4, 2e-4][Math.min(2, Math.floor(rng.uniform() * 3))];
  const priceDecimals = tick === 0.5e-4 ? 6 : 5;
  const spreadMean = 0.5 + 2 * rng.uniform();
  const baseSize = 80 * Math.exp(0.5 * rng.normal());
  const kappa = 1 / 1800;
  const nu = 0.4 * Math.sqrt(2 * kappa);
  const dtYears = 1 / TRADING_SECONDS_PER_YEAR;
  const sqrtDt = Math.sqrt(dtYears);
  let h = Math.log(sigmaBar) + 0.4 * rng.normal();
  let timeId = 5;
  let logMid = 0;
  const chunkBuckets = opts.chunkBuckets ?? 200;

  for (let b0 = 0; b0 < opts.buckets; b0 += chunkBuckets) {
    const nb = Math.min(chunkBuckets, opts.buckets - b0);
    const cap = nb * B + 1;
    const out: GeneratedChunk = {
      stockId: stockIndex,
      n: 0,
      timeId: new Int32Array(cap),
      seconds: new Int32Array(cap),
      timestamp: new Float64Array(cap),
      bidPrice: Array.from({ length: L }, () => new Float64Array(cap)),
      bidSize: Array.from({ length: L }, () => new Float64Array(cap)),
      askPrice: Array.from({ length: L }, () => new Float64Array(cap)),
      askSize: Array.from({ length: L }, () => new Float64Array(cap)),
      priceDecimals,
    };
    for (let b = b0; b < b0 + nb; b++) {
      const u = ((b % DAY_BUCKETS) + 0.5) / DAY_BUCKETS;
      const x = 2 * u - 1;
      const volPattern = 1 + 0.9 * x * x;
      const spreadPattern = 0.8 + 0.8 * x * x;
      const sizePattern = 0.7 + 0.8 * u * u;
      // Competition books are normalised per bucket; a generic book is one continuous series.
      if (opts.layout === 'competition' || b === 0) logMid = 0.001 * rng.normal();
      for (let s = 0; s < B; s++) {
        h += kappa * (Math.log(sigmaBar) - h) + nu * rng.normal();
        const vol = Math.exp(h) * volPattern;
        if (s > 0) logMid += vol * sqrtDt * rng.normal() - 0.5 * vol * vol * dtYears;
        const p = Math.min(1, opts.intensity * (0.6 + (0.4 * vol) / sigmaBar));
        if (s > 0 && rng.uniform() >= p) continue;
        const i = out.n++;
        out.timeId[i] = timeId;
        out.seconds[i] = s;
        out.timestamp[i] = GENERIC_EPOCH + b * B + s + Math.floor(rng.uniform() * 1000) / 1000;
        const mid = Math.exp(logMid) / tick;
        const spreadTicks = 1 + geometric(rng, 1 / (1 + spreadMean * spreadPattern * Math.sqrt(vol / sigmaBar)));
        let bidT = Math.max(1, Math.round(mid - spreadTicks / 2));
        let askT = bidT + spreadTicks;
        let bidGone = false;
        let askGone = false;
        for (let k = 0; k < L; k++) {
          if (k > 0) {
            bidT -= 1 + geometric(rng, 0.5);
            askT += 1 + geometric(rng, 0.5);
            if (!bidGone && (bidT < 1 || rng.uniform() < opts.missingLevelProb)) bidGone = true;
            if (!askGone && rng.uniform() < opts.missingLevelProb) askGone = true;
          }
          const depthFactor = 1 + 0.3 * k;
          out.bidPrice[k][i] = bidGone ? NaN : bidT * tick;
          out.askPrice[k][i] = askGone ? NaN : askT * tick;
          out.bidSize[k][i] = bidGone ? NaN : Math.max(1, Math.round(baseSize * sizePattern * depthFactor * Math.exp(0.8 * rng.normal())));
          out.askSize[k][i] = askGone ? NaN : Math.max(1, Math.round(baseSize * sizePattern * depthFactor * Math.exp(0.8 * rng.normal())));
        }
      }
      timeId += 1 + (gaps.uniform() < 0.25 ? 1 + Math.floor(gaps.uniform() * 5) : 0);
    }
    yield out;
  }
}

/** Column names of a generated layout, in file order. */
export function generatedColumns(layout: 'competition' | 'generic', levels: number): string[] {
  if (layout === 'competition') {
    const cols = ['time_id', 'seconds_in_bucket'];
    for (let k = 1; k <= levels; k++) cols.push(`bid_price${k}`, `ask_price${k}`);
    for (let k = 1; k <= levels; k++) cols.push(`bid_size${k}`, `ask_size${k}`);
    return cols;
  }
  const cols = ['timestamp'];
  for (let k = 1; k <= levels; k++) cols.push(`bid_price_${k}`, `bid_size_${k}`, `ask_price_${k}`, `ask_size_${k}`);
  return cols;
}
