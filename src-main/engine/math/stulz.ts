import { bivariateNormalCdf } from './bivariateNormal';
import { normCdf } from './normal';

/**
 * Stulz (1982) closed forms for European options on the maximum or minimum of two assets (R. Stulz, "Options on
 * the minimum or the maximum of two risky assets", J. Financial Economics 10, 161–185; as written in Haug,
 * "The Complete Guide to Option Pricing Formulas", 2nd ed., 2007, §4.4), with dividend yields q_1, q_2:
 *
 *     s^2 = sigma_1^2 + sigma_2^2 - 2 rho sigma_1 sigma_2,   t = sqrt(tau)
 *     d   = (ln(S_1/S_2) + (q_2 - q_1 + s^2/2) tau) / (s t)
 *     y_i = (ln(S_i/K) + (r - q_i + sigma_i^2/2) tau) / (sigma_i t)
 *     rho_1 = (sigma_1 - rho sigma_2)/s,   rho_2 = (sigma_2 - rho sigma_1)/s
 *     M(a, b; c) the bivariate normal distribution function, D_i = e^{-q_i tau}
 *
 *   call on the max:  C_max = S_1 D_1 M(y_1, d; rho_1) + S_2 D_2 M(y_2, -d + s t; rho_2)
 *                             - K e^{-r tau} [1 - M(-y_1 + sigma_1 t, -y_2 + sigma_2 t; rho)]
 *   call on the min:  C_min(K) = S_1 D_1 M(y_1, -d; -rho_1) + S_2 D_2 M(y_2, d - s t; -rho_2)
 *                             - K e^{-r tau} M(y_1 - sigma_1 t, y_2 - sigma_2 t; rho)
 *   put on the min:   P_min = K e^{-r tau} - C_min(0) + C_min(K),
 *                     C_min(0) = S_1 D_1 N(-d) + S_2 D_2 N(d - s t)    (the value of min(S_1, S_2) at tau)
 *
 * Deltas: the values are homogeneous of degree one in (S_1, S_2, K), and the S_i-coefficients above are the
 * deltas (dC_max/dS_1 = D_1 M(y_1, d; rho_1), dP_min/dS_1 = D_1 [M(y_1, -d; -rho_1) - N(-d)], and the same
 * with 1 <-> 2). Gammas are central differences of those analytic deltas (relative step 1e-4; error ~1e-8
 * relative). Checked against QuantLib's StulzEngine (test/reference/stulz_quantlib.py).
 */
export interface StulzArgs {
  /** Spots S_1, S_2 > 0 (money). */
  spots: [number, number];
  /** Annualised volatilities sigma_1, sigma_2 > 0. */
  vols: [number, number];
  /** Continuous dividend yields q_1, q_2 (per year). */
  divs: [number, number];
  /** Correlation of the two Brownian motions, in (-1, 1). */
  rho: number;
  /** Risk-free rate r (per year). */
  rate: number;
  /** Strike K > 0 (money). */
  strike: number;
  /** Time to maturity in years (> 0). */
  tau: number;
}

export interface StulzResult {
  /** Value at t = 0 (money). */
  price: number;
  /** [dV/dS_1, dV/dS_2] (units of each asset). */
  delta: [number, number];
  /** 2 x 2 second derivatives (1/money). */
  gamma: [[number, number], [number, number]];
}

interface Parts {
  d: number;
  st: number;
  y: [number, number];
  sig: [number, number];
  rho1: number;
  rho2: number;
  disc: [number, number];
  t: number;
}

function parts(a: StulzArgs): Parts {
  const t = Math.sqrt(a.tau);
  const [s1, s2] = a.vols;
  const s = Math.sqrt(s1 * s1 + s2 * s2 - 2 * a.rho * s1 * s2);
  if (!(s > 0)) throw new Error('Stulz: the two assets are perfectly correlated with equal volatilities (s = 0)');
  const d = (Math.log(a.spots[0] / a.spots[1]) + (a.divs[1] - a.divs[0] + 0.5 * s * s) * a.tau) / (s * t);
  const y = [0, 1].map((i) => (Math.log(a.spots[i] / a.strike) + (a.rate - a.divs[i] + 0.5 * a.vols[i] ** 2) * a.tau) / (a.vols[i] * t)) as [number, number];
  return { d, st: s * t, y, sig: a.vols, rho1: (s1 - a.rho * s2) / s, rho2: (s2 - a.rho * s1) / s, disc: [Math.exp(-a.divs[0] * a.tau), Math.exp(-a.divs[1] * a.tau)], t };
}

/** Value and deltas of the call on max(S_1, S_2). */
function maxCall(a: StulzArgs): { price: number; delta: [number, number] } {
  const p = parts(a);
  const m1 = bivariateNormalCdf(p.y[0], p.d, p.rho1);
  const m2 = bivariateNormalCdf(p.y[1], -p.d + p.st, p.rho2);
  const both = bivariateNormalCdf(-p.y[0] + p.sig[0] * p.t, -p.y[1] + p.sig[1] * p.t, a.rho);
  const price = a.spots[0] * p.disc[0] * m1 + a.spots[1] * p.disc[1] * m2 - a.strike * Math.exp(-a.rate * a.tau) * (1 - both);
  return { price, delta: [p.disc[0] * m1, p.disc[1] * m2] };
}

/** Value and deltas of the put on min(S_1, S_2). */
function minPut(a: StulzArgs): { price: number; delta: [number, number] } {
  const p = parts(a);
  const m1 = bivariateNormalCdf(p.y[0], -p.d, -p.rho1);
  const m2 = bivariateNormalCdf(p.y[1], p.d - p.st, -p.rho2);
  const both = bivariateNormalCdf(p.y[0] - p.sig[0] * p.t, p.y[1] - p.sig[1] * p.t, a.rho);
  const df = Math.exp(-a.rate * a.tau);
  const n1 = normCdf(-p.d);
  const n2 = normCdf(p.d - p.st);
  const cMinK = a.spots[0] * p.disc[0] * m1 + a.spots[1] * p.disc[1] * m2 - a.strike * df * both;
  const cMin0 = a.spots[0] * p.disc[0] * n1 + a.spots[1] * p.disc[1] * n2;
  return { price: a.strike * df - cMin0 + cMinK, delta: [p.disc[0] * (m1 - n1), p.disc[1] * (m2 - n2)] };
}

function withGamma(f: (a: StulzArgs) => { price: number; delta: [number, number] }, a: StulzArgs): StulzResult {
  const base = f(a);
  const gamma: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  for (let j = 0; j < 2; j++) {
    const h = 1e-4 * a.spots[j];
    const up = [...a.spots] as [number, number];
    const dn = [...a.spots] as [number, number];
    up[j] += h;
    dn[j] -= h;
    const du = f({ ...a, spots: up }).delta;
    const dd = f({ ...a, spots: dn }).delta;
    for (let i = 0; i < 2; i++) gamma[i][j] = (du[i] - dd[i]) / (2 * h);
  }
  const cross = 0.5 * (gamma[0][1] + gamma[1][0]);
  gamma[0][1] = gamma[1][0] = cross;
  return { price: base.price, delta: base.delta, gamma };
}

/** Stulz's call on the maximum of two assets, payoff max(max(S_1, S_2) - K, 0) at tau; see the module doc. */
export function stulzMaxCall(a: StulzArgs): StulzResult {
  return withGamma(maxCall, a);
}

/** Stulz's put on the minimum of two assets, payoff max(K - min(S_1, S_2), 0) at tau; see the module doc. */
export function stulzMinPut(a: StulzArgs): StulzResult {
  return withGamma(minPut, a);
}
