import { normCdf, normPdf } from './normal';

/**
 * Black–Scholes (1973) European call and put on a non-dividend asset, with their spot Greeks.
 *
 *     d1 = (ln(S/K) + (r + sigma^2/2) tau) / (sigma sqrt(tau)),   d2 = d1 - sigma sqrt(tau)
 *     C = S N(d1) - K e^{-r tau} N(d2),   P = K e^{-r tau} N(-d2) - S N(-d1)
 *     Delta_call = N(d1),   Gamma = n(d1) / (S sigma sqrt(tau))
 *
 * The deep-hedging spec uses r = 0 (BSDH row of the Hedgers table: delta_i = N(d1) at tau = T - t_i).
 */
export interface BsArgs {
  /** Spot price S (> 0), units of money (P_0 = 1). */
  spot: number;
  /** Strike K (> 0), same units as spot. */
  strike: number;
  /** Annualised volatility sigma (0.1 = 10%/yr), >= 0. */
  vol: number;
  /** Time to maturity in years; tau <= 0 means at or past expiry (intrinsic value). */
  tau: number;
  /** Continuously compounded annual interest rate r; default 0. */
  rate?: number;
}

/** Total standard deviation s = sigma sqrt(tau) (0 when tau <= 0 or vol <= 0). */
function totalVol(vol: number, tau: number): number {
  return tau > 0 && vol > 0 ? vol * Math.sqrt(tau) : 0;
}

/**
 * d1 = (ln(S/K) + (r + sigma^2/2) tau) / (sigma sqrt(tau)).
 * @param s total volatility sigma sqrt(tau) > 0.
 */
function bsD1(spot: number, strike: number, s: number, rate: number, tau: number): number {
  return (Math.log(spot / strike) + rate * tau) / s + 0.5 * s;
}

/**
 * European call value C = S N(d1) - K e^{-r tau} N(d2).
 * At tau <= 0: max(S - K, 0). With vol = 0 and tau > 0: max(S - K e^{-r tau}, 0).
 * @returns price in the units of spot.
 */
export function bsCallPrice({ spot, strike, vol, tau, rate = 0 }: BsArgs): number {
  if (tau <= 0) return Math.max(spot - strike, 0);
  const df = Math.exp(-rate * tau);
  const s = totalVol(vol, tau);
  if (s === 0) return Math.max(spot - strike * df, 0);
  const d1 = bsD1(spot, strike, s, rate, tau);
  return spot * normCdf(d1) - strike * df * normCdf(d1 - s);
}

/**
 * European put value P = K e^{-r tau} N(-d2) - S N(-d1) (computed directly, not by parity, so that
 * deep in-the-money calls do not lose the put's small value to cancellation).
 * At tau <= 0: max(K - S, 0). With vol = 0 and tau > 0: max(K e^{-r tau} - S, 0).
 * @returns price in the units of spot.
 */
export function bsPutPrice({ spot, strike, vol, tau, rate = 0 }: BsArgs): number {
  if (tau <= 0) return Math.max(strike - spot, 0);
  const df = Math.exp(-rate * tau);
  const s = totalVol(vol, tau);
  if (s === 0) return Math.max(strike * df - spot, 0);
  const d1 = bsD1(spot, strike, s, rate, tau);
  return strike * df * normCdf(s - d1) - spot * normCdf(-d1);
}

/**
 * Call delta dC/dS = N(d1) (dimensionless, units of the asset per option).
 * At tau <= 0 (or vol = 0) the step function: 1 if S > K e^{-r tau}, 0 if below, 1/2 at the money.
 */
export function bsCallDelta({ spot, strike, vol, tau, rate = 0 }: BsArgs): number {
  const s = totalVol(vol, tau);
  if (s === 0) {
    const fwdStrike = tau > 0 ? strike * Math.exp(-rate * tau) : strike;
    return spot > fwdStrike ? 1 : spot < fwdStrike ? 0 : 0.5;
  }
  return normCdf(bsD1(spot, strike, s, rate, tau));
}

/**
 * Gamma d^2C/dS^2 = n(d1) / (S sigma sqrt(tau)) (same for call and put), units 1/money.
 * At tau <= 0 (or vol = 0) returns 0 (the Dirac mass at the strike is not representable).
 */
export function bsGamma({ spot, strike, vol, tau, rate = 0 }: BsArgs): number {
  const s = totalVol(vol, tau);
  if (s === 0) return 0;
  return normPdf(bsD1(spot, strike, s, rate, tau)) / (spot * s);
}

/**
 * Call delta at r = 0 from precomputed logs, for hot loops: N((ln S - ln K) / s + s/2).
 * @param logSpotOverStrike ln(S/K).
 * @param s total volatility sigma sqrt(tau) > 0.
 */
export function bsCallDeltaZeroRate(logSpotOverStrike: number, s: number): number {
  return normCdf(logSpotOverStrike / s + 0.5 * s);
}
