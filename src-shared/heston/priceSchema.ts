import { z } from 'zod';
import { num } from '../zodFields';
import { H1_CLAIM, H1_MARKET } from './types';

/**
 * Input checks of a Heston market and a European option (the `heston price` CLI; reusable by handlers). Field
 * names are those of HestonMarket / HestonEuropean, so an error names the field (and the CLI flag of the same
 * name). Units as in types.ts: nu0 and nubar are variances per year (vol^2), xi per sqrt(year), years for maturity.
 */

export const hestonMarketSchema = z.strictObject({
  s0: num('s0').gt(0, 's0 must be > 0 (spot, currency)').max(1e9, 's0 must be <= 1e9'),
  nu0: num('nu0').min(0, 'nu0 must be >= 0 (initial variance, vol^2 per year)').max(25, 'nu0 must be <= 25 (vol 500%)'),
  kappa: num('kappa').gt(0, 'kappa must be > 0 (mean-reversion speed, per year)').max(100, 'kappa must be <= 100 per year'),
  nubar: num('nubar').min(0, 'nubar must be >= 0 (long-run variance, vol^2 per year)').max(25, 'nubar must be <= 25 (vol 500%)'),
  xi: num('xi').min(0, 'xi must be >= 0 (vol of variance, per sqrt(year))').max(20, 'xi must be <= 20'),
  rho: num('rho').gt(-1, 'rho must be > -1 (correlation)').lt(1, 'rho must be < 1 (correlation)'),
  r: num('r').min(-1, 'r must be >= -1 (rate per year)').max(1, 'r must be <= 1 (rate per year)'),
  q: num('q').min(-1, 'q must be >= -1 (dividend yield per year)').max(1, 'q must be <= 1 (dividend yield per year)'),
});

export const hestonEuropeanSchema = z.strictObject({
  kind: z.enum(['put', 'call'], { error: 'option must be put or call' }),
  strike: num('strike').gt(0, 'strike must be > 0 (currency)').max(1e9, 'strike must be <= 1e9'),
  maturity: num('maturity').gt(0, 'maturity must be > 0 (years)').max(50, 'maturity must be <= 50 years'),
});

export const hestonPriceArgsSchema = z.strictObject({ market: hestonMarketSchema, option: hestonEuropeanSchema });
export type HestonPriceArgs = z.infer<typeof hestonPriceArgsSchema>;

/** Defaults of the `heston price` command: the H1 market and a put at H1's strike and maturity. */
export const HESTON_PRICE_DEFAULTS: HestonPriceArgs = {
  market: { ...H1_MARKET },
  option: { kind: 'put', strike: H1_CLAIM.strike, maturity: H1_CLAIM.maturity },
};
