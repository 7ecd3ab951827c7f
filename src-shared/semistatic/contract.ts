import { z } from 'zod';
import { type PnlDistribution } from '../api/runs';
import { MAX_RATIO2, type ResolvedParams, paramsShape, refineParams } from './params';

/**
 * Delayed semistatic hedging handlers: the closed form (direct, O(n)), the continuous-time limit curves
 * (direct) and the Monte Carlo check (a job of run kind 'semistatic', returning `{ runId }` at once).
 */

/** Largest n for the Monte Carlo check (each path costs O(n) with the recursive filter). */
export const MC_MAX_N = 100_000;
export const MC_MIN_PATHS = 1_000;
export const MC_MAX_PATHS = 2_000_000;
/** Largest paths x n (about 10-20 s of simulation on one core). */
export const MC_MAX_WORK = 2e9;
/** Largest n whose discrete kernel the limit view draws. */
export const LIMIT_MAX_N = 20_000;

export const SEMISTATIC_RUN_KIND = 'semistatic';

const finite = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? `${what} is required` : `${what} must be a number`) });

export const semistaticMcSchema = z
  .object({
    ...paramsShape,
    paths: finite('paths')
      .int('paths must be a whole number')
      .min(MC_MIN_PATHS, `paths must be >= ${MC_MIN_PATHS}`)
      .max(MC_MAX_PATHS, `paths must be <= ${MC_MAX_PATHS} (memory-safe limit)`),
    seed: finite('seed').int('seed must be a whole number').min(0, 'seed must be >= 0').max(2 ** 32 - 1, 'seed must be < 2^32'),
    label: z.string().max(120, 'label must be at most 120 characters').optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    refineParams(p, ctx);
    if (p.n > MC_MAX_N) {
      ctx.addIssue({
        code: 'custom',
        path: ['n'],
        message: `n must be <= ${MC_MAX_N} for the Monte Carlo check (each path simulates n steps); the closed form takes n up to 1,000,000`,
      });
    } else if (p.paths * p.n > MC_MAX_WORK) {
      ctx.addIssue({
        code: 'custom',
        path: ['paths'],
        message: `paths × n = ${(p.paths * p.n).toExponential(2)} must be <= ${MC_MAX_WORK.toExponential(0)} (about 20 s of simulation); lower paths or n`,
      });
    }
  });
export type SemistaticMcConfig = z.output<typeof semistaticMcSchema>;

export const semistaticLimitSchema = z
  .object({
    delayFraction: finite('delayFraction')
      .gt(0, 'delayFraction must be > 0: with no delay a variance mismatch is an arbitrage and the limit is infinite')
      .lt(1, 'delayFraction must be < 1'),
    ratio2: finite('ratio2').gt(0, 'ratio2 must be > 0 (the variance ratio sigmahat²/sigma²)').max(MAX_RATIO2, `ratio2 must be <= ${MAX_RATIO2}`),
    ns: z
      .array(finite('ns').int('ns must be whole numbers').min(2, 'ns must be >= 2').max(LIMIT_MAX_N, `ns must be <= ${LIMIT_MAX_N}`))
      .min(1, 'ns must name at least one n')
      .max(8, 'ns must name at most 8 values of n')
      .optional(),
  })
  .strict();

export const semistaticSchemas = {
  'semistatic-solve': z.object(paramsShape).strict().superRefine(refineParams),
  'semistatic-limit': semistaticLimitSchema,
  'semistatic-mc-start': semistaticMcSchema,
} as const;

/** One numerical identity checked at the solved size (spec "Useful identities"). */
export interface IdentityCheck {
  id: 'root' | 'trace' | 'entrySum' | 'determinant' | 'inverse' | 'positive';
  label: string;
  /** Residual (relative unless the note says otherwise); null when skipped. */
  residual: number | null;
  tolerance: number;
  /** null when skipped. */
  ok: boolean | null;
  /** How it was computed, or why it was skipped. */
  note: string;
}

/** Certainty equivalent (money), entropy H and value -exp(-H) of one variant of the problem. */
export interface ValueTriple {
  entropy: number;
  /** H / gamma, money. */
  certaintyEquivalent: number;
  /** -exp(-H). */
  value: number;
}

