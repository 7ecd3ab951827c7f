/**
 * Grids and finite-difference weights of the 2-D Heston ADI solver (in 't Hout & Foulon 2010, "ADI finite
 * difference schemes for option pricing in the Heston model with correlation", section 2.2), plus the Greeks of a
 * price surface and cubic interpolation on the non-uniform grid.
 *
 * Surfaces are ns x nv row-major: value at (S_i, nu_j) is at index i * nv + j.
 */

/**
 * Non-uniform S grid concentrated around the strike (in 't Hout & Foulon eq. (2.4)):
 *     S_i = K + c sinh(xi_i),   xi_i uniform from asinh(-K / c) with step h,   c = K / 5,
 * so S_0 = 0; h is chosen so that the strike is exactly a grid point (index iK) and S_{ns-1} is as close to sMax
 * as that allows. Units: currency.
 */
export function sGrid(ns: number, strike: number, sMax: number): { S: Float64Array; iK: number } {
  const c = strike / 5;
  const a = Math.asinh(-strike / c);
  const b = Math.asinh((sMax - strike) / c);
  const iK = Math.min(ns - 3, Math.max(2, Math.round((-a / (b - a)) * (ns - 1))));
  const h = -a / iK;
  const S = new Float64Array(ns);
  for (let i = 0; i < ns; i++) S[i] = strike + c * Math.sinh(a + h * i);
  S[0] = 0;
  S[iK] = strike;
  return { S, iK };
}

/**
 * The payoff on the S grid, cell-averaged at the strike node (the kink): the mean of g over
 * [S_iK - h-/2, S_iK + h+/2], which restores second-order convergence (Kreiss, Thomée & Widlund 1970; as
 * in 't Hout & Foulon and QuantLib's FDM do). Other nodes take g itself.
 */
export function gridPayoff(S: Float64Array, iK: number, kind: 'put' | 'call', strike: number): Float64Array {
  const g = new Float64Array(S.length);
  for (let i = 0; i < S.length; i++) g[i] = kind === 'put' ? Math.max(strike - S[i], 0) : Math.max(S[i] - strike, 0);
  const hm = S[iK] - S[iK - 1];
  const hp = S[iK + 1] - S[iK];
  const side = kind === 'put' ? hm : hp;
  g[iK] = (side * side) / 8 / ((hm + hp) / 2);
  return g;
}

/**
 * Non-uniform nu grid concentrated near 0 (in 't Hout & Foulon eq. (2.5)):
 *     nu_j = d sinh(eta_j),   eta_j uniform on [0, asinh(Vmax / d)],   d = Vmax / 500.  Units: 1/yr.
 */
export function nuGrid(nv: number, vMax: number): Float64Array {
  const d = vMax / 500;
  const b = Math.asinh(vMax / d);
  const V = new Float64Array(nv);
  for (let j = 0; j < nv; j++) V[j] = d * Math.sinh((b * j) / (nv - 1));
  V[nv - 1] = vMax;
  return V;
}

/** Central first-derivative weights at interior point i of grid x: [w_{i-1}, w_i, w_{i+1}] (second order). */
export function centralFirst(x: Float64Array, i: number): [number, number, number] {
  const hm = x[i] - x[i - 1];
  const hp = x[i + 1] - x[i];
  return [-hp / (hm * (hm + hp)), (hp - hm) / (hm * hp), hm / (hp * (hm + hp))];
}

/** Central second-derivative weights at interior point i: [w_{i-1}, w_i, w_{i+1}]. */
export function centralSecond(x: Float64Array, i: number): [number, number, number] {
  const hm = x[i] - x[i - 1];
  const hp = x[i + 1] - x[i];
  return [2 / (hm * (hm + hp)), -2 / (hm * hp), 2 / (hp * (hm + hp))];
}

/** Forward second-order first-derivative weights at point i using i, i+1, i+2. */
export function forwardFirst(x: Float64Array, i: number): [number, number, number] {
  const h1 = x[i + 1] - x[i];
  const h2 = x[i + 2] - x[i + 1];
  return [-(2 * h1 + h2) / (h1 * (h1 + h2)), (h1 + h2) / (h1 * h2), -h1 / (h2 * (h1 + h2))];
}

