import { type HestonMarket } from '../../../src-shared/heston/types';

/**
 * Coefficients of the Heston SDE in price coordinates x = (S, nu) and the Malliavin derivative of one
 * Euler step (spec heston-osm.md "Market" and "BSDE and Greeks with a state-dependent diffusion"; source eq. 18).
 *
 *     mu(x)    = (mu S, kappa (nubar - nu)),                  mu = r - q
 *     sigma(x) = diag(S sqrt(nu), xi sqrt(nu)) L = [[S sqrt(nu), 0], [xi rho sqrt(nu), xi rhoBar sqrt(nu)]]
 *     D_n X_{n+1} = sigma(x_n) + dt grad mu(x_n) sigma(x_n) + sum_j grad_x sigma_{.j}(x_n) sigma(x_n) dB_{n,j}
 *                 = (I + dt grad mu(x_n) + sum_j grad_x sigma_{.j}(x_n) dB_{n,j}) sigma(x_n)
 *
 * i.e. the Jacobian of the Euler map x -> x + mu(x) dt + sigma(x) dB_n at x_n applied to sigma(x_n): column k
 * is the derivative of X_{n+1} when the state at t_n moves along sigma_{.k}(x_n), which is how X_n responds to
 * the Brownian increment that produced it (d X_n / d dB_{n-1,k} = sigma_{.k}). The diffusion uses sqrt(|nu|)
 * as the Higham–Mao scheme does (d sqrt|nu| / d nu = sign(nu) / (2 sqrt|nu|)).
 *
 * All 2 x 2 matrices are row-major (entry (i, j) at 2 i + j); batches are `rows` such blocks back to back.
 */

/** rhoBar = sqrt(1 - rho^2). */
export const rhoBar = (m: HestonMarket): number => Math.sqrt(Math.max(0, 1 - m.rho * m.rho));

/** sigma(x) per row (rows x 4), rows = S.length. Units: row S in currency / sqrt(year), row nu in 1 / year^1.5. */
export function sigmaBatch(m: HestonMarket, S: ArrayLike<number>, nu: ArrayLike<number>, out = new Float64Array(S.length * 4)): Float64Array {
  const rb = rhoBar(m);
  for (let r = 0; r < S.length; r++) {
    const sv = Math.sqrt(Math.abs(nu[r]));
    out[4 * r] = S[r] * sv;
    out[4 * r + 1] = 0;
    out[4 * r + 2] = m.xi * m.rho * sv;
    out[4 * r + 3] = m.xi * rb * sv;
  }
  return out;
}

/** sigma(x)^{-1} per row (rows x 4): [[1/a, 0], [-c/(a e), 1/e]] for sigma = [[a, 0], [c, e]]. */
export function sigmaInvBatch(m: HestonMarket, S: ArrayLike<number>, nu: ArrayLike<number>, out = new Float64Array(S.length * 4)): Float64Array {
  const rb = rhoBar(m);
  for (let r = 0; r < S.length; r++) {
    const sv = Math.sqrt(Math.abs(nu[r]));
    const a = S[r] * sv;
    const c = m.xi * m.rho * sv;
    const e = m.xi * rb * sv;
    out[4 * r] = 1 / a;
    out[4 * r + 1] = 0;
    out[4 * r + 2] = -c / (a * e);
    out[4 * r + 3] = 1 / e;
  }
  return out;
}

/** grad mu = [[mu, 0], [0, -kappa]] (constant; 1 / year). */
export function gradMu(m: HestonMarket): Float64Array {
  return Float64Array.from([m.r - m.q, 0, 0, -m.kappa]);
}

/**
 * Jacobians of the two columns of sigma at one state: jac[j] (2 x 2, row-major) with entry (i, k) =
 * d sigma_{ij} / d x_k, x = (S, nu).
 *   column 0 = (S sqrt(nu), xi rho sqrt(nu)):  [[sqrt(nu), S s'], [0, xi rho s']]
 *   column 1 = (0, xi rhoBar sqrt(nu)):         [[0, 0], [0, xi rhoBar s']],   s' = sign(nu) / (2 sqrt|nu|)
 */
export function gradSigmaColumns(m: HestonMarket, s: number, v: number): [Float64Array, Float64Array] {
  const sv = Math.sqrt(Math.abs(v));
  const ds = Math.sign(v) / (2 * sv);
  return [Float64Array.from([sv, s * ds, 0, m.xi * m.rho * ds]), Float64Array.from([0, 0, 0, m.xi * rhoBar(m) * ds])];
}

/**
 * D_n X_{n+1} for a batch (spec eq. above): rows x 4, row-major 2 x 2 per sample, entry (i, j) = D_{n,j} X^i_{n+1}.
 * @param S, nu  X_n (length rows); @param dB  (dB_1, dB_2) per row (rows x 2, already times sqrt(dt)); @param dt years.
 */
export function malliavinStep(m: HestonMarket, S: ArrayLike<number>, nu: ArrayLike<number>, dB: ArrayLike<number>, dt: number, out = new Float64Array(S.length * 4)): Float64Array {
  const rb = rhoBar(m);
  const mu = m.r - m.q;
  for (let r = 0; r < S.length; r++) {
    const s = S[r];
    const v = nu[r];
    const sv = Math.sqrt(Math.abs(v));
    const ds = Math.sign(v) / (2 * sv);
    const b1 = dB[2 * r];
    const b2 = dB[2 * r + 1];
    // J = I + dt grad mu + grad sigma_{.0} b1 + grad sigma_{.1} b2
    const j00 = 1 + dt * mu + sv * b1;
    const j01 = s * ds * b1;
    const j10 = 0;
    const j11 = 1 - dt * m.kappa + m.xi * ds * (m.rho * b1 + rb * b2);
    const a = s * sv;
    const c = m.xi * m.rho * sv;
    const e = m.xi * rb * sv;
    // J sigma, sigma = [[a, 0], [c, e]]
    out[4 * r] = j00 * a + j01 * c;
    out[4 * r + 1] = j01 * e;
    out[4 * r + 2] = j10 * a + j11 * c;
    out[4 * r + 3] = j11 * e;
  }
  return out;
}

/**
 * One Euler step of the SDE without the Higham–Mao fix (the smooth map whose derivative D_n X_{n+1} is):
 * x + mu(x) dt + sigma(x) dB, with sqrt(|nu|) in sigma. Returns [S', nu'].
 */
export function eulerStep(m: HestonMarket, s: number, v: number, b1: number, b2: number, dt: number): [number, number] {
  const sv = Math.sqrt(Math.abs(v));
  return [s + (m.r - m.q) * s * dt + s * sv * b1, v + m.kappa * (m.nubar - v) * dt + m.xi * sv * (m.rho * b1 + rhoBar(m) * b2)];
}