/** The closed-form solution at one parameter set (spec "Optimal strategy" and "Optimal value"). */
export interface SemistaticSolution {
  params: ResolvedParams;
  /** The larger root a of the quadratic (dimensionless). */
  a: number;
  otherRoot: number | null;
  /** lim a as n -> infinity at this fixed D (dimensionless). */
  aFixedDelayLimit: number;
  /** t_i = rho (t_{i-D} + .. + t_{i-1}): rho = a / (aD + 1). */
  rho: number;
  /** H = (1/2)(trace Q - n - log det Q) + n mu^2 / (2 sigma^2). */
  entropy: number;
  /** -exp(-H): the optimal expected utility. */
  value: number;
  /** H / gamma, money. */
  certaintyEquivalent: number;
  /** log det Q^{-1} (closed form). */
  logDetQInverse: number;
  /** trace Q (closed form, = n (1 - a s2)). */
  traceQ: number;
  merton: {
    /** mu / (gamma sigma^2): shares held at every step from the drift. */
    fraction: number;
    /** n mu^2 / (2 sigma^2). */
    entropy: number;
    /** Money. */
    certaintyEquivalent: number;
  };
  /** H minus the Merton part: what the static claim and the filter add. */
  semistaticEntropy: number;
  staticClaim: {
    /** f(S_n) = weight (S_n - S0)^2 with weight = a / (2 gamma sigma^2), 1/money. */
    weight: number;
    /** Money per share (S0). */
    center: number;
    /** Market price a n s2 / (2 gamma), money. */
    price: number;
    /** E_P[f(S_n)] = a (n + n^2 mu^2/sigma^2) / (2 gamma) under the investor's model, money. */
    expectedPayoff: number;
  };
  /** The four variants side by side: with/without the static claim, with/without the delay. */
  comparison: {
    delayedWithClaim: ValueTriple;
    noDelayWithClaim: ValueTriple;
    /** Without the static claim the increments are i.i.d.: Merton is optimal with or without delay. */
    withoutClaim: ValueTriple;
  };
  /** Filter weights against lag: shares per unit of money of the increment L steps back. */
  weights: {
    lag: number[];
    /** (t_{L+1} - a) / (gamma sigma^2) for L > D, 0 for L <= D; shares per unit of money. */
    weight: number[];
    /** True when the lags were thinned for display (n > the point budget). */
    sampled: boolean;
  };
  /** Continuous-time limit at H = D/n and this s2 (mu = 0, gamma = 1); null when D = 0. */
  limit: { delayFraction: number; ahat: number; alpha: number; kappa0: number; entropy: number } | null;
  checks: IdentityCheck[];
  computeMs: number;
}

/** Continuous-limit curves (spec "Continuous-time limit"; mu = 0, gamma = 1). */
export interface SemistaticLimitCurves {
  delayFraction: number;
  ratio2: number;
  ahat: number;
  alpha: number;
  kappa0: number;
  /** -U: the limit of H (so the limit value is -exp(-entropy)). */
  entropy: number;
  kappa: {
    /** Grid on [0, 1] (fraction of the horizon), with the jump at H drawn as a vertical step. */
    t: number[];
    /** kappa(t) - kappa_0. */
    limit: number[];
    /** n (t_{L+1} - a) at t = L/n, L = 1..n-1, for each n; maxError = max |discrete - limit| away from jumps. */
    discrete: Array<{ n: number; D: number; t: number[]; y: number[]; maxError: number }>;
    /** n values skipped and why (e.g. D = round(H n) = 0). */
    skipped: string[];
  };
  valueVsDelay: { delayFraction: number[]; series: Array<{ ratio2: number; entropy: number[] }> };
  valueVsRatio: { ratio2: number[]; series: Array<{ delayFraction: number; entropy: number[] }> };
}

/** Metrics of a finished Monte Carlo run (kind 'semistatic'). */
export interface SemistaticMcMetrics {
  params: ResolvedParams;
  paths: number;
  seed: number;
  a: number;
  /** Closed-form H, value -exp(-H) and certainty equivalent (money). */
  entropy: number;
  value: number;
  certaintyEquivalent: number;
  /** Mean of R = exp(H - gamma V) (expected: 1) and its standard error from the sample. */
  ratioMean: number;
  ratioSe: number;
  /** Exact standard deviation of R when finite (null: infinite variance, or n too large to compute it). */
  ratioSdExact: number | null;
  /** Why ratioSdExact is null (empty when it is a number). */
  ratioSdNote: string;
  /** Simulated expected utility mean(-exp(-gamma V)) = -exp(-H) ratioMean, and its standard error. */
  utilityMean: number;
  utilitySe: number;
  /** 95% confidence interval of the expected utility. */
  utilityCi: [number, number];
  /** (utilityMean - value) / utilitySe = (1 - ratioMean) / ratioSe: positive when the simulation is above the closed form. */
  zScore: number;
  /** Simulated certainty equivalent (H - log ratioMean)/gamma, money, and its delta-method standard error. */
  certaintyEquivalentMc: number;
  certaintyEquivalentSe: number;
  /** Terminal wealth V (money): mean, standard deviation, min and max over the paths. */
  wealthMean: number;
  wealthStd: number;
  wealthMin: number;
  wealthMax: number;
  /** Mean of V under the model: E_P[V] (closed form), money. */
  wealthMeanExact: number;
  /** Non-finite utilities (overflow) among the paths. */
  nonFinite: number;
  /** Terminal wealth histogram and KDE (money). */
  distribution: PnlDistribution;
  checks: IdentityCheck[];
}

/** Live snapshot sent with progress while the simulation runs. */
export interface SemistaticMcProgress {
  phase: 'checks' | 'simulate';
  paths: number;
  ratioMean: number;
  ratioSe: number;
}

export interface SemistaticResponses {
  'semistatic-solve': SemistaticSolution;
  'semistatic-limit': SemistaticLimitCurves;
  'semistatic-mc-start': { runId: string };
}
