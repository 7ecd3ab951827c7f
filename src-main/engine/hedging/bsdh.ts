import { type HedgeConfig, type HedgeMetrics } from '../../../src-shared/hedging/config';
import { type JobHooks, throwIfCancelled } from '../cancel';
import { optionPayoff, type OptionType } from '../instruments/payoffs';
import { bsCallDeltaZeroRate, bsCallPrice } from '../math/blackScholes';
import { lookbackCallDeltaZeroRate } from '../math/lookback';
import { lookbackCallPriceDiscrete } from '../math/lookbackDiscrete';
import { riskSummary } from '../risk/measures';
import { fillGbmChunk } from '../stochastic/gbm';
import { seeded } from '../stochastic/rng';
import { hedgeAccountingInto } from './accounting';
import { staticNoLiabilityRisk } from './indifference';
import { criterionFigures } from './criterionFigures';

/**
 * BSDH: the Black–Scholes delta hedge of one short call (deep-hedging spec, "Hedgers" table, row BSDH).
 * Positions, with tau_i = T - t_i and s_i = sigma sqrt(tau_i), r = 0:
 *
 *     European: delta_i = N(d1),  d1 = ln(P_i / K) / s_i + s_i / 2
 *     Lookback: delta_i = N(d1) (2 + L_i + s_i^2/2) + s_i n(d1),  L_i = ln(P_i / max(M_i, K)),
 *               d1 = L_i / s_i + s_i / 2,  M_i = max_{j<=i} P_j   (Conze–Viswanathan delta at fixed max)
 *
 * PnL and cost per path by `hedgeAccountingInto` (spec "PnL of a hedge"). Paths are GBM with P_0 = 1,
 * dt = days / 365 / steps, simulated in chunks of `chunkPaths` with path-major normals, so the result
 * does not depend on the chunk size, and memory is O(paths) (pnl, cost, terminal price) plus one chunk.
 */
export interface BsdhResult {
  /** PnL per path (money, premium not included), length `paths`. */
  pnl: Float64Array;
  /** Transaction cost paid per path (money), length `paths`. */
  cost: Float64Array;
  metrics: HedgeMetrics;
}

/** Default paths per chunk: prices + normals + positions of a chunk take ~3 MB at 30 steps. */
export const BSDH_CHUNK_PATHS = 4096;

/**
 * BSDH positions of one path into out[outOffset .. outOffset + steps - 1].
 * @param prices P_0 .. P_n at prices[offset .. offset + steps].
 * @param volSqrtTau s_i = sigma sqrt(T - t_i), i = 0 .. steps - 1 (all > 0).
 */
export function bsdhPositionsInto(
  option: OptionType,
  strike: number,
  prices: Float64Array,
  offset: number,
  steps: number,
  volSqrtTau: Float64Array,
  out: Float64Array,
  outOffset: number,
): void {
  if (option === 'european') {
    const logK = Math.log(strike);
    for (let i = 0; i < steps; i++) out[outOffset + i] = bsCallDeltaZeroRate(Math.log(prices[offset + i]) - logK, volSqrtTau[i]);
  } else {
    let m = 0;
    for (let i = 0; i < steps; i++) {
      const p = prices[offset + i];
      if (p > m) m = p;
      out[outOffset + i] = lookbackCallDeltaZeroRate(Math.log(p / (m > strike ? m : strike)), volSqrtTau[i]);
    }
  }
}

/**
 * Value at t = 0 (P_0 = 1, r = 0) of the liability of `cfg`, money: Black–Scholes for the European call; for
 * the lookback call the value of the maximum monitored at the `steps` hedge dates (the payoff the runs pay),
 * exact by Spitzer's identity when K <= P_0, else the Broadie–Glasserman–Kou corrected closed form
 * (`lookbackCallPriceDiscrete`; the continuous Conze–Viswanathan value overstates it by ~15% at sigma 0.1, 30 days).
 */
