/**
 * Symmetric Toeplitz matrices T with first row t (T_ij = t[|i - j|]), as Q^{-1} of delayed semistatic
 * hedging is: products in O(n^2) without forming T, and the Levinson-Durbin recursion (Golub & Van Loan,
 * Matrix Computations, Alg. 4.7.3) for solves, log-determinants and the positive-definiteness test in
 * O(n^2) time and O(n) memory.
 */

/** out = T x for the symmetric Toeplitz T with first row t. O(n^2), O(1) extra memory. */
export function toeplitzMatVec(t: Float64Array, x: Float64Array, out: Float64Array = new Float64Array(t.length)): Float64Array {
  const n = t.length;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < i; j++) s += t[i - j] * x[j];
    for (let j = i; j < n; j++) s += t[j - i] * x[j];
    out[i] = s;
  }
  return out;
}

/** Column j of T (length n). */
export function toeplitzColumn(t: Float64Array, j: number): Float64Array {
  const n = t.length;
  const col = new Float64Array(n);
  for (let i = 0; i < n; i++) col[i] = t[Math.abs(i - j)];
  return col;
}

export interface LevinsonResult {
  /** True when every leading principal minor is positive (T is positive definite). */
  positiveDefinite: boolean;
  /** log det T (NaN when T is not positive definite). */
  logDet: number;
  /** Solution of T x = b (null when no b was given or T is not positive definite). */
  x: Float64Array | null;
  /** Order at which a non-positive prediction error appeared (-1 if none). */
  failedAt: number;
}

/**
 * Levinson-Durbin on the symmetric Toeplitz T with first row t (t[0] > 0): log det T = n log t[0] +
 * sum_k log beta_k with the prediction errors beta_k = (1 - alpha_k^2) beta_{k-1} of the normalised matrix;
 * T is positive definite iff every beta_k > 0. With `b`, also solves T x = b.
 * O(n^2) time, O(n) memory.
 */
export function levinson(t: Float64Array, b?: Float64Array, shouldStop?: () => void): LevinsonResult {
  const n = t.length;
  if (!(t[0] > 0)) return { positiveDefinite: false, logDet: NaN, x: null, failedAt: 0 };
  const t0 = t[0];
  const r = new Float64Array(n);
  for (let k = 1; k < n; k++) r[k - 1] = t[k] / t0; // r(1..n-1) 0-based as r[0..n-2]
  let y = new Float64Array(n);
  let z = new Float64Array(n);
  const x = b ? new Float64Array(n) : null;
  const xt = b ? new Float64Array(n) : null;
  let logDet = n * Math.log(t0);
  if (n === 1) {
    if (x && b) x[0] = b[0] / t0;
    return { positiveDefinite: true, logDet, x, failedAt: -1 };
  }
  y[0] = -r[0];
  if (x && b) x[0] = b[0] / t0;
  let beta = 1;
  let alpha = -r[0];
  for (let k = 1; k < n; k++) {
    beta *= 1 - alpha * alpha;
    if (!(beta > 0)) return { positiveDefinite: false, logDet: NaN, x: null, failedAt: k };
    logDet += Math.log(beta);
    if (x && xt && b) {
      // mu = (b(k+1)/t0 - r(1:k)' x(k:-1:1)) / beta
      let s = 0;
      for (let i = 0; i < k; i++) s += r[i] * x[k - 1 - i];
      const mu = (b[k] / t0 - s) / beta;
      for (let i = 0; i < k; i++) xt[i] = x[i] + mu * y[k - 1 - i];
      for (let i = 0; i < k; i++) x[i] = xt[i];
      x[k] = mu;
    }
    if (k < n - 1) {
      let s = 0;
      for (let i = 0; i < k; i++) s += r[i] * y[k - 1 - i];
      alpha = -(r[k] + s) / beta;
      for (let i = 0; i < k; i++) z[i] = y[i] + alpha * y[k - 1 - i];
      z[k] = alpha;
      const tmp = y;
      y = z;
      z = tmp;
    }
    if (shouldStop && (k & 255) === 0) shouldStop();
  }
  return { positiveDefinite: true, logDet, x, failedAt: -1 };
}
