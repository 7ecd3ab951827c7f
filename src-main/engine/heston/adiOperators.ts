import { type HestonMarket } from '../../../src-shared/heston/types';
import { centralFirst, centralSecond, forwardFirst } from './adiGrid';

/**
 * The semi-discrete Heston operator in time to maturity tau, split as in in 't Hout & Foulon (2010), section 2.3:
 *
 *     u_tau = A0 u + (A1 u + b1(tau)) + A2 u,
 *     A0 = rho xi S nu d2/dS dnu                                  (mixed term, always explicit),
 *     A1 = 1/2 S^2 nu d2/dS2 + (r - q) S d/dS - r/2               (S direction, tridiagonal),
 *     A2 = 1/2 xi^2 nu d2/dnu2 + kappa (nubar - nu) d/dnu - r/2   (nu direction, tridiagonal + one entry).
 *
 * Second-order central differences on the non-uniform grid; at nu = 0 the PDE holds with the diffusion gone and
 * d/dnu forward (second order, 3 points); for nu > 1 the nu-convection is first-order upwind (as the paper does,
 * to avoid oscillations where the grid is coarse). Boundaries: S = 0 Dirichlet (row forced in the A1 solve,
 * zero in the operators), S = Smax Neumann u_S = gN(tau) via a mirrored ghost point (gives b1), nu = Vmax Neumann
 * u_nu = 0. The mixed term is zero on every boundary row.
 *
 * Layout: index i * nv + j for (S_i, nu_j).
 */
export interface HestonOperators {
  ns: number;
  nv: number;
  /** A1 stencil at each point: coefficients of u_{i-1,j}, u_{i,j}, u_{i+1,j}. */
  a1l: Float64Array;
  a1d: Float64Array;
  a1u: Float64Array;
  /** b1 at row i = ns - 1 per j, to be multiplied by gN(tau). */
  nb: Float64Array;
  /** A2 stencil: coefficients of u_{i,j-1}, u_{i,j}, u_{i,j+1}; a2x[i] = coefficient of u_{i,2} in row (i, 0). */
  a2l: Float64Array;
  a2d: Float64Array;
  a2u: Float64Array;
  a2x: Float64Array;
  /** Mixed term: rho xi S_i nu_j at each point (0 on boundaries) and the first-derivative weights per axis. */
  c0: Float64Array;
  ws: Float64Array;
  wv: Float64Array;
  /** Scratch for the Thomas algorithm. */
  cp: Float64Array;
  dp: Float64Array;
}

export function buildOperators(m: HestonMarket, S: Float64Array, V: Float64Array): HestonOperators {
  const ns = S.length;
  const nv = V.length;
  const n = ns * nv;
  const op: HestonOperators = {
    ns,
    nv,
    a1l: new Float64Array(n),
    a1d: new Float64Array(n),
    a1u: new Float64Array(n),
    nb: new Float64Array(nv),
    a2l: new Float64Array(n),
    a2d: new Float64Array(n),
    a2u: new Float64Array(n),
    a2x: new Float64Array(ns),
    c0: new Float64Array(n),
    ws: new Float64Array(3 * ns),
    wv: new Float64Array(3 * nv),
    cp: new Float64Array(Math.max(ns, nv)),
    dp: new Float64Array(Math.max(ns, nv)),
  };
  const mu = m.r - m.q;
  for (let i = 1; i < ns - 1; i++) op.ws.set(centralFirst(S, i), 3 * i);
  for (let j = 1; j < nv - 1; j++) op.wv.set(centralFirst(V, j), 3 * j);
  for (let i = 1; i < ns; i++) {
    const s = S[i];
    for (let j = 0; j < nv; j++) {
      const k = i * nv + j;
      const v = V[j];
      // A1 (S direction).
      if (i < ns - 1) {
        const d2 = centralSecond(S, i);
        const d1 = centralFirst(S, i);
        const diff = 0.5 * s * s * v;
        op.a1l[k] = diff * d2[0] + mu * s * d1[0];
        op.a1d[k] = diff * d2[1] + mu * s * d1[1] - 0.5 * m.r;
        op.a1u[k] = diff * d2[2] + mu * s * d1[2];
      } else {
        const h = S[i] - S[i - 1];
        op.a1l[k] = (s * s * v) / (h * h);
        op.a1d[k] = -(s * s * v) / (h * h) - 0.5 * m.r;
        op.nb[j] = mu * s + (s * s * v) / h;
      }
      // A2 (nu direction).
      const conv = m.kappa * (m.nubar - v);
      if (j === 0) {
        const f = forwardFirst(V, 0);
        op.a2d[k] = conv * f[0] - 0.5 * m.r;
        op.a2u[k] = conv * f[1];
        op.a2x[i] = conv * f[2];
      } else if (j < nv - 1) {
        const d2 = centralSecond(V, j);
        const diff = 0.5 * m.xi * m.xi * v;
        // Convection weights [u_{j-1}, u_j, u_{j+1}]: central for nu <= 1, else first-order upwind.
        let cw: [number, number, number];
        if (v <= 1) cw = centralFirst(V, j);
        else if (conv < 0) cw = [-1 / (V[j] - V[j - 1]), 1 / (V[j] - V[j - 1]), 0];
        else cw = [0, -1 / (V[j + 1] - V[j]), 1 / (V[j + 1] - V[j])];
        const [cl, cd, cu] = [conv * cw[0], conv * cw[1], conv * cw[2]];
        op.a2l[k] = diff * d2[0] + cl;
        op.a2d[k] = diff * d2[1] + cd - 0.5 * m.r;
        op.a2u[k] = diff * d2[2] + cu;
      } else {
        const h = V[j] - V[j - 1];
        const diff = (m.xi * m.xi * v) / (h * h);
        op.a2l[k] = diff;
        op.a2d[k] = -diff - 0.5 * m.r;
      }
      if (i < ns - 1 && j > 0 && j < nv - 1) op.c0[k] = m.rho * m.xi * s * v;
    }
  }
  return op;
}

