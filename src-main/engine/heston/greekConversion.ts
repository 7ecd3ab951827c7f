import { type HestonMarket } from '../../../src-shared/heston/types';
import { rhoBar } from './malliavin';

/**
 * From the BSDE's (Z, G) to the Greeks with a state-dependent diffusion (spec heston-osm.md "Converting to
 * Greeks"), x = (S, nu):
 *
 *     Z = grad_x u sigma(x)             =>  grad_x u = Z sigma^{-1}          (Delta = du/dS, Vega = du/dnu)
 *     G = grad_x Z (G_mk = dZ_m / dx_k) =   sigma^T H + A,   A_mk = sum_i (grad_x u)_i d sigma_im / d x_k
 *                                        =>  H = sym(sigma^{-T} (G - A))     (Gamma = H_SS, Vomma = H_nunu, Vanna = H_Snu)
 *
 * The OSM network outputs M = G sigma (the Malliavin derivative of Z, entry (m, j) = D_j Z_m); G = M sigma^{-1}.
 * Units: Delta dimensionless, Vega in currency x year (per unit of variance), Gamma 1 / currency,
 * Vomma currency x year^2, Vanna year.
 */
export interface FiveGreeks {
  delta: number;
  vega: number;
  gamma: number;
  vomma: number;
  vanna: number;
}

/** sigma = [[a, 0], [c, e]] at (S, nu) with sqrt(|nu|). */
function sigmaAt(m: HestonMarket, s: number, v: number): { a: number; c: number; e: number; sv: number } {
  const sv = Math.sqrt(Math.abs(v));
  return { a: s * sv, c: m.xi * m.rho * sv, e: m.xi * rhoBar(m) * sv, sv };
}

/** grad_x u = Z sigma^{-1} at (S, nu): [du/dS, du/dnu]. */
export function gradFromZ(m: HestonMarket, s: number, v: number, z0: number, z1: number): [number, number] {
  const { a, c, e } = sigmaAt(m, s, v);
  // Z = (g0 a + g1 c, g1 e)
  const g1 = z1 / e;
  return [(z0 - g1 * c) / a, g1];
}

/** G = M sigma^{-1} (row-major 2 x 2 in, out). */
export function gFromM(m: HestonMarket, s: number, v: number, M: ArrayLike<number>, out = new Float64Array(4)): Float64Array {
  const { a, c, e } = sigmaAt(m, s, v);
  // sigma^{-1} = [[1/a, 0], [-c/(a e), 1/e]]
  for (let r = 0; r < 2; r++) {
    const m0 = M[2 * r];
    const m1 = M[2 * r + 1];
    out[2 * r] = m0 / a - (m1 * c) / (a * e);
    out[2 * r + 1] = m1 / e;
  }
  return out;
}

/**
 * A_mk = sum_i (grad u)_i d sigma_im / d x_k (2 x 2, row-major), from the column Jacobians of sigma:
 * d sigma_.0 / dx = [[sqrt nu, S s'], [0, xi rho s']], d sigma_.1 / dx = [[0, 0], [0, xi rhoBar s']], s' = 1/(2 sqrt nu).
 */
export function aTerm(m: HestonMarket, s: number, v: number, g0: number, g1: number): Float64Array {
  const { sv } = sigmaAt(m, s, v);
  const ds = Math.sign(v) / (2 * sv);
  return Float64Array.from([g0 * sv, g0 * s * ds + g1 * m.xi * m.rho * ds, 0, g1 * m.xi * rhoBar(m) * ds]);
}

/** Hessian of u in (S, nu), symmetrised: H = sym(sigma^{-T} (G - A)), row-major 2 x 2. */
export function hessianFromG(m: HestonMarket, s: number, v: number, grad: readonly [number, number], G: ArrayLike<number>): Float64Array {
  const { a, c, e } = sigmaAt(m, s, v);
  const A = aTerm(m, s, v, grad[0], grad[1]);
  const d00 = G[0] - A[0];
  const d01 = G[1] - A[1];
  const d10 = G[2] - A[2];
  const d11 = G[3] - A[3];
  // sigma^{-T} = [[1/a, -c/(a e)], [0, 1/e]]
  const k = -c / (a * e);
  const h00 = d00 / a + k * d10;
  const h01 = d01 / a + k * d11;
  const h10 = d10 / e;
  const h11 = d11 / e;
  const off = 0.5 * (h01 + h10);
  return Float64Array.from([h00, off, off, h11]);
}

/** The five Greeks at (S, nu) from Z (2) and G (2 x 2). */
export function greeksFromZG(m: HestonMarket, s: number, v: number, z: ArrayLike<number>, G: ArrayLike<number>): FiveGreeks {
  const grad = gradFromZ(m, s, v, z[0], z[1]);
  const H = hessianFromG(m, s, v, grad, G);
  return { delta: grad[0], vega: grad[1], gamma: H[0], vomma: H[3], vanna: H[1] };
}

/** The five Greeks at (S, nu) from Z (2) and the OSM network's M = G sigma (2 x 2). */
export function greeksFromZM(m: HestonMarket, s: number, v: number, z: ArrayLike<number>, M: ArrayLike<number>): FiveGreeks {
  return greeksFromZG(m, s, v, z, gFromM(m, s, v, M));
}

/** Inverse maps (for exact tests and payoff Greeks): Z = grad sigma, G = sigma^T H + A. */
export function zgFromDerivatives(m: HestonMarket, s: number, v: number, grad: readonly [number, number], H: ArrayLike<number>): { z: Float64Array; G: Float64Array } {
  const { a, c, e } = sigmaAt(m, s, v);
  const z = Float64Array.from([grad[0] * a + grad[1] * c, grad[1] * e]);
  const A = aTerm(m, s, v, grad[0], grad[1]);
  // sigma^T = [[a, c], [0, e]]
  const G = Float64Array.from([a * H[0] + c * H[2] + A[0], a * H[1] + c * H[3] + A[1], e * H[2] + A[2], e * H[3] + A[3]]);
  return { z, G };
}
