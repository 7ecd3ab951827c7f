import { type HestonMarket } from '../../../src-shared/heston/types';
import { cabs, cexp, cmul, cx, type Cx, lewisExponent } from './charFn';
import { gaussLegendre } from './gaussLegendre';

/**
 * Quadrature of the Lewis integrals of semiAnalytic.ts: composite Gauss–Legendre on [0, U] with the
 * state-independent factors (C, D and the Greek multipliers at the nodes) folded into one rule per
 * (market, tau), so that a state (k, nu) costs one pass over the nodes. See semiAnalytic.ts for the formulas.
 */

const NODES_PER_PANEL = 16;
const ENV_TOL = 1e-15;
export const AGREE_TOL = 1e-10;
/** A single state (the t = 0 reference) is cheap: converge further. */
export const AGREE_TOL_SCALAR = 1e-12;
const U_MAX = 65536;
const MAX_LEVEL = 18;

/** Quadrature rule with the integrand's state-independent factors folded in; n nodes. */
export interface LewisRule {
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
 * Panel edges on [0, upper] at refinement level L: widths min(upper / 2^(L/2), 8 max(a, 1/2) / 2^(L/2)) — graded near
 * u = 0 because the factor 1 / (u^2 + 1/4) has poles at u = +-i/2, which limit Gauss–Legendre on wide panels.
 */
function panelEdges(upper: number, level: number): number[] {
  const scale = 2 ** (-level / 2);
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
export function integrals(rule: LewisRule, k: number, nu: number, out: Float64Array, o: number): void {
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
 * to `tol` relative (or MAX_LEVEL is reached).
 */
export function adaptiveRule(m: HestonMarket, tau: number, probes: { k: number; nu: number }[], tol: number): LewisRule {
  let nuMin = Infinity;
  let nuMax = -Infinity;
  for (const p of probes) {
    nuMin = Math.min(nuMin, p.nu);
    nuMax = Math.max(nuMax, p.nu);
  }
  const upper = truncation(m, tau, nuMin, nuMax);
  const a = new Float64Array(6 * probes.length);
  const b = new Float64Array(6 * probes.length);
  let rule = buildRule(m, tau, upper, 2);
  probes.forEach((p, j) => integrals(rule, p.k, p.nu, a, 6 * j));
  for (let level = 3; level <= MAX_LEVEL; level++) {
    const next = buildRule(m, tau, upper, level);
    probes.forEach((p, j) => integrals(next, p.k, p.nu, b, 6 * j));
    rule = next;
    let ok = true;
    for (let i = 0; i < a.length && ok; i++) ok = Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i]));
    if (ok) break;
    a.set(b);
  }
  return rule;
}
