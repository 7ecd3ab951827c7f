import { normCdf, normPdf } from './normal';

/**
 * Margrabe (1978) exchange option max(S_a - k S_b, 0) at maturity tau with continuous dividend yields q_a, q_b
 * (spec portfolio-bsde.md "Closed forms"; source appendix B, eqs. 50-57):
 *
 *     s^2 = sigma_a^2 + sigma_b^2 - 2 rho sigma_a sigma_b
 *     d1 = (ln(S_a / (k S_b)) + (q_b - q_a + s^2/2) tau) / (s sqrt(tau)),   d2 = d1 - s sqrt(tau)
 *     V  = S_a e^{-q_a tau} N(d1) - k S_b e^{-q_b tau} N(d2)
 *
 * The risk-free rate does not enter (the strike is paid in asset b). Greeks by differentiation:
 *
 *     dV/dS_a = e^{-q_a tau} N(d1),                 dV/dS_b = -k e^{-q_b tau} N(d2)
 *     d2V/dS_a^2 = e^{-q_a tau} n(d1) / (S_a s sqrt(tau))
 *     d2V/dS_a dS_b = -e^{-q_a tau} n(d1) / (S_b s sqrt(tau))
 *     d2V/dS_b^2 = S_a e^{-q_a tau} n(d1) / (S_b^2 s sqrt(tau))   (using S_a e^{-q_a tau} n(d1) = k S_b e^{-q_b tau} n(d2))
 */
export interface MargrabeArgs {
  /** Spot of the asset received, S_a > 0 (money). */
  spotA: number;
  /** Spot of the asset given, S_b > 0 (money). */
  spotB: number;
  /** Exchange ratio k > 0 (units of b per unit of a). */
  ratio: number;
  /** Annualised volatilities sigma_a, sigma_b >= 0. */
  volA: number;
  volB: number;
  /** Correlation rho of the two Brownian motions, in [-1, 1]. */
  rho: number;
  /** Continuous dividend yields q_a, q_b (per year). */
  divA: number;
  divB: number;
  /** Time to maturity in years. */
  tau: number;
}

export interface MargrabeResult {
  /** Value (money). */
  price: number;
  /** [dV/dS_a, dV/dS_b]. */
  delta: [number, number];
  /** [[V_aa, V_ab], [V_ab, V_bb]] (1/money). */
  gamma: [[number, number], [number, number]];
}

/** Exchange-option volatility s = sqrt(sigma_a^2 + sigma_b^2 - 2 rho sigma_a sigma_b) (per sqrt(year)). */
export function exchangeVol(volA: number, volB: number, rho: number): number {
  return Math.sqrt(Math.max(0, volA * volA + volB * volB - 2 * rho * volA * volB));
}

/** Price, Deltas and Gammas of max(S_a - k S_b, 0) (see the module comment). */
export function margrabe(a: MargrabeArgs): MargrabeResult {
  const s = exchangeVol(a.volA, a.volB, a.rho);
  const ea = Math.exp(-a.divA * Math.max(a.tau, 0));
  const eb = Math.exp(-a.divB * Math.max(a.tau, 0));
  const fa = a.spotA * ea;
  const fb = a.ratio * a.spotB * eb;
  const sq = s * Math.sqrt(Math.max(a.tau, 0));
  if (!(sq > 0)) {
    const itm = fa > fb ? 1 : fa < fb ? 0 : 0.5;
    return { price: Math.max(fa - fb, 0), delta: [ea * itm, -a.ratio * eb * itm], gamma: [[0, 0], [0, 0]] };
  }
  const d1 = Math.log(fa / fb) / sq + 0.5 * sq;
  const d2 = d1 - sq;
  const n1 = normPdf(d1);
  const price = fa * normCdf(d1) - fb * normCdf(d2);
  const gaa = (ea * n1) / (a.spotA * sq);
  const gab = -(ea * n1) / (a.spotB * sq);
  const gbb = (fa * n1) / (a.spotB * a.spotB * sq);
  return { price, delta: [ea * normCdf(d1), -a.ratio * eb * normCdf(d2)], gamma: [[gaa, gab], [gab, gbb]] };
}