export function bsdhPremium(cfg: Pick<HedgeConfig, 'option' | 'strike' | 'sigma' | 'days' | 'steps'>): number {
  const tau = cfg.days / 365;
  return cfg.option === 'european'
    ? bsCallPrice({ spot: 1, strike: cfg.strike, vol: cfg.sigma, tau })
    : lookbackCallPriceDiscrete({ spot: 1, runningMax: 1, strike: cfg.strike, vol: cfg.sigma, tau, steps: cfg.steps }).price;
}

/**
 * Simulate `cfg.paths` GBM paths from `seeded(cfg.seed)`, hedge each with BSDH, and summarise.
 * Calls hooks.onProgress(pathsDone, paths) after each chunk and hooks.shouldCancel() before each chunk
 * (throws `CancelledError`).
 * @param options.chunkPaths paths per chunk (default 4096; results do not depend on it).
 * @returns per-path pnl and cost (Float64Array, own buffers, transferable) and `HedgeMetrics`:
 *   riskSummary of pnl, premium, mean cost, and indifferencePrice = entropic - noLiabilityRisk where
 *   noLiabilityRisk is the static no-liability minimum of `staticNoLiabilityRisk` on the same paths.
 */
export function runBsdh(cfg: HedgeConfig, hooks?: JobHooks, options?: { chunkPaths?: number }): BsdhResult {
  const { paths, steps, strike, sigma, drift, cost: costRate, option } = cfg;
  const T = cfg.days / 365;
  const dt = T / steps;
  const chunk = Math.max(1, Math.min(paths, Math.floor(options?.chunkPaths ?? BSDH_CHUNK_PATHS)));
  const row = steps + 1;
  const volSqrtTau = new Float64Array(steps);
  for (let i = 0; i < steps; i++) volSqrtTau[i] = sigma * Math.sqrt((steps - i) * dt);

  const rng = seeded(cfg.seed);
  const prices = new Float64Array(chunk * row);
  const normals = new Float64Array(chunk * steps);
  const positions = new Float64Array(steps);
  const acc = new Float64Array(2);
  const pnl = new Float64Array(paths);
  const cost = new Float64Array(paths);
  const terminal = new Float64Array(paths);
  let absPosSum = 0;

  for (let start = 0; start < paths; start += chunk) {
    throwIfCancelled(hooks);
    const m = Math.min(chunk, paths - start);
    fillGbmChunk({ rng, paths: m, steps, dt, vol: sigma, drift, out: prices, normals });
    for (let p = 0; p < m; p++) {
      const base = p * row;
      bsdhPositionsInto(option, strike, prices, base, steps, volSqrtTau, positions, 0);
      for (let i = 0; i < steps; i++) absPosSum += Math.abs(positions[i]);
      hedgeAccountingInto(prices, base, positions, 0, steps, acc);
      const z = optionPayoff(option, prices, base, steps, strike);
      const paid = costRate * acc[1];
      pnl[start + p] = -z + acc[0] - paid;
      cost[start + p] = paid;
      terminal[start + p] = prices[base + steps];
    }
    hooks?.onProgress?.(start + m, paths);
  }

  const risk = riskSummary(pnl);
  let costSum = 0;
  for (let k = 0; k < paths; k++) costSum += cost[k];
  const noLiability = staticNoLiabilityRisk(terminal, 1, costRate);
  const noLiabilityRisk = noLiability.risk;
  const metrics: HedgeMetrics = {
    paths,
    ...risk,
    indifferencePrice: risk.entropic - noLiabilityRisk,
    noLiabilityRisk,
    noLiabilityAtBound: noLiability.atBound,
    premium: bsdhPremium(cfg),
    meanCost: costSum / paths,
  };
  const meanAbsPosition = absPosSum / (paths * steps);
  Object.assign(metrics, criterionFigures(pnl, cfg, { meanAbsPosition, bsdhMeanAbsPosition: meanAbsPosition }));
  return { pnl, cost, metrics };
}
