import { Matrix, pseudoInverse } from 'ml-matrix';

/**
 * The instrument weights of one Heston hedging condition set (spec heston-osm.md "Hedging along paths",
 * source appendix A): with m instruments (m <= 4) solve the square system
 *
 *     sum_k A_ik w_k = b_i,   i = 1..m,   A_ik = Greek_i of instrument k,   b_i = Greek_i of the book,
 *
 * the Greeks being Vega, Gamma, Vomma, Vanna in that order (the first m of them).
 *
 * The rows are equilibrated first (row i divided by max_k |A_ik|, b_i likewise: Greeks of different orders
 * differ by orders of magnitude in the units of S and nu, and the scaling does not change the solution).
 * Gauss–Jordan with partial pivoting gives the inverse of the scaled matrix As and
 *
 *     cond = ||As||_inf ||As^{-1}||_inf      (the reported condition number, of the row-scaled system).
 *
 * The system counts as singular when a row of A is zero, a pivot is 0, or cond > COND_LIMIT; then w is the
 * minimum-norm least-squares solution w = As^+ bs (SVD pseudo-inverse of ml-matrix) and `fallback` is set.
 * No allocation on the regular path: the buffers are the solver's own.
 */
export const COND_LIMIT = 1e12;

export class SmallSystemSolver {
  /** Row-major m x m scaled matrix, its inverse, and the scaled right-hand side. */
  private readonly a = new Float64Array(16);
  private readonly inv = new Float64Array(16);
  private readonly bs = new Float64Array(4);
  /** Condition number (inf-norm, row-scaled) of the last solve; Infinity when singular. */
  cond = 1;
  /** The last solve fell back to least squares. */
  fallback = false;

  /**
   * Solve A w = b for m in 1..4.
   * @param A row-major m x m (only the first m*m entries are read), dimensionless Greeks of the instruments.
   * @param b length >= m, the book's Greeks in the same order.
   * @param w output, length >= m (instrument units).
   */
  solve(m: number, A: Float64Array, b: Float64Array, w: Float64Array): void {
    const a = this.a;
    const inv = this.inv;
    let zeroRow = false;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let k = 0; k < m; k++) s = Math.max(s, Math.abs(A[i * m + k]));
      if (!(s > 0) || !Number.isFinite(s)) {
        zeroRow = true;
        s = 1;
      }
      for (let k = 0; k < m; k++) a[i * m + k] = A[i * m + k] / s;
      this.bs[i] = b[i] / s;
    }
    let normA = 0;
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let k = 0; k < m; k++) r += Math.abs(a[i * m + k]);
      normA = Math.max(normA, r);
    }
    let singular = zeroRow || !invertInPlace(m, a, inv);
    if (!singular) {
      let normInv = 0;
      for (let i = 0; i < m; i++) {
        let r = 0;
        for (let k = 0; k < m; k++) r += Math.abs(inv[i * m + k]);
        normInv = Math.max(normInv, r);
      }
      this.cond = normA * normInv;
      singular = !(this.cond <= COND_LIMIT);
    }
    if (!singular) {
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += inv[i * m + k] * this.bs[k];
        w[i] = s;
      }
      this.fallback = false;
      return;
    }
    // Singular: minimum-norm least squares on the scaled system (rare; allocation is fine here).
    this.cond = Infinity;
    this.fallback = true;
    const rows: number[][] = [];
    for (let i = 0; i < m; i++) rows.push(Array.from({ length: m }, (_, k) => (Number.isFinite(A[i * m + k]) ? A[i * m + k] : 0)));
    const scaled = rows.map((r) => {
      const s = Math.max(...r.map(Math.abs));
      return s > 0 && Number.isFinite(s) ? r.map((v) => v / s) : r.map(() => 0);
    });
    const rhs = rows.map((r, i) => {
      const s = Math.max(...r.map(Math.abs));
      return s > 0 && Number.isFinite(s) ? b[i] / s : 0;
    });
    const x = pseudoInverse(new Matrix(scaled)).mmul(Matrix.columnVector(rhs));
    for (let i = 0; i < m; i++) w[i] = x.get(i, 0);
  }
}

/**
 * Gauss–Jordan inverse with partial pivoting of the row-major m x m matrix `a` (destroyed) into `inv`.
 * @returns false when a pivot is exactly 0 or not finite.
 */
function invertInPlace(m: number, a: Float64Array, inv: Float64Array): boolean {
  for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) inv[i * m + k] = i === k ? 1 : 0;
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]) > Math.abs(a[piv * m + c])) piv = r;
    const p = a[piv * m + c];
    if (!(p !== 0) || !Number.isFinite(p)) return false;
    if (piv !== c) {
      for (let k = 0; k < m; k++) {
        let t = a[c * m + k];
        a[c * m + k] = a[piv * m + k];
        a[piv * m + k] = t;
        t = inv[c * m + k];
        inv[c * m + k] = inv[piv * m + k];
        inv[piv * m + k] = t;
      }
    }
    for (let k = 0; k < m; k++) {
      a[c * m + k] /= p;
      inv[c * m + k] /= p;
    }
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = a[r * m + c];
      if (f === 0) continue;
      for (let k = 0; k < m; k++) {
        a[r * m + k] -= f * a[c * m + k];
        inv[r * m + k] -= f * inv[c * m + k];
      }
    }
  }
  return true;
}
