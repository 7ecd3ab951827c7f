/**
 * The D-banded matrix Q = (Q^{-1})^{-1}: the covariance of the normalised increments under the optimal dual
 * measure (spec "Matrices"; source Lemma 3.2, Theorem 2.2 proof). Three ways to get at it, which the tests
 * hold against each other and against a dense inverse:
 *
 * 1. The spec's formula, a Gohberg-Semencul type expression in the vector
 *    `v = ((aD+1)/(aD+1+a), c, .., c (D times), 0, ..)`, `c = -a/(aD+1+a)`:
 *    `Q_ij = [sum_{k=1}^{min(i,j)} v_{i-k+1} v_{j-k+1} - sum_{k=1}^{min(i,j)-1} v_{n-i+k+1} v_{n-j+k+1}] / v_1`
 *    (1-based). Subtracting the (i-1, j-1) entry leaves one term of each sum:
 *    `Q_ij = Q_{i-1,j-1} + (v_i v_j - v_{n-i+2} v_{n-j+2}) / v_1` — {@link buildBandedQ}, O(nD).
 * 2. Counting the surviving terms gives every entry in O(1) ({@link qEntry}): for i <= j (0-based), d = j - i,
 *    `Q_ij = v_{d+1} + (c^2 / v_1) (min(i, D - d) - max(0, D + i + 1 - n))` for d <= D, and 0 beyond.
 *    So Q is a banded Toeplitz matrix `b_d = v_{d+1} + c^2 (D - d) / v_1` minus two D x D corner
 *    corrections `(c^2/v_1) (D - d - i)^+` (top left) and `(c^2/v_1) (D + i + 1 - n)^+` (bottom right).
 * 3. Q^{-1} is the Toeplitz matrix of `toeplitzRow`; products and solves with it are in ./toeplitz.ts.
 *
 * Memory: {@link qEntry} needs O(1); {@link buildBandedQ} stores (D+1) x n doubles (the band).
 */

export interface QStructure {
  n: number;
  D: number;
  a: number;
  /** v_1 = (aD+1)/(aD+1+a). */
  v1: number;
  /** v_2 = .. = v_{D+1} = c = -a/(aD+1+a). */
  c: number;
  /** c^2 / v_1, the corner-correction scale. */
  k: number;
}

export function qStructure(n: number, D: number, a: number): QStructure {
  const den = a * D + 1 + a;
  const v1 = (a * D + 1) / den;
  const c = -a / den;
  return { n, D, a, v1, c, k: (c * c) / v1 };
}

/** The spec's v_k (1-based), 0 beyond D + 1 or n. */
export function vEntry(q: QStructure, k: number): number {
  if (k < 1 || k > q.n || k > q.D + 1) return 0;
  return k === 1 ? q.v1 : q.c;
}

/** Q_ij in O(1) (0-based indices, symmetric; 0 outside the band |i - j| <= D). */
export function qEntry(q: QStructure, i: number, j: number): number {
  if (i > j) {
    const s = i;
    i = j;
    j = s;
  }
  const d = j - i;
  if (d > q.D) return 0;
  const vd = d === 0 ? q.v1 : q.c;
  return vd + q.k * (Math.min(i, q.D - d) - Math.max(0, q.D + i + 1 - q.n));
}

/** Q_ij straight from the spec's two sums (1-based i, j). O(min(i, j)); for tests on small n. */
export function qEntrySpecSums(q: QStructure, i: number, j: number): number {
  const m = Math.min(i, j);
  let s = 0;
  for (let k = 1; k <= m; k++) s += vEntry(q, i - k + 1) * vEntry(q, j - k + 1);
  for (let k = 1; k <= m - 1; k++) s -= vEntry(q, q.n - i + k + 1) * vEntry(q, q.n - j + k + 1);
  return s / q.v1;
}

/** The band of a symmetric D-banded matrix: `band[d * n + i] = M[i][i + d]` for 0 <= d <= D, i < n - d. */
export interface Band {
  n: number;
  D: number;
  data: Float64Array;
}

