import { performance } from 'node:perf_hooks';
import { type QlbsConfig, type QlbsMetrics, type QlbsProgressDetail } from '../../../src-shared/qlbs/config';
import { type JobHooks } from '../cancel';
import { bsCallDelta, bsCallPrice, bsPutPrice } from '../math/blackScholes';
import { seeded } from '../stochastic/rng';
import { makeBasis, type SplineBasis } from './bspline';
import { backwardPass, type PassResult } from './backward';
import { outOfSampleCost } from './outOfSample';
import { simulateMarket } from './paths';

/**
 * A whole QLBS run (spec ../shared/spec/qlbs.md):
 *  1. simulate `paths` GBM paths with `steps` steps under the real-world drift mu (paths.ts);
 *  2. the B-spline basis on [min X, max X] over every path and time (bspline.ts);
 *  3. the on-policy DP backward pass on all `steps` dates -> DP price -mean Q_0, hedge cost mean Pi_0;
 *  4. method `fqi`: DP and FQI together on every (steps / fqiSteps)-th date of the same paths (the spec's
 *     reference runs DP on 24 steps and FQI on 6) -> FQI price -mean Q*_0 and its like-for-like DP baseline;
 *  5. the learned DP hedge on fresh paths (out-of-sample hedge cost, outOfSample.ts).
 *
 * Random streams: paths `seeded(seed)`; FQI action noise `seeded(seed ^ NOISE_SALT)`; fresh paths
 * `seeded(seed ^ OOS_SALT)`. So a DP-only and a DP + FQI run with the same seed share their DP results.
 * Progress: one unit per backward step (steps, plus fqiSteps for method fqi).
 */

const NOISE_SALT = 0x51ed270b;
const OOS_SALT = 0x2545f491;

/** The learned model, enough to evaluate the hedges and Q-functions anywhere (stored with the run). */
export interface QlbsModel {
  basis: SplineBasis;
  /** DP hedge coefficients phi_t, steps x M row-major (a_t(X) = Phi(X) . phi_t). */
  phiDp: Float64Array;
  /** DP value coefficients omega_t, steps x M (Q_t(X) = Phi(X) . omega_t). */
  omegaDp: Float64Array;
  /** On the FQI grid (fqiSteps): FQI hedge coefficients fqiSteps x M and Q coefficients W_t, fqiSteps x 3M. */
  phiFqi: Float64Array | null;
  wFqi: Float64Array | null;
  /** DP value coefficients on the FQI grid, fqiSteps x M. */
  omegaDpFqiGrid: Float64Array | null;
  /** Quantiles of S_t per date (paths.ts S_QUANTILE_LEVELS), (steps + 1) x 5. */
  sQuantiles: Float64Array;
}

export interface QlbsResult {
  metrics: QlbsMetrics;
  model: QlbsModel;
  /** Pi_0 per path: the on-policy portfolio, and the noisy FQI behaviour portfolio (or null). */
  pi0Dp: Float64Array;
  pi0Fqi: Float64Array | null;
  /** The passes themselves (tests compare Q-values path by path). */
  dp: PassResult;
  fqi: PassResult | null;
}

export interface QlbsRunOptions {
  hooks?: JobHooks;
  /** Keep Q_t per path at these steps of the FQI grid (tests). */
  keepQAt?: number[];
  /** Skip the out-of-sample check (sweeps that do not show it). */
  skipOutOfSample?: boolean;
}

/** Black-Scholes price and delta of the run's option at spot `spot` with `tau` years left. */
export function blackScholes(c: QlbsConfig, tau = c.maturity, spot = c.s0): { price: number; delta: number } {
  const args = { spot, strike: c.strike, vol: c.sigma, tau, rate: c.r };
  const callDelta = bsCallDelta(args);
  return c.option === 'put' ? { price: bsPutPrice(args), delta: callDelta - 1 } : { price: bsCallPrice(args), delta: callDelta };
}

const meanOf = (x: Float64Array): number => x.reduce((s, v) => s + v, 0) / x.length;
const stdErrOf = (x: Float64Array): number => {
  const m = meanOf(x);
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / x.length / x.length);
};