/** Backward second-order first-derivative weights at point i using i-2, i-1, i. */
export function backwardFirst(x: Float64Array, i: number): [number, number, number] {
  const h1 = x[i - 1] - x[i - 2];
  const h2 = x[i] - x[i - 1];
  return [h2 / (h1 * (h1 + h2)), -(h1 + h2) / (h1 * h2), (h1 + 2 * h2) / (h2 * (h1 + h2))];
}

/**
 * First derivative along one axis of a surface (ns x nv row-major): `axis` 0 = S (stride nv), 1 = nu (stride 1).
 * Central in the interior, second-order one-sided at the two ends.
 */
export function derivative(u: Float64Array, x: Float64Array, count: number, stride: number, lines: number, lineStride: number, out: Float64Array): void {
  for (let l = 0; l < lines; l++) {
    const o = l * lineStride;
    for (let i = 0; i < count; i++) {
      let w: [number, number, number];
      let first: number;
      if (i === 0) [w, first] = [forwardFirst(x, 0), 0];
      else if (i === count - 1) [w, first] = [backwardFirst(x, count - 1), count - 3];
      else [w, first] = [centralFirst(x, i), i - 1];
      out[o + i * stride] = w[0] * u[o + first * stride] + w[1] * u[o + (first + 1) * stride] + w[2] * u[o + (first + 2) * stride];
    }
  }
}

/** Second derivative along one axis; at the ends the second derivative of the quadratic through the 3 end points. */
export function secondDerivative(u: Float64Array, x: Float64Array, count: number, stride: number, lines: number, lineStride: number, out: Float64Array): void {
  for (let l = 0; l < lines; l++) {
    const o = l * lineStride;
    for (let i = 0; i < count; i++) {
      const c = Math.min(Math.max(i, 1), count - 2);
      const w = centralSecond(x, c);
      out[o + i * stride] = w[0] * u[o + (c - 1) * stride] + w[1] * u[o + c * stride] + w[2] * u[o + (c + 1) * stride];
    }
  }
}

/** Price surface -> the five Greek surfaces by finite differences on the grid (same layout). */
export function surfaceGreeks(
  price: Float64Array,
  S: Float64Array,
  V: Float64Array,
): { delta: Float64Array; vega: Float64Array; gamma: Float64Array; vomma: Float64Array; vanna: Float64Array } {
  const ns = S.length;
  const nv = V.length;
  const n = ns * nv;
  const delta = new Float64Array(n);
  const vega = new Float64Array(n);
  const gamma = new Float64Array(n);
  const vomma = new Float64Array(n);
  const vanna = new Float64Array(n);
  derivative(price, S, ns, nv, nv, 1, delta);
  secondDerivative(price, S, ns, nv, nv, 1, gamma);
  derivative(price, V, nv, 1, ns, nv, vega);
  secondDerivative(price, V, nv, 1, ns, nv, vomma);
  derivative(delta, V, nv, 1, ns, nv, vanna);
  return { delta, vega, gamma, vomma, vanna };
}

/**
 * Cubic Lagrange weights at point p on grid x (4 nodes, the stencil clamped to the grid; p outside the grid is
 * clamped to its ends). Returns the first node index; writes the 4 weights into w.
 */
export function cubicWeights(x: Float64Array, p: number, w: Float64Array): number {
  const n = x.length;
  const q = Math.min(Math.max(p, x[0]), x[n - 1]);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= q) lo = mid;
    else hi = mid;
  }
  const first = Math.min(Math.max(lo - 1, 0), n - 4);
  for (let a = 0; a < 4; a++) {
    let l = 1;
    for (let b = 0; b < 4; b++) if (b !== a) l *= (q - x[first + b]) / (x[first + a] - x[first + b]);
    w[a] = l;
  }
  return first;
}

/** Tensor-product cubic interpolation of a surface given the weights from `cubicWeights` on both axes. */
export function interpolate(u: Float64Array, nv: number, i0: number, ws: Float64Array, j0: number, wv: Float64Array): number {
  let acc = 0;
  for (let a = 0; a < 4; a++) {
    const row = (i0 + a) * nv + j0;
    acc += ws[a] * (wv[0] * u[row] + wv[1] * u[row + 1] + wv[2] * u[row + 2] + wv[3] * u[row + 3]);
  }
  return acc;
}
