import { z } from 'zod';

/**
 * QLBS run settings (spec ../shared/spec/qlbs.md, Halperin 2017 "QLBS: Q-Learner in the Black-Scholes(-Merton)
 * Worlds"): one European put or call on an asset following GBM with real-world drift `mu`, priced and hedged
 * by dynamic programming over `paths` simulated paths with `steps` equal time steps (on-policy, method
 * `dp`) and, with method `fqi`, also by fitted Q iteration from noisy off-policy actions.
 *
 * Money amounts (s0, strike, prices) are in the currency of the spot; rates and volatility are annualised;
 * `lambda` (risk aversion) is per unit of money (it multiplies a variance in money^2).
 */

export const QLBS_METHODS = ['dp', 'fqi'] as const;
export type QlbsMethod = (typeof QLBS_METHODS)[number];
export const QLBS_OPTIONS = ['put', 'call'] as const;
export type QlbsOption = (typeof QLBS_OPTIONS)[number];

/** Largest number of paths (memory: the path matrix is 8 bytes a path and a time). */
export const QLBS_MAX_PATHS = 500_000;
/** Largest paths x steps (the price matrix stays under ~80 MB). */
export const QLBS_MAX_PATH_STEPS = 10_000_000;
export const QLBS_MAX_STEPS = 500;
export const QLBS_MAX_BASIS = 60;
export const QLBS_MAX_DEGREE = 7;

const finite = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? `${what} is required` : `${what} must be a number`) });
const whole = (what: string) => finite(what).int(`${what} must be a whole number`);

/** The fields of one QLBS run, before the cross-field checks (also the base of a sweep). */
export const qlbsFields = {
  method: z.enum(QLBS_METHODS, { error: 'method must be dp or fqi' }),
  option: z.enum(QLBS_OPTIONS, { error: 'option must be put or call' }),
  s0: finite('s0').gt(0, 's0 must be > 0').max(1e6, 's0 must be <= 1e6'),
  strike: finite('strike').gt(0, 'strike must be > 0').max(1e6, 'strike must be <= 1e6'),
  mu: finite('mu').min(-1, 'mu must be >= -1 (-100%/yr)').max(1, 'mu must be <= 1 (100%/yr)'),
  sigma: finite('sigma').min(0.001, 'sigma must be >= 0.001 (0.1%/yr)').max(2, 'sigma must be <= 2 (200%/yr)'),
  r: finite('r').min(-0.1, 'r must be >= -0.1 (-10%/yr)').max(0.5, 'r must be <= 0.5 (50%/yr)'),
  maturity: finite('maturity').gt(0, 'maturity must be > 0 years').max(10, 'maturity must be <= 10 years'),
  steps: whole('steps').min(1, 'steps must be >= 1').max(QLBS_MAX_STEPS, `steps must be <= ${QLBS_MAX_STEPS}`),
  fqiSteps: whole('fqiSteps').min(1, 'fqiSteps must be >= 1').max(QLBS_MAX_STEPS, `fqiSteps must be <= ${QLBS_MAX_STEPS}`),
  paths: whole('paths')
    .min(100, 'paths must be >= 100')
    .max(QLBS_MAX_PATHS, `paths must be <= ${QLBS_MAX_PATHS} (memory-safe limit)`),
  lambda: finite('lambda').min(0, 'lambda must be >= 0').max(1, 'lambda must be <= 1'),
  reg: finite('reg').min(0, 'reg must be >= 0').max(1e6, 'reg must be <= 1e6'),
  basisSize: whole('basisSize').min(2, 'basisSize must be >= 2').max(QLBS_MAX_BASIS, `basisSize must be <= ${QLBS_MAX_BASIS}`),
  degree: whole('degree').min(1, 'degree must be >= 1').max(QLBS_MAX_DEGREE, `degree must be <= ${QLBS_MAX_DEGREE}`),
  eta: finite('eta').min(0, 'eta must be >= 0').max(1, 'eta must be <= 1'),
  driftTerm: z.boolean({ error: 'driftTerm must be true or false' }).optional(),
  seed: whole('seed').min(0, 'seed must be >= 0').max(2 ** 32 - 1, 'seed must be < 2^32'),
  label: z.string().max(120, 'label must be at most 120 characters').optional(),
};

/** The cross-field rules of a run, as (message, field) pairs for the config `c` (empty when valid). */
export function qlbsCrossFieldIssues(c: {
  method: QlbsMethod;
  paths: number;
  steps: number;
  fqiSteps: number;
  basisSize: number;
  degree: number;
  lambda: number;
  driftTerm?: boolean;
}): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  if (c.basisSize < c.degree + 1) {
    out.push({ field: 'basisSize', message: `basisSize must be >= degree + 1 = ${c.degree + 1} (a degree-${c.degree} spline needs ${c.degree + 1} sites)` });
  }
  if (c.method === 'fqi' && (c.fqiSteps > c.steps || c.steps % c.fqiSteps !== 0)) {
    out.push({ field: 'fqiSteps', message: `fqiSteps must divide steps = ${c.steps} (FQI runs on every (steps / fqiSteps)-th date of the same paths)` });
  }
  if (c.paths * c.steps > QLBS_MAX_PATH_STEPS) {
    out.push({ field: 'paths', message: `paths x steps must be <= ${QLBS_MAX_PATH_STEPS.toLocaleString('en-US')} (memory-safe limit); lower paths or steps` });
  }
  if (c.driftTerm && c.lambda <= 0) {
    out.push({ field: 'lambda', message: 'lambda must be > 0 with the drift term (it divides by 2 gamma lambda)' });
  }
  return out;
}

