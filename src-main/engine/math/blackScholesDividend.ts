import { bsCallDelta, bsCallPrice, bsGamma, bsPutPrice } from './blackScholes';

/**
 * Black–Scholes European call and put with a continuous dividend yield q, by the forward-spot substitution
 * S -> S e^{-q tau} in the no-dividend formulas of ./blackScholes.ts (Merton 1973):
 *
 *     C = S e^{-q tau} N(d1) - K e^{-r tau} N(d2),   d1 = (ln(S/K) + (r - q + sigma^2/2) tau) / (sigma sqrt(tau))
 *     Delta_call = e^{-q tau} N(d1),   Delta_put = e^{-q tau} (N(d1) - 1),   Gamma = e^{-q tau} n(d1) / (S sigma sqrt(tau))
 *
 * Spec portfolio-bsde.md, "Closed forms the engine needs": Black-Scholes price/Delta/Gamma with dividends.
 */
export interface BsDivArgs {
  /** Spot S > 0 (money). */
  spot: number;
  /** Strike K > 0 (money). */
  strike: number;
  /** Annualised volatility sigma >= 0. */
  vol: number;
  /** Time to maturity tau in years (<= 0: intrinsic value). */
  tau: number;
  /** Continuously compounded risk-free rate r (per year). */
  rate: number;
  /** Continuous dividend yield q (per year). */
  div: number;
}

export type OptionSide = 'call' | 'put';

const fwdArgs = (a: BsDivArgs) => ({
  spot: a.tau > 0 ? a.spot * Math.exp(-a.div * a.tau) : a.spot,
  strike: a.strike,
  vol: a.vol,
  tau: a.tau,
  rate: a.rate,
});
const divFactor = (a: BsDivArgs): number => (a.tau > 0 ? Math.exp(-a.div * a.tau) : 1);

/** European call or put value with dividend yield q (money). */
export function bsDivPrice(side: OptionSide, a: BsDivArgs): number {
  return side === 'call' ? bsCallPrice(fwdArgs(a)) : bsPutPrice(fwdArgs(a));
}

/** dV/dS (units of the asset per option): e^{-q tau} N(d1) for a call, e^{-q tau} (N(d1) - 1) for a put. */
export function bsDivDelta(side: OptionSide, a: BsDivArgs): number {
  const dc = divFactor(a) * bsCallDelta(fwdArgs(a));
  return side === 'call' ? dc : dc - divFactor(a);
}

/** d^2V/dS^2 (1/money), the same for call and put: e^{-2 q tau} Gamma_0(S e^{-q tau}). */
export function bsDivGamma(a: BsDivArgs): number {
  const f = divFactor(a);
  return f * f * bsGamma(fwdArgs(a));
}