/** out = A0 u (mixed derivative, 9-point stencil as the tensor product of central first differences). */
export function applyA0(op: HestonOperators, u: Float64Array, out: Float64Array): void {
  const { ns, nv, c0, ws, wv } = op;
  out.fill(0);
  for (let i = 1; i < ns - 1; i++) {
    const s0 = ws[3 * i];
    const s1 = ws[3 * i + 1];
    const s2 = ws[3 * i + 2];
    for (let j = 1; j < nv - 1; j++) {
      const k = i * nv + j;
      const c = c0[k];
      if (c === 0) continue;
      const v0 = wv[3 * j];
      const v1 = wv[3 * j + 1];
      const v2 = wv[3 * j + 2];
      const lo = v0 * u[k - nv - 1] + v1 * u[k - nv] + v2 * u[k - nv + 1];
      const mid = v0 * u[k - 1] + v1 * u[k] + v2 * u[k + 1];
      const hi = v0 * u[k + nv - 1] + v1 * u[k + nv] + v2 * u[k + nv + 1];
      out[k] = c * (s0 * lo + s1 * mid + s2 * hi);
    }
  }
}

/** out = A1 u + gN b1 (S direction; row i = 0 is zero). */
export function applyA1(op: HestonOperators, u: Float64Array, gN: number, out: Float64Array): void {
  const { ns, nv, a1l, a1d, a1u, nb } = op;
  for (let j = 0; j < nv; j++) out[j] = 0;
  for (let i = 1; i < ns; i++) {
    for (let j = 0; j < nv; j++) {
      const k = i * nv + j;
      out[k] = a1l[k] * u[k - nv] + a1d[k] * u[k] + (i < ns - 1 ? a1u[k] * u[k + nv] : gN * nb[j]);
    }
  }
}

/** out = A2 u (nu direction; row i = 0 is zero). */
export function applyA2(op: HestonOperators, u: Float64Array, out: Float64Array): void {
  const { ns, nv, a2l, a2d, a2u, a2x } = op;
  for (let j = 0; j < nv; j++) out[j] = 0;
  for (let i = 1; i < ns; i++) {
    const o = i * nv;
    out[o] = a2d[o] * u[o] + a2u[o] * u[o + 1] + a2x[i] * u[o + 2];
    for (let j = 1; j < nv - 1; j++) {
      const k = o + j;
      out[k] = a2l[k] * u[k - 1] + a2d[k] * u[k] + a2u[k] * u[k + 1];
    }
    const k = o + nv - 1;
    out[k] = a2l[k] * u[k - 1] + a2d[k] * u[k];
  }
}

/**
 * Solve (I - c A1) y = rhs line by line in S (Thomas algorithm); row i = 0 is the Dirichlet value g0.
 * `rhs` and `y` may be the same array.
 */
export function solveA1(op: HestonOperators, c: number, rhs: Float64Array, g0: number, y: Float64Array): void {
  const { ns, nv, a1l, a1d, a1u, cp, dp } = op;
  for (let j = 0; j < nv; j++) {
    cp[0] = 0;
    dp[0] = g0;
    for (let i = 1; i < ns; i++) {
      const k = i * nv + j;
      const lo = -c * a1l[k];
      const up = i < ns - 1 ? -c * a1u[k] : 0;
      const den = 1 - c * a1d[k] - lo * cp[i - 1];
      cp[i] = up / den;
      dp[i] = (rhs[k] - lo * dp[i - 1]) / den;
    }
    y[(ns - 1) * nv + j] = dp[ns - 1];
    for (let i = ns - 2; i >= 0; i--) y[i * nv + j] = dp[i] - cp[i] * y[(i + 1) * nv + j];
  }
}

/**
 * Solve (I - c A2) y = rhs line by line in nu (Thomas; the extra u_{i,2} entry of row j = 0 is eliminated with
 * row j = 1 first). Row i = 0 (Dirichlet) is copied.
 */
export function solveA2(op: HestonOperators, c: number, rhs: Float64Array, y: Float64Array): void {
  const { ns, nv, a2l, a2d, a2u, a2x, cp, dp } = op;
  for (let j = 0; j < nv; j++) y[j] = rhs[j];
  for (let i = 1; i < ns; i++) {
    const o = i * nv;
    // Row 0: m00 y0 + m01 y1 + m02 y2 = r0; row 1: m10 y0 + m11 y1 + m12 y2 = r1.
    let m00 = 1 - c * a2d[o];
    let m01 = -c * a2u[o];
    const m02 = -c * a2x[i];
    let r0 = rhs[o];
    const m12 = -c * a2u[o + 1];
    if (m02 !== 0 && m12 !== 0) {
      const f = m02 / m12;
      m00 -= f * -c * a2l[o + 1];
      m01 -= f * (1 - c * a2d[o + 1]);
      r0 -= f * rhs[o + 1];
    }
    cp[0] = m01 / m00;
    dp[0] = r0 / m00;
    for (let j = 1; j < nv; j++) {
      const k = o + j;
      const lo = -c * a2l[k];
      const up = j < nv - 1 ? -c * a2u[k] : 0;
      const den = 1 - c * a2d[k] - lo * cp[j - 1];
      cp[j] = up / den;
      dp[j] = (rhs[k] - lo * dp[j - 1]) / den;
    }
    y[o + nv - 1] = dp[nv - 1];
    for (let j = nv - 2; j >= 0; j--) y[o + j] = dp[j] - cp[j] * y[o + j + 1];
  }
}
