import { type StepSlice } from './dp';
import { addMomentGrams, addRhs, factorSpd } from './linalg';
import { type Rng } from '../stochastic/rng';

/**
 * One backward step of off-policy fitted Q iteration (spec "Off-policy fitted Q iteration"; source sections
 * 5.12-5.16). The action-value function is quadratic in the hedge a,
 *
 *     Q_t(X, a) = A_t^T W_t Phi_t(X),   A_t = (1, a, a^2/2),   W_t a 3 x M matrix,
 *
 * fitted by ridge regression on the features Psi = vec(A_t Phi_t^T) (ordered here as the blocks
 * (Phi, a Phi, a^2/2 Phi), so W_t is stored row-major 3 x M with row q the coefficients of a^q-ish block):
 *
 *     S_t = sum_k Psi Psi^T + reg I,   M_t = sum_k Psi (R_t + gamma Q*_{t+1}),   vec(W_t) = S_t^{-1} M_t.
 *
 * The Grams of the blocks are G_{q1+q2} c_{q1} c_{q2} with G_j = sum a^j Phi Phi^T and c = (1, 1, 1/2).
 */

/** Behaviour actions a_t^k = xi^k a*_t^k with xi ~ U[1 - eta, 1 + eta] (one uniform per path). */
export function noisyActions(aStar: Float64Array, eta: number, rng: Rng, out: Float64Array): void {
  const n = aStar.length;
  if (eta === 0) {
    out.set(aStar);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = aStar[i] * (1 - eta + 2 * eta * rng.uniform());
}

/**
 * Fit W_t (3 x M, row-major) to the targets y with features Psi(X, a).
 * @param a the actions taken (behaviour policy) per path. @param y R_t + gamma Q*_{t+1} per path.
 */
export function fitQuadraticQ(s: StepSlice, a: Float64Array, y: Float64Array, reg: number): { W: Float64Array; method: 'cholesky' | 'svd' } {
  const { m, k, n, span, vals } = s;
  const mm = m * m;
  const Gs = new Float64Array(5 * mm);
  addMomentGrams(Gs, m, span, vals, k, n, a);
  const d = 3 * m;
  const S = new Float64Array(d * d);
  const c = [1, 1, 0.5];
  for (let q1 = 0; q1 < 3; q1++) {
    for (let q2 = 0; q2 < 3; q2++) {
      const scale = c[q1] * c[q2];
      const g = (q1 + q2) * mm;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          // The moment Grams hold upper triangles; read (min, max).
          const v = i <= j ? Gs[g + i * m + j] : Gs[g + j * m + i];
          S[(q1 * m + i) * d + q2 * m + j] = scale * v;
        }
      }
    }
  }
  for (let i = 0; i < d; i++) S[i * d + i] += reg;
  const M = new Float64Array(d);
  const w = new Float64Array(n);
  const rhs0 = M.subarray(0, m);
  const rhs1 = M.subarray(m, 2 * m);
  const rhs2 = M.subarray(2 * m, 3 * m);
  addRhs(rhs0, span, vals, k, n, y, null);
  for (let i = 0; i < n; i++) w[i] = y[i] * a[i];
  addRhs(rhs1, span, vals, k, n, w, null);
  for (let i = 0; i < n; i++) w[i] = 0.5 * y[i] * a[i] * a[i];
  addRhs(rhs2, span, vals, k, n, w, null);
  const f = factorSpd(S, d);
  return { W: f.solve(M), method: f.method };
}

/**
 * (U0, U1, U2) = W_t Phi_t(X) for one banded basis row.
 * @param vals the row's k values, first basis index `base`.
 */
export function stateCoefficients(W: ArrayLike<number>, m: number, base: number, vals: ArrayLike<number>, valsOff: number, k: number, wOff = 0): [number, number, number] {
  let u0 = 0;
  let u1 = 0;
  let u2 = 0;
  for (let r = 0; r < k; r++) {
    const v = vals[valsOff + r];
    const j = wOff + base + r;
    u0 += W[j] * v;
    u1 += W[m + j] * v;
    u2 += W[2 * m + j] * v;
  }
  return [u0, u1, u2];
}

/** Q*_t^k = U0 + a_k U1 + a_k^2 U2 / 2 with (U0, U1, U2) = W_t Phi_t(X_t^k): the fitted Q at the given actions. */
export function evalQuadratic(s: StepSlice, W: Float64Array, a: Float64Array, out: Float64Array): void {
  const { m, k, n, span, vals } = s;
  const p = k - 1;
  for (let i = 0; i < n; i++) {
    const base = span[i] - p;
    const o = i * k;
    let u0 = 0;
    let u1 = 0;
    let u2 = 0;
    for (let r = 0; r < k; r++) {
      const v = vals[o + r];
      const j = base + r;
      u0 += W[j] * v;
      u1 += W[m + j] * v;
      u2 += W[2 * m + j] * v;
    }
    const ai = a[i];
    out[i] = u0 + ai * u1 + 0.5 * ai * ai * u2;
  }
}
