import { type OptionSide } from './blackScholesDividend';

/**
 * Bermudan (and European) call/put on one Black–Scholes asset Y with dividend yield q, by a
 * Cox–Ross–Rubinstein binomial lattice (spec portfolio-bsde.md: "Bermudan/American options on G are
 * one-dimensional (price them with a lattice or PDE)").
 *
 *     u = e^{sigma sqrt(h)}, d = 1/u, p = (e^{(r-q) h} - d) / (u - d), V_i = e^{-r h} (p V_{i+1}^up + (1-p) V_{i+1}^down)
 *
 * with early exercise V = max(V, payoff) only at the lattice steps of the exercise dates. Delta and Gamma are
 * read from the three nodes two steps in (Hull's estimator, O(h) in time). The lattice is run with m and m+1
 * steps per exercise interval and the results averaged, which damps CRR's odd/even oscillation.
 */
export interface LatticeArgs {
  side: OptionSide;
  /** Spot Y_0 > 0 (money). */
  spot: number;
  /** Strike K > 0 (money). */
  strike: number;
  /** Annualised volatility > 0. */
  vol: number;
  /** Risk-free rate r and dividend yield q (per year). */
  rate: number;
  div: number;
  /** Maturity T > 0 in years. */
  tau: number;
  /**
   * Number E of equally spaced exercise dates k T / E, k = 1..E (the last one is maturity). 1 = European.
   */
  exerciseDates: number;
  /** Approximate total lattice steps (default 2400); rounded to a multiple of `exerciseDates`. */
  steps?: number;
}

export interface LatticeResult {
  /** Value at t = 0 (money). */
  price: number;
  /** dV/dY_0 (units of Y). */
  delta: number;
  /** d2V/dY_0^2 (1/money). */
  gamma: number;
}

function crr(a: LatticeArgs, perInterval: number): LatticeResult {
  const E = a.exerciseDates;
  const M = E * perInterval;
  const h = a.tau / M;
  const u = Math.exp(a.vol * Math.sqrt(h));
  const dn = 1 / u;
  const p = (Math.exp((a.rate - a.div) * h) - dn) / (u - dn);
  if (!(p > 0 && p < 1)) throw new Error(`lattice is not arbitrage-free with ${M} steps (p = ${p}); use more steps`);
  const disc = Math.exp(-a.rate * h);
  const pu = disc * p;
  const pd = disc * (1 - p);
  const sgn = a.side === 'call' ? 1 : -1;
  const payoff = (y: number): number => Math.max(sgn * (y - a.strike), 0);
  // Node j at step i: Y = spot u^(2j - i), j = 0..i.
  const v = new Float64Array(M + 1);
  const logU = Math.log(u);
  for (let j = 0; j <= M; j++) v[j] = payoff(a.spot * Math.exp((2 * j - M) * logU));
  let atTwo: [number, number, number] | null = null;
  for (let i = M - 1; i >= 0; i--) {
    const exercise = i > 0 && i % perInterval === 0; // steps of the dates k T / E, k = 1..E-1 (maturity done above)
    for (let j = 0; j <= i; j++) {
      let x = pu * v[j + 1] + pd * v[j];
      if (exercise) x = Math.max(x, payoff(a.spot * Math.exp((2 * j - i) * logU)));
      v[j] = x;
    }
    if (i === 2) atTwo = [v[0], v[1], v[2]];
  }
  if (!atTwo) throw new Error('lattice needs at least 2 steps');
  const [v0, v1, v2] = atTwo;
  const y0 = a.spot * dn * dn;
  const y2 = a.spot * u * u;
  const delta = (v2 - v0) / (y2 - y0);
  const gamma = ((v2 - v1) / (y2 - a.spot) - (v1 - v0) / (a.spot - y0)) / (0.5 * (y2 - y0));
  return { price: v[0], delta, gamma };
}

/** Price, Delta and Gamma at t = 0 of a Bermudan (E dates) or European (E = 1) option on Y. */
export function latticeBermudan(a: LatticeArgs): LatticeResult {
  if (!(a.spot > 0 && a.strike > 0 && a.vol > 0 && a.tau > 0)) throw new Error('lattice needs spot, strike, vol, tau > 0');
  if (!Number.isInteger(a.exerciseDates) || a.exerciseDates < 1) throw new Error('exerciseDates must be a whole number >= 1');
  const per = Math.max(2, Math.round((a.steps ?? 2400) / a.exerciseDates));
  const r1 = crr(a, per);
  const r2 = crr(a, per + 1);
  return { price: 0.5 * (r1.price + r2.price), delta: 0.5 * (r1.delta + r2.delta), gamma: 0.5 * (r1.gamma + r2.gamma) };
}