export const qlbsConfigSchema = z
  .object(qlbsFields)
  .strict()
  .superRefine((c, ctx) => {
    for (const { field, message } of qlbsCrossFieldIssues(c)) ctx.addIssue({ code: 'custom', message, path: [field] });
  });

export type QlbsConfig = z.output<typeof qlbsConfigSchema>;

/** The spec's reference setting (European put, S0 = K = 100, mu 5%, sigma 15%, r 3%, 1 year, 24 steps, 10,000 paths). */
export const DEFAULT_QLBS_CONFIG: QlbsConfig = {
  method: 'fqi',
  option: 'put',
  s0: 100,
  strike: 100,
  mu: 0.05,
  sigma: 0.15,
  r: 0.03,
  maturity: 1,
  steps: 24,
  fqiSteps: 6,
  paths: 10_000,
  lambda: 0.001,
  reg: 1e-3,
  basisSize: 12,
  degree: 4,
  eta: 0.5,
  driftTerm: false,
  seed: 42,
};


/** Prices and hedges of one QLBS run (money in the spot's currency; hedges in units of the asset per option). */
export interface QlbsMetrics {
  method: QlbsMethod;
  paths: number;
  steps: number;
  /** Time steps of the FQI grid (every steps / fqiSteps-th date), null for method dp. */
  fqiSteps: number | null;
  basisSize: number;
  /** Black-Scholes price at t = 0 with rate r and volatility sigma (the comparison). */
  bsPrice: number;
  /** Black-Scholes delta at t = 0 (negative for a put). */
  bsDelta0: number;
  /** On-policy QLBS price -Q_0 (averaged over paths at t = 0). */
  dpPrice: number;
  /** mean(Pi_0): the cost of the on-policy hedge portfolio (in sample: on the paths it was learned from). */
  dpHedgeCost: number;
  /** Monte Carlo standard error of dpHedgeCost: std(Pi_0) / sqrt(paths). */
  dpHedgeCostStdErr: number;
  /**
   * The learned hedge applied to as many fresh paths (out of sample): its mean Pi_0. The in-sample cost is
   * biased low by the regression's overfitting (about basis size / paths); this one is not.
   */
  dpHedgeCostOos: number;
  dpHedgeCostOosStdErr: number;
  /** The on-policy hedge at t = 0, a_0(X_0). */
  dpHedge0: number;
  /** DP on the FQI grid (fqiSteps steps): the on-policy baseline FQI is compared with. Null for method dp. */
  dpPriceFqiGrid: number | null;
  dpHedgeCostFqiGrid: number | null;
  /** Off-policy FQI price -mean Q*_0 on the FQI grid (null for method dp). */
  fqiPrice: number | null;
  /** mean(Pi_0) of the noisy behaviour portfolio (null for method dp). */
  fqiHedgeCost: number | null;
  fqiHedgeCostStdErr: number | null;
  /** The FQI hedge at t = 0 (the hedge formula on the off-policy data). */
  fqiHedge0: number | null;
  /**
   * Largest relative gap max_t |V*_t - V_t| / |V_t| between the FQI values V*_t = -mean Q*_t and the DP values on
   * the same grid. Above ~0.2 the FQI regression has gone unstable (too few paths for the basis, too small reg,
   * or too many FQI steps).
   */
  fqiMaxGap: number | null;
  /** The state X = log S - (mu - sigma^2/2) t dt spans [xMin, xMax] over all paths and times (the basis range). */
  xMin: number;
  xMax: number;
  /** Regressions that were not positive definite and were solved by SVD instead of Cholesky. */
  svdFallbacks: number;
  /** Compute time by part, milliseconds (fqiMs includes the DP on the FQI grid). */
  timings: { simulateMs: number; dpMs: number; fqiMs: number | null; oosMs: number; totalMs: number };
}

/** Live state of a run pushed with each backward-pass step ('run-progress'.detail). */
export interface QlbsProgressDetail {
  kind: 'qlbs';
  /** 'simulate' (before the first step), 'dp' (the on-policy pass), 'fqi' (DP + FQI on the FQI grid). */
  phase: 'simulate' | 'dp' | 'fqi';
  /** Time step just finished in this phase's grid (counting down to 0). */
  t: number;
  /** Steps of this phase's grid. */
  steps: number;
  /** The on-policy hedge a_t at the median spot of that step. */
  hedgeAtMedian: number | null;
  /** -mean Q_t (DP) and -mean Q*_t (FQI) at that step. */
  dpValue: number | null;
  fqiValue: number | null;
}