/** Run QLBS for `c` (see module doc). Throws CancelledError when the hooks ask. */
export function runQlbs(c: QlbsConfig, opts: QlbsRunOptions = {}): QlbsResult {
  const { hooks } = opts;
  const tStart = performance.now();
  const withFqi = c.method === 'fqi';
  const stride = withFqi ? c.steps / c.fqiSteps : 1;
  const fqiSteps = withFqi ? c.fqiSteps : 0;
  const total = c.steps + (withFqi && stride > 1 ? fqiSteps : 0);
  const report = (done: number, d: QlbsProgressDetail): void => hooks?.onProgress?.(done, total, d);

  report(0, { kind: 'qlbs', phase: 'simulate', t: c.steps, steps: c.steps, hedgeAtMedian: null, dpValue: null, fqiValue: null });
  const market = simulateMarket({ paths: c.paths, steps: c.steps, s0: c.s0, mu: c.mu, sigma: c.sigma, maturity: c.maturity }, seeded(c.seed), hooks);
  const basis = makeBasis(market.xMin, market.xMax, c.basisSize, c.degree);
  const tSim = performance.now();
  const noiseRng = withFqi ? seeded((c.seed ^ NOISE_SALT) >>> 0) : null;
  const keepQAt = new Set(opts.keepQAt ?? []);

  // With stride 1 the FQI runs in the same pass as the DP (same grid).
  const dp = backwardPass(market, basis, c, {
    stride: 1,
    withFqi: withFqi && stride === 1,
    noiseRng,
    hooks,
    keepQAt: stride === 1 ? keepQAt : undefined,
    onStep: (t, info) => report(c.steps - t, { kind: 'qlbs', phase: 'dp', t, steps: c.steps, ...info }),
  });
  const fqi = !withFqi
    ? null
    : stride === 1
      ? dp
      : backwardPass(market, basis, c, {
          stride,
          withFqi: true,
          noiseRng,
          hooks,
          keepQAt,
          onStep: (t, info) => report(c.steps + fqiSteps - t, { kind: 'qlbs', phase: 'fqi', t, steps: fqiSteps, ...info }),
        });

  const tOos = performance.now();
  const oos = opts.skipOutOfSample
    ? { mean: NaN, stdErr: NaN }
    : outOfSampleCost(c, basis, dp.phi, seeded((c.seed ^ OOS_SALT) >>> 0), hooks);
  const oosMs = performance.now() - tOos;

  let fqiMaxGap: number | null = null;
  if (fqi?.valueF) {
    fqiMaxGap = 0;
    for (let t = 0; t <= fqi.steps; t++) {
      const gap = Math.abs(fqi.valueF[t] - fqi.value[t]) / Math.max(Math.abs(fqi.value[t]), 1e-12);
      fqiMaxGap = Math.max(fqiMaxGap, Number.isFinite(gap) ? gap : Infinity);
    }
  }
  const bs = blackScholes(c);
  const metrics: QlbsMetrics = {
    method: c.method,
    paths: c.paths,
    steps: c.steps,
    fqiSteps: withFqi ? fqiSteps : null,
    basisSize: c.basisSize,
    bsPrice: bs.price,
    bsDelta0: bs.delta,
    dpPrice: -meanOf(dp.q0),
    dpHedgeCost: meanOf(dp.pi0),
    dpHedgeCostStdErr: stdErrOf(dp.pi0),
    dpHedgeCostOos: oos.mean,
    dpHedgeCostOosStdErr: oos.stdErr,
    dpHedge0: dp.a0,
    dpPriceFqiGrid: fqi ? -meanOf(fqi.q0) : null,
    dpHedgeCostFqiGrid: fqi ? meanOf(fqi.pi0) : null,
    fqiPrice: fqi?.q0F ? -meanOf(fqi.q0F) : null,
    fqiHedgeCost: fqi?.pi0F ? meanOf(fqi.pi0F) : null,
    fqiHedgeCostStdErr: fqi?.pi0F ? stdErrOf(fqi.pi0F) : null,
    fqiHedge0: fqi ? fqi.a0F : null,
    fqiMaxGap,
    xMin: market.xMin,
    xMax: market.xMax,
    svdFallbacks: dp.svdFallbacks + (fqi && fqi !== dp ? fqi.svdFallbacks : 0),
    timings: {
      simulateMs: tSim - tStart,
      dpMs: dp.dpMs,
      fqiMs: fqi ? (fqi === dp ? dp.fqiMs : fqi.dpMs + fqi.fqiMs) : null,
      oosMs,
      totalMs: performance.now() - tStart,
    },
  };
  return {
    metrics,
    model: {
      basis,
      phiDp: dp.phi,
      omegaDp: dp.omega,
      phiFqi: fqi?.phiF ?? null,
      wFqi: fqi?.wF ?? null,
      omegaDpFqiGrid: fqi ? fqi.omega : null,
      sQuantiles: market.sQuantiles,
    },
    pi0Dp: dp.pi0,
    pi0Fqi: fqi?.pi0F ?? null,
    dp,
    fqi,
  };
}
