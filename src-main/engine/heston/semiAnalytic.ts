import {
  type HestonEuropean,
  type HestonGreekArrays,
  type HestonGreeks,
  type HestonMarket,
} from '../../../src-shared/heston/types';
import { cabs, cexp, cmul, cx, type Cx, lewisExponent } from './charFn';
import { gaussLegendre } from './gaussLegendre';

/**
 * Semi-analytic European prices and Greeks under Heston (spec heston-osm.md, "References the engine computes
 * itself"): Heston (1993) in the "little trap" form (Albrecher et al. 2007, see `lewisExponent`) priced with
 * Lewis's (2001) single real integral,
 *
 *     Call = S e^{-q tau} - (e^{-r tau} / pi) J,   Put = K e^{-r tau} - (e^{-r tau} / pi) J,
 *     J(S, nu) = K int_0^inf Re[ exp(w k + C(u) + D(u) nu) ] / (u^2 + 1/4) du,   w = 1/2 + i u,
 *     k = ln(S / K) + (r - q) tau,
 *
 * (Lewis, "A simple option formula for general jump-diffusion and other exponential Lévy processes", eq. (2.10);
 * the put follows by parity, which therefore holds to rounding). Greeks differentiate under the integral:
 * d/dS = (1/S) d/dk multiplies the integrand by w, d2/dS2 = (1/S^2)(d2/dk2 - d/dk) by w^2 - w, d/dnu by D,
 * d2/dnu2 by D^2, d2/dS dnu by w D / S.
 *
 * Quadrature: composite Gauss–Legendre (16 nodes a panel, panels graded near 0) on [0, U]; U is where the integrand's envelope
 * |e^{C + D nu}| max(1, |w^2 - w|, |D|^2) / (u^2 + 1/4) falls below 1e-15, and the panels halve until the
 * six integrals agree to 1e-10 relative (Gauss–Legendre converges geometrically, so the finer rule, which is the one used, is then good to ~1e-14) at probe states (the extreme log-moneyness and variance of the batch).
 */

const NODES_PER_PANEL = 16;
const ENV_TOL = 1e-15;
const AGREE_TOL = 1e-10;
const U_MAX = 65536;
const MAX_LEVEL = 9;
/** Probe log-moneyness is clipped to this range (states further out are essentially intrinsic). */
const K_PROBE_CLIP = 3;

/** Quadrature rule with the integrand's state-independent factors folded in; n nodes. */
interface LewisRule {
  n: number;
  u: Float64Array;
  dRe: Float64Array;
  dIm: Float64Array;
  /** n x 12: (re, im) of weight * e^{C} / (u^2 + 1/4) times 1, w, w^2 - w, D, D^2, w D. */
  coef: Float64Array;
  upper: number;
}

function nodeFactors(m: HestonMarket, tau: number, u: number, weight: number, out: Float64Array, o: number): Cx {
  const { C, D } = lewisExponent(m, tau, u);
  const h = cmul(cexp(C), cx(weight / (u * u + 0.25)));
  const w = cx(0.5, u);
  const w2mw = cx(-0.25 - u * u, 0); // (1/2 + iu)^2 - (1/2 + iu) = -1/4 - u^2
  const DD = cmul(D, D);
  const fac = [cx(1), w, w2mw, D, DD, cmul(w, D)];
  for (let j = 0; j < 6; j++) {
    const c = cmul(h, fac[j]);
    out[o + 2 * j] = c.re;
    out[o + 2 * j + 1] = c.im;
  }
  return D;
}

/**
 * Panel edges on [0, upper] at refinement level L: widths min(upper / 2^L, 8 max(a, 1/2) / 2^L) — graded near
 * u = 0 because the factor 1 / (u^2 + 1/4) has poles at u = +-i/2, which limit Gauss–Legendre on wide panels.
 */
function panelEdges(upper: number, level: number): number[] {
  const scale = 2 ** -level;
  const edges = [0];
  let a = 0;
  while (a < upper) {
    a = Math.min(upper, a + Math.min(upper * scale, 8 * Math.max(a, 0.5) * scale));
    edges.push(a);
  }
  return edges;
}

function buildRule(m: HestonMarket, tau: number, upper: number, level: number): LewisRule {
  const gl = gaussLegendre(NODES_PER_PANEL);
  const edges = panelEdges(upper, level);
  const panels = edges.length - 1;
  const n = panels * NODES_PER_PANEL;
  const u = new Float64Array(n);
  const dRe = new Float64Array(n);
  const dIm = new Float64Array(n);
  const coef = new Float64Array(n * 12);
  for (let p = 0, i = 0; p < panels; p++) {
    const h = edges[p + 1] - edges[p];
    for (let j = 0; j < NODES_PER_PANEL; j++, i++) {
      const ui = edges[p] + 0.5 * h * (gl.x[j] + 1);
      u[i] = ui;
      const D = nodeFactors(m, tau, ui, 0.5 * h * gl.w[j], coef, 12 * i);
      dRe[i] = D.re;
      dIm[i] = D.im;
    }
  }
  return { n, u, dRe, dIm, coef, upper };
}

