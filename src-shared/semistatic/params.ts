import { z } from 'zod';

/**
 * Inputs of delayed semistatic hedging (spec shared/spec/semistatic.md, "Setting"): n trading steps, a delay
 * of D steps (or a fraction H = D/n of the horizon), price increments X_i i.i.d. N(mu, sigma^2) per step
 * under the investor's model, the market pricing claims on S_n with S_n ~ N(S0, sigmahat^2 n), and
 * exponential utility -exp(-gamma V) with absolute risk aversion gamma (the spec takes gamma = 1; other
 * values only rescale positions and money amounts by 1/gamma).
 *
 * Units: sigma, sigmahat and mu are money per share per step, S0 money per share, gamma 1/money.
 * One module for the renderer's form and main's validation, so both say the same thing about bad input.
 */

/** Largest n for the closed form (O(n) time and memory: the Toeplitz row and the filter weights). */
export const MAX_N = 1_000_000;
/** Largest variance ratio sigmahat^2 / sigma^2 (and smallest: 1 / MAX_RATIO2). */
export const MAX_RATIO2 = 1000;

const finite = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? `${what} is required` : `${what} must be a number`) });

/** The fields, before the cross-field rules (exported so other schemas can extend them). */
export const paramsShape = {
  n: finite('n').int('n must be a whole number of steps').min(1, 'n must be >= 1').max(MAX_N, `n must be <= ${MAX_N} for the closed form`),
  delay: finite('delay').int('delay must be a whole number of steps').min(0, 'delay must be >= 0 steps').optional(),
  delayFraction: finite('delayFraction').min(0, 'delayFraction must be >= 0').lt(1, 'delayFraction must be < 1 (a fraction of the horizon)').optional(),
  sigma: finite('sigma').gt(0, 'sigma must be > 0 (the standard deviation of one step\'s price change)').max(1e6, 'sigma must be <= 1e6'),
  sigmahat: finite('sigmahat').gt(0, 'sigmahat must be > 0 (the market\'s standard deviation per step)').max(1e6, 'sigmahat must be <= 1e6').optional(),
  ratio2: finite('ratio2')
    .gt(0, 'ratio2 must be > 0 (the variance ratio sigmahat²/sigma²)')
    .max(MAX_RATIO2, `ratio2 must be <= ${MAX_RATIO2}`)
    .refine((v) => v <= 0 || v >= 1 / MAX_RATIO2, `ratio2 must be >= ${1 / MAX_RATIO2}`)
    .optional(),
  mu: finite('mu').min(-1e6, 'mu must be >= -1e6').max(1e6, 'mu must be <= 1e6'),
  s0: finite('s0').min(-1e9, 's0 must be >= -1e9').max(1e9, 's0 must be <= 1e9').optional(),
  riskAversion: finite('riskAversion').gt(0, 'riskAversion must be > 0 (per unit of money)').max(1e6, 'riskAversion must be <= 1e6').optional(),
};

type ParamsInput = {
  n: number;
  delay?: number;
  delayFraction?: number;
  sigma: number;
  sigmahat?: number;
  ratio2?: number;
  mu: number;
  s0?: number;
  riskAversion?: number;
};

/** The cross-field rules: exactly one way to give the delay and one to give sigmahat; D < n. */
export function refineParams(p: ParamsInput, ctx: z.RefinementCtx): void {
  if (p.delay === undefined && p.delayFraction === undefined) {
    ctx.addIssue({ code: 'custom', path: ['delay'], message: 'delay is required: give it in steps (delay) or as a fraction of the horizon (delayFraction)' });
  } else if (p.delay !== undefined && p.delayFraction !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['delayFraction'], message: 'give the delay either in steps (delay) or as a fraction (delayFraction), not both' });
  } else if (p.delay !== undefined && p.delay >= p.n) {
    ctx.addIssue({
      code: 'custom',
      path: ['delay'],
      message: `delay must be < n = ${p.n} steps (the position for step i may use X_1..X_{i-1-D}; with D >= n nothing is ever seen)`,
    });
  } else if (p.delayFraction !== undefined && Math.round(p.delayFraction * p.n) >= p.n) {
    ctx.addIssue({
      code: 'custom',
      path: ['delayFraction'],
      message: `delayFraction × n rounds to ${Math.round(p.delayFraction * p.n)} steps, which must be < n = ${p.n}`,
    });
  }
  if (p.sigmahat === undefined && p.ratio2 === undefined) {
    ctx.addIssue({ code: 'custom', path: ['ratio2'], message: "the market's variance is required: give sigmahat or ratio2 = sigmahat²/sigma²" });
  } else if (p.sigmahat !== undefined && p.ratio2 !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['ratio2'], message: 'give either sigmahat or ratio2, not both' });
  } else if (p.sigmahat !== undefined) {
    const r = (p.sigmahat / p.sigma) ** 2;
    if (!(r >= 1 / MAX_RATIO2 && r <= MAX_RATIO2)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sigmahat'],
        message: `sigmahat²/sigma² = ${Number(r.toPrecision(4))} must be between ${1 / MAX_RATIO2} and ${MAX_RATIO2}`,
      });
    }
  }
}

export const semistaticParamsSchema = z.object(paramsShape).strict().superRefine(refineParams);
export type SemistaticParams = z.input<typeof semistaticParamsSchema>;

/** The parameters with every alternative resolved: D in steps, s2 and sigmahat both known. */
export interface ResolvedParams {
  n: number;
  /** Delay in steps, 0 <= D < n. */
  D: number;
  /** D / n (the delay as a fraction of the horizon). */
  delayFraction: number;
  /** Money per share per step. */
  sigma: number;
  /** Money per share per step. */
  sigmahat: number;
  /** sigmahat^2 / sigma^2. */
  ratio2: number;
  /** Money per share per step. */
  mu: number;
  /** Money per share. */
  s0: number;
  /** 1/money. */
  riskAversion: number;
}

export const DEFAULT_S0 = 100;

/** Resolve a validated request (D from delayFraction by rounding, s2 from sigmahat). */
export function resolveParams(p: ParamsInput): ResolvedParams {
  const D = p.delay ?? Math.round((p.delayFraction ?? 0) * p.n);
  const ratio2 = p.ratio2 ?? (p.sigmahat! / p.sigma) ** 2;
  return {
    n: p.n,
    D,
    delayFraction: D / p.n,
    sigma: p.sigma,
    sigmahat: p.sigmahat ?? p.sigma * Math.sqrt(ratio2),
    ratio2,
    mu: p.mu,
    s0: p.s0 ?? DEFAULT_S0,
    riskAversion: p.riskAversion ?? 1,
  };
}

/** The spec's Monte Carlo example: n = 10, D = 2, sigma = 1.3, mu = 0.1, s2 = 0.7. */
export const DEFAULT_PARAMS = { n: 10, delay: 2, sigma: 1.3, ratio2: 0.7, mu: 0.1, s0: DEFAULT_S0, riskAversion: 1 } as const;