/**
 * Q's band by the recursion of the spec's formula, `Q_ij = Q_{i-1,j-1} + (v_i v_j - v_{n-i+2} v_{n-j+2}) / v_1`
 * (1-based, v beyond n is 0), started from the first row `Q_{1j} = v_j`. Independent of {@link qEntry}.
 * O(n (D+1)) time and memory ((D+1) n doubles: 160 MB at n = 10,000, D = 2,000).
 */
export function buildBandedQ(q: QStructure): Band {
  const { n, D } = q;
  const data = new Float64Array((D + 1) * n);
  for (let d = 0; d <= D; d++) {
    const off = d * n;
    data[off] = vEntry(q, d + 1);
    for (let i = 1; i < n - d; i++) {
      // 1-based row I = i + 1, column J = i + d + 1.
      const I = i + 1;
      const J = I + d;
      data[off + i] = data[off + i - 1] + (vEntry(q, I) * vEntry(q, J) - vEntry(q, q.n - I + 2) * vEntry(q, q.n - J + 2)) / q.v1;
    }
  }
  return { n, D, data };
}

/** out = M x for a symmetric banded M. O(n D). */
export function bandMatVec(band: Band, x: Float64Array, out: Float64Array = new Float64Array(band.n)): Float64Array {
  const { n, D, data } = band;
  for (let i = 0; i < n; i++) out[i] = data[i] * x[i];
  for (let d = 1; d <= D; d++) {
    const off = d * n;
    for (let i = 0; i < n - d; i++) {
      const m = data[off + i];
      out[i] += m * x[i + d];
      out[i + d] += m * x[i];
    }
  }
  return out;
}

/**
 * out = Q x from the O(1) entries, without storing Q: the banded Toeplitz part, then the two corner
 * corrections. O(n D) time, O(D) extra memory.
 */
export function qMatVec(q: QStructure, x: Float64Array, out: Float64Array = new Float64Array(q.n)): Float64Array {
  const { n, D, v1, c, k } = q;
  const b = new Float64Array(D + 1);
  for (let d = 0; d <= D; d++) b[d] = (d === 0 ? v1 : c) + k * (D - d);
  for (let i = 0; i < n; i++) out[i] = b[0] * x[i];
  for (let d = 1; d <= D; d++) {
    const bd = b[d];
    for (let i = 0; i < n - d; i++) {
      out[i] += bd * x[i + d];
      out[i + d] += bd * x[i];
    }
  }
  // Corners: for i + d < D subtract k (D - d - i); for i >= n - D subtract k (D + i + 1 - n) (i = upper-left index).
  for (let d = 0; d <= D; d++) {
    for (let i = 0; i + d < D && i < n - d; i++) {
      const m = k * (D - d - i);
      out[i] -= m * x[i + d];
      if (d > 0) out[i + d] -= m * x[i];
    }
    for (let i = Math.max(0, n - D); i < n - d; i++) {
      const m = k * (D + i + 1 - n);
      out[i] -= m * x[i + d];
      if (d > 0) out[i + d] -= m * x[i];
    }
  }
  return out;
}

/** trace Q = sum_i Q_ii from the O(1) entries. O(n). */
export function qTrace(q: QStructure): number {
  let s = 0;
  for (let i = 0; i < q.n; i++) s += qEntry(q, i, i);
  return s;
}

/** sum_ij Q_ij (the spec's identity: = n s2), summed entry by entry over the band. O(n D). */
export function qEntrySum(q: QStructure): number {
  let s = 0;
  for (let i = 0; i < q.n; i++) {
    s += qEntry(q, i, i);
    const top = Math.min(q.n - 1, i + q.D);
    let row = 0;
    for (let j = i + 1; j <= top; j++) row += qEntry(q, i, j);
    s += 2 * row;
  }
  return s;
}

/**
 * log det Q^{-1} = (n - D) log(1 + (D+1) a) - (n - D - 1) log(1 + D a) (spec "Useful identities"; source
 * eq. (3.8)); log1p keeps it accurate for small a.
 */
export function logDetQInverse(n: number, D: number, a: number): number {
  return (n - D) * Math.log1p((D + 1) * a) - (n - D - 1) * Math.log1p(D * a);
}