/** The six integrals sum_i Re[coef_ij e^{D_i nu + i u_i k}], j = 0..5, into out[o..o+5]. */
function integrals(rule: LewisRule, k: number, nu: number, out: Float64Array, o: number): void {
  const { n, u, dRe, dIm, coef } = rule;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.exp(dRe[i] * nu);
    const ph = u[i] * k + dIm[i] * nu;
    const er = a * Math.cos(ph);
    const ei = a * Math.sin(ph);
    const c = 12 * i;
    s0 += coef[c] * er - coef[c + 1] * ei;
    s1 += coef[c + 2] * er - coef[c + 3] * ei;
    s2 += coef[c + 4] * er - coef[c + 5] * ei;
    s3 += coef[c + 6] * er - coef[c + 7] * ei;
    s4 += coef[c + 8] * er - coef[c + 9] * ei;
    s5 += coef[c + 10] * er - coef[c + 11] * ei;
  }
  out[o] = s0;
  out[o + 1] = s1;
  out[o + 2] = s2;
  out[o + 3] = s3;
  out[o + 4] = s4;
  out[o + 5] = s5;
}

/** Truncation point U: first point (by doubling, then bisection) where the envelope is below ENV_TOL. */
function truncation(m: HestonMarket, tau: number, nuMin: number, nuMax: number): number {
  const env = (u: number): number => {
    const { C, D } = lewisExponent(m, tau, u);
    const nu = D.re < 0 ? nuMin : nuMax;
    const w2 = u * u + 0.25;
    return (Math.exp(C.re + D.re * nu) * Math.max(1, w2, cabs(D) ** 2)) / w2;
  };
  let hi = 1;
  while (hi < U_MAX && env(hi) > ENV_TOL) hi *= 2;
  if (hi <= 1) return 1;
  let lo = hi / 2;
  for (let it = 0; it < 12; it++) {
    const mid = 0.5 * (lo + hi);
    if (env(mid) > ENV_TOL) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * A rule accurate at every probe (log-moneyness k, variance nu): panels double until the six integrals agree
 * to AGREE_TOL relative (or MAX_LEVEL is reached).
 */
function adaptiveRule(m: HestonMarket, tau: number, probes: { k: number; nu: number }[]): LewisRule {
  let nuMin = Infinity;
  let nuMax = -Infinity;
  for (const p of probes) {
    nuMin = Math.min(nuMin, p.nu);
    nuMax = Math.max(nuMax, p.nu);
  }
  const upper = truncation(m, tau, nuMin, nuMax);
  const a = new Float64Array(6 * probes.length);
  const b = new Float64Array(6 * probes.length);
  let rule = buildRule(m, tau, upper, 1);
  probes.forEach((p, j) => integrals(rule, p.k, p.nu, a, 6 * j));
  for (let level = 2; level <= MAX_LEVEL; level++) {
    const next = buildRule(m, tau, upper, level);
    probes.forEach((p, j) => integrals(next, p.k, p.nu, b, 6 * j));
    rule = next;
    let ok = true;
    for (let i = 0; i < a.length && ok; i++) ok = Math.abs(a[i] - b[i]) <= AGREE_TOL * Math.max(1, Math.abs(b[i]));
    if (ok) break;
    a.set(b);
  }
  return rule;
}

/** Greeks from the six integrals at one state (formulas in the module doc). */
function greeksFromIntegrals(
  m: HestonMarket,
  opt: HestonEuropean,
  tau: number,
  S: number,
  k: number,
  s: Float64Array,
  o: number,
  out: HestonGreekArrays,
  i: number,
): void {
  const disc = Math.exp(-m.r * tau) / Math.PI;
  const pre = opt.strike * Math.exp(0.5 * k) * disc; // (e^{-r tau}/pi) K e^{k/2}
  const call = opt.kind === 'call';
  out.price[i] = (call ? S * Math.exp(-m.q * tau) : opt.strike * Math.exp(-m.r * tau)) - pre * s[o];
  out.delta[i] = (call ? Math.exp(-m.q * tau) : 0) - (pre * s[o + 1]) / S;
  out.gamma[i] = (-pre * s[o + 2]) / (S * S);
  out.vega[i] = -pre * s[o + 3];
  out.vomma[i] = -pre * s[o + 4];
  out.vanna[i] = (-pre * s[o + 5]) / S;
}

function allocArrays(n: number): HestonGreekArrays {
  return {
    price: new Float64Array(n),
    delta: new Float64Array(n),
    vega: new Float64Array(n),
    gamma: new Float64Array(n),
    vomma: new Float64Array(n),
    vanna: new Float64Array(n),
  };
}

/**
 * Payoff and its almost-everywhere Greeks (tau <= 0): price (K - S)^+ or (S - K)^+, Delta -1{S < K} or 1{S > K},
 * all other Greeks 0.
 */
function payoffInto(opt: HestonEuropean, S: Float64Array, out: HestonGreekArrays): HestonGreekArrays {
  const call = opt.kind === 'call';
  for (let i = 0; i < S.length; i++) {
    const x = S[i] - opt.strike;
    out.price[i] = call ? Math.max(x, 0) : Math.max(-x, 0);
    out.delta[i] = call ? (x > 0 ? 1 : 0) : x < 0 ? -1 : 0;
  }
  return out;
}

function checkInputs(market: HestonMarket, opt: HestonEuropean): void {
  if (!(opt.strike > 0)) throw new RangeError(`strike must be > 0, got ${opt.strike}`);
  if (!(market.kappa > 0) || !(market.nubar >= 0) || !(market.xi >= 0) || !(Math.abs(market.rho) < 1)) {
    throw new RangeError(
      `Heston parameters out of range: need kappa > 0, nubar >= 0, xi >= 0, |rho| < 1 (got kappa ${market.kappa}, nubar ${market.nubar}, xi ${market.xi}, rho ${market.rho})`,
    );
  }
}

/**
 * Price and the five Greeks (Delta = du/dS, Vega = du/dnu0, Gamma, Vomma = d2u/dnu0^2, Vanna = d2u/dS dnu0)
 * of a European put or call at t = 0, state (market.s0, market.nu0), maturity opt.maturity (years).
 * Price in currency units; Vega per unit of variance (1/yr). Formulas in the module doc.
 */
export function hestonEuropeanGreeks(market: HestonMarket, opt: HestonEuropean): HestonGreeks {
  const r = hestonEuropeanBatch(market, opt, opt.maturity, Float64Array.of(market.s0), Float64Array.of(market.nu0));
  return { price: r.price[0], delta: r.delta[0], vega: r.vega[0], gamma: r.gamma[0], vomma: r.vomma[0], vanna: r.vanna[0] };
}

/**
 * The same as `hestonEuropeanGreeks` at time to maturity `tau` (years) for a batch of states (S[i], nu[i])
 * (market.s0 and market.nu0 are ignored; opt.maturity too — tau rules). One quadrature rule is built per call
 * (C and D at the nodes, probed at the batch's extreme states), so each state costs one pass over the nodes
 * (an exp, a cos and a sin per node). tau <= 0 gives the payoff and its a.e. Greeks.
 *
 * @param S spot per state (> 0), length n.
 * @param nu variance per state (>= 0), length n.
 * @returns arrays of length n.
 */
export function hestonEuropeanBatch(
  market: HestonMarket,
  opt: HestonEuropean,
  tau: number,
  S: Float64Array,
  nu: Float64Array,
): HestonGreekArrays {
  checkInputs(market, opt);
  if (S.length !== nu.length) throw new RangeError(`S and nu must have the same length (${S.length} vs ${nu.length})`);
  const n = S.length;
  const out = allocArrays(n);
  if (n === 0) return out;
  if (!(tau > 0)) return payoffInto(opt, S, out);
  const drift = (market.r - market.q) * tau;
  const kOf = (s: number): number => Math.log(s / opt.strike) + drift;
  let kMin = Infinity;
  let kMax = -Infinity;
  let nuMin = Infinity;
  let nuMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const k = kOf(S[i]);
    kMin = Math.min(kMin, k);
    kMax = Math.max(kMax, k);
    nuMin = Math.min(nuMin, nu[i]);
    nuMax = Math.max(nuMax, nu[i]);
  }
  const clip = (k: number): number => Math.min(K_PROBE_CLIP, Math.max(-K_PROBE_CLIP, k));
  const probes =
    n === 1
      ? [{ k: kMin, nu: nuMin }]
      : [
          { k: clip(kMin), nu: nuMin },
          { k: clip(kMax), nu: nuMin },
          { k: clip(kMin), nu: nuMax },
          { k: clip(kMax), nu: nuMax },
        ];
  const rule = adaptiveRule(market, tau, probes);
  const sums = new Float64Array(6);
  for (let i = 0; i < n; i++) {
    const k = kOf(S[i]);
    integrals(rule, k, nu[i], sums, 0);
    greeksFromIntegrals(market, opt, tau, S[i], k, sums, 0, out, i);
  }
  return out;
}

/** Size of the quadrature rule `hestonEuropeanBatch` builds for one state (diagnostics and benchmarks). */
export function hestonRuleSize(market: HestonMarket, tau: number, S: number, nu: number, strike: number): { nodes: number; upper: number } {
  const k = Math.log(S / strike) + (market.r - market.q) * tau;
  const rule = adaptiveRule(market, tau, [{ k, nu }]);
  return { nodes: rule.n, upper: rule.upper };
}
