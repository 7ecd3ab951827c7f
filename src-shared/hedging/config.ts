import { z } from 'zod';

/**
 * A single-option hedging run (deep-hedging spec, "Market" and "Liabilities"): short one European or
 * fixed-strike lookback call on an asset with P_0 = 1 following GBM, hedged at `steps` equally spaced
 * dates over `days` calendar days (dt = days / 365 / steps), proportional cost `cost` per unit traded.
 */

/** Largest number of paths a run may use: the PnL vector (8 bytes a path) and its sort stay under ~50 MB. */
export const MAX_PATHS = 2_000_000;
/** Largest paths x steps product (about a minute of work on a 2-core machine). */
export const MAX_PATH_STEPS = 300_000_000;

export const HEDGE_MODELS = ['bsdh'] as const;
export const OPTION_TYPES = ['european', 'lookback'] as const;

const finite = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? `${what} is required` : `${what} must be a number`) });

export const hedgeConfigSchema = z
  .object({
    model: z.enum(HEDGE_MODELS, { error: 'model must be one of: bsdh' }),
    option: z.enum(OPTION_TYPES, { error: 'option must be european or lookback' }),
    strike: finite('strike').gt(0, 'strike must be > 0').max(100, 'strike must be <= 100 (P_0 = 1)'),
    sigma: finite('sigma').gt(0, 'sigma must be > 0').max(5, 'sigma must be <= 5 (500%/yr)'),
    drift: finite('drift').min(-5, 'drift must be >= -5').max(5, 'drift must be <= 5'),
    days: finite('days').gt(0, 'days must be > 0').max(3650, 'days must be <= 3650'),
    steps: finite('steps').int('steps must be a whole number').min(1, 'steps must be >= 1').max(10_000, 'steps must be <= 10000'),
    cost: finite('cost').min(0, 'cost must be >= 0').max(0.1, 'cost must be <= 0.1 (10% of notional traded)'),
    paths: finite('paths')
      .int('paths must be a whole number')
      .min(2, 'paths must be >= 2')
      .max(MAX_PATHS, `paths must be <= ${MAX_PATHS} (memory-safe limit)`),
    seed: finite('seed').int('seed must be a whole number').min(0, 'seed must be >= 0').max(2 ** 32 - 1, 'seed must be < 2^32'),
    label: z.string().max(120, 'label must be at most 120 characters').optional(),
  })
  .strict()
  .refine((c) => c.paths * c.steps <= MAX_PATH_STEPS, {
    message: `paths x steps must be <= ${MAX_PATH_STEPS} (about a minute of work); lower paths or steps`,
    path: ['paths'],
  });

export type HedgeConfig = z.output<typeof hedgeConfigSchema>;

/** The example the app opens on: at-the-money European call, sigma 0.1, 30 daily steps, cost 2e-3. */
export const DEFAULT_HEDGE_CONFIG: HedgeConfig = {
  model: 'bsdh',
  option: 'european',
  strike: 1,
  sigma: 0.1,
  drift: 0,
  days: 30,
  steps: 30,
  cost: 0.002,
  paths: 100_000,
  seed: 1,
};

/** Risk and summary figures of a PnL sample, all in units of P_0 (money) unless stated. */
export interface HedgeMetrics {
  paths: number;
  mean: number;
  std: number;
  /** Entropic loss rho = (1/a) log E[exp(-a PNL)], a = 1. */
  entropic: number;
  var90: number;
  var95: number;
  var99: number;
  es90: number;
  es95: number;
  es99: number;
  /** Indifference price q(Z) = rho(PNL with Z) - min over static holdings of rho(PNL without Z). */
  indifferencePrice: number;
  /** The second term of the indifference price (0 when drift = 0). */
  noLiabilityRisk: number;
  /**
   * True when the best static holding hit the bound |h| = 100 units: with a strong drift the no-liability
   * risk has no finite minimum on the sample, and the indifference price is then not meaningful.
   */
  noLiabilityAtBound?: boolean;
  /** Closed-form option value at t = 0 (Black-Scholes or Conze-Viswanathan lookback, r = 0). */
  premium: number;
  /** Mean transaction cost paid per path. */
  meanCost: number;
}
