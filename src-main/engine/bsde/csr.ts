/**
 * Compressed sparse row (CSR) matrices for the LSQR solver of the delta-gamma hedge (./lsqr.ts): products
 * A x and A^T y, and a reusable column-scaled copy of A in both CSR and CSC order (the CSC form turns A^T y
 * into a gather, and its pattern is cached across solves on one sparsity pattern).
 */
export interface CsrMatrix {
  rows: number;
  cols: number;
  /** rows + 1 offsets into colIdx/values. */
  rowPtr: Int32Array;
  /** Column of each nonzero (sorted within a row by convention, not required here). */
  colIdx: Int32Array;
  values: Float64Array;
}

/** out = A x (out has length A.rows). */
export function csrMultiply(A: CsrMatrix, x: ArrayLike<number>, out: Float64Array): void {
  const rp = A.rowPtr;
  const ci = A.colIdx;
  const va = A.values;
  for (let i = 0, n = A.rows; i < n; i++) {
    let s = 0;
    for (let p = rp[i], e = rp[i + 1]; p < e; p++) s += va[p] * x[ci[p]];
    out[i] = s;
  }
}

/** out = A^T y (out has length A.cols; overwritten, not accumulated into). */
export function csrMultiplyTranspose(A: CsrMatrix, y: ArrayLike<number>, out: Float64Array): void {
  const rp = A.rowPtr;
  const ci = A.colIdx;
  const va = A.values;
  out.fill(0, 0, A.cols);
  for (let i = 0, n = A.rows; i < n; i++) {
    const yi = y[i];
    if (yi === 0) continue;
    for (let p = rp[i], e = rp[i + 1]; p < e; p++) out[ci[p]] += va[p] * yi;
  }
}

/**
 * A D for a rows x cols CSR matrix A, D = diag(scale) (scale_j = 1 / ||A_:j|| or 1), held as valsR (CSR
 * order, A's own rowPtr/colIdx) and valsT (CSC order: colPtr, rowIdx). The CSC pattern is rebuilt only when
 * A's rowPtr/colIdx differ from the last load (compared by value), so loading a new matrix on the same
 * pattern costs O(nnz) and allocates nothing.
 */
export class ScaledCsc {
  readonly rows: number;
  readonly cols: number;
  /** Column scaling D (all ones without scaling). */
  readonly scale: Float64Array;
  /** cols + 1 offsets into rowIdx/valsT. */
  readonly colPtr: Int32Array;
  rowIdx = new Int32Array(0);
  valsT = new Float64Array(0);
  valsR = new Float64Array(0);
  /** perm[q] = CSR index of the q-th CSC nonzero. */
  private perm = new Int32Array(0);
  private readonly patRowPtr: Int32Array;
  private patColIdx = new Int32Array(0);
  private nnz = -1;

  constructor(rows: number, cols: number) {
    this.rows = rows;
    this.cols = cols;
    this.scale = new Float64Array(cols).fill(1);
    this.colPtr = new Int32Array(cols + 1);
    this.patRowPtr = new Int32Array(rows + 1);
  }

  /** Loads A (rows x cols) with scale_j = 1/||A_:j|| (1 for an empty column) or, without scaling, 1. */
  load(A: CsrMatrix, scaleColumns: boolean): void {
    const m = this.rows;
    const n = this.cols;
    const rp = A.rowPtr;
    const ci = A.colIdx;
    const nnz = rp[m];
    let same = nnz === this.nnz;
    if (same) {
      const pr = this.patRowPtr;
      for (let i = 0; i <= m && same; i++) if (pr[i] !== rp[i]) same = false;
      const pc = this.patColIdx;
      for (let p = 0; p < nnz && same; p++) if (pc[p] !== ci[p]) same = false;
    }
    if (!same) this.rebuild(A, nnz);
    const va = A.values;
    const cp = this.colPtr;
    const perm = this.perm;
    const vt = this.valsT;
    const vr = this.valsR;
    const dsc = this.scale;
    for (let j = 0; j < n; j++) {
      let d = 1;
      if (scaleColumns) {
        let s = 0;
        for (let q = cp[j], e = cp[j + 1]; q < e; q++) s += va[perm[q]] * va[perm[q]];
        d = s > 0 ? 1 / Math.sqrt(s) : 1;
      }
      dsc[j] = d;
      for (let q = cp[j], e = cp[j + 1]; q < e; q++) {
        const p = perm[q];
        const val = va[p] * d;
        vt[q] = val;
        vr[p] = val;
      }
    }
  }

  /** The CSC pattern of A (counting sort by column; rows stay ascending within a column). */
  private rebuild(A: CsrMatrix, nnz: number): void {
    const m = this.rows;
    const n = this.cols;
    const rp = A.rowPtr;
    const ci = A.colIdx;
    if (this.perm.length < nnz) {
      this.patColIdx = new Int32Array(nnz);
      this.rowIdx = new Int32Array(nnz);
      this.perm = new Int32Array(nnz);
      this.valsR = new Float64Array(nnz);
      this.valsT = new Float64Array(nnz);
    }
    const cp = this.colPtr;
    cp.fill(0);
    for (let p = 0; p < nnz; p++) {
      const j = ci[p];
      if (!(j >= 0 && j < n)) throw new Error(`sparse matrix: column index ${j} of nonzero ${p} is outside 0..${n - 1}`);
      cp[j + 1]++;
    }
    for (let j = 0; j < n; j++) cp[j + 1] += cp[j];
    const next = cp.slice(0, n); // only when the pattern changes, not per solve
    for (let i = 0; i < m; i++) {
      for (let p = rp[i], e = rp[i + 1]; p < e; p++) {
        const q = next[ci[p]]++;
        this.rowIdx[q] = i;
        this.perm[q] = p;
      }
    }
    this.patRowPtr.set(rp.subarray(0, m + 1));
    this.patColIdx.set(ci.subarray(0, nnz));
    this.nnz = nnz;
  }
}
