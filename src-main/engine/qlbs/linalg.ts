import { CholeskyDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * The small dense linear algebra of QLBS: normal equations built from banded B-spline features (each row
 * has p + 1 consecutive non-zeros, see bspline.ts `evalBanded`), and symmetric positive definite solves.
 * Solves use ml-matrix (Cholesky; SVD least squares when the matrix is not positive definite, e.g. with
 * reg = 0 and basis functions no path reaches).
 *
 * Matrices are row-major Float64Arrays: G[i * m + j].
 */

/**
 * G += sum_i w_i Phi_i Phi_i^T over banded rows (upper triangle only; call {@link symmetrize} after).
 * @param G m x m accumulator.
 * @param span, vals banded rows (k = p + 1 values each, first basis index span - p).
 * @param w weights (length >= rows) or null for 1.
 * @param wPow raise the weight to this power (1 or 2; 2 gives the spec's (dShat)^2 from dShat).
 */
export function addGram(
  G: Float64Array,
  m: number,
  span: Int32Array,
  vals: Float64Array,
  k: number,
  rows: number,
  w: Float64Array | null,
  wPow: 1 | 2 = 1,
): void {
  const p = k - 1;
  for (let i = 0; i < rows; i++) {
    let wi = w ? w[i] : 1;
    if (wPow === 2) wi *= wi;
    const base = span[i] - p;
    const o = i * k;
    for (let a = 0; a < k; a++) {
      const va = vals[o + a] * wi;
      if (va === 0) continue;
      const row = (base + a) * m + base;
      for (let c = a; c < k; c++) G[row + c] += va * vals[o + c];
    }
  }
}

/**
 * The five Grams G_q = sum_i a_i^q Phi_i Phi_i^T, q = 0..4, at once (upper triangles), for the FQI features
 * Psi = (Phi, a Phi, a^2/2 Phi). Gs has 5 m x m blocks, G_q at offset q m^2.
 */
export function addMomentGrams(Gs: Float64Array, m: number, span: Int32Array, vals: Float64Array, k: number, rows: number, a: Float64Array): void {
  const p = k - 1;
  const mm = m * m;
  for (let i = 0; i < rows; i++) {
    const a1 = a[i];
    const a2 = a1 * a1;
    const a3 = a2 * a1;
    const a4 = a2 * a2;
    const base = span[i] - p;
    const o = i * k;
    for (let x = 0; x < k; x++) {
      const vx = vals[o + x];
      if (vx === 0) continue;
      const row = (base + x) * m + base;
      for (let y = x; y < k; y++) {
        const v = vx * vals[o + y];
        const idx = row + y;
        Gs[idx] += v;
        Gs[mm + idx] += v * a1;
        Gs[2 * mm + idx] += v * a2;
        Gs[3 * mm + idx] += v * a3;
        Gs[4 * mm + idx] += v * a4;
      }
    }
  }
}

/** rhs += sum_i y_i w_i Phi_i (w null for 1). */
export function addRhs(rhs: Float64Array, span: Int32Array, vals: Float64Array, k: number, rows: number, y: Float64Array, w: Float64Array | null): void {
  const p = k - 1;
  for (let i = 0; i < rows; i++) {
    const yi = w ? y[i] * w[i] : y[i];
    if (yi === 0) continue;
    const base = span[i] - p;
    const o = i * k;
    for (let a = 0; a < k; a++) rhs[base + a] += vals[o + a] * yi;
  }
}

/** out_i = Phi_i . coef (the fitted function at each row). */
export function evalRows(out: Float64Array, span: Int32Array, vals: Float64Array, k: number, rows: number, coef: ArrayLike<number>, coefOffset = 0): void {
  const p = k - 1;
  for (let i = 0; i < rows; i++) {
    const base = coefOffset + span[i] - p;
    const o = i * k;
    let s = 0;
    for (let a = 0; a < k; a++) s += vals[o + a] * coef[base + a];
    out[i] = s;
  }
}

/** Copy the upper triangle of an m x m matrix to the lower one (exactly, so it is symmetric bit for bit). */
export function symmetrize(G: Float64Array, m: number, offset = 0): void {
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) G[offset + j * m + i] = G[offset + i * m + j];
}

/** G += reg I. */
export function addRidge(G: Float64Array, m: number, reg: number): void {
  for (let i = 0; i < m; i++) G[i * m + i] += reg;
}

/** A factorised symmetric matrix that solves A x = b for several right-hand sides. */
export interface SpdSolver {
  solve(b: Float64Array): Float64Array;
  /** 'cholesky', or 'svd' when A was not positive definite (least-squares, minimum-norm solution). */
  method: 'cholesky' | 'svd';
}

/**
 * Factorise the symmetric m x m matrix A (row-major): Cholesky if positive definite, else SVD.
 * @throws if A has non-finite entries.
 */
export function factorSpd(A: Float64Array, m: number): SpdSolver {
  for (let i = 0; i < m * m; i++) if (!Number.isFinite(A[i])) throw new Error('regression matrix has non-finite entries');
  const M = Matrix.from1DArray(m, m, A);
  const chol = new CholeskyDecomposition(M);
  if (chol.isPositiveDefinite()) {
    return { method: 'cholesky', solve: (b) => Float64Array.from(chol.solve(Matrix.columnVector(Array.from(b))).getColumn(0)) };
  }
  const svd = new SingularValueDecomposition(M, { autoTranspose: true });
  return { method: 'svd', solve: (b) => Float64Array.from(svd.solve(Matrix.columnVector(Array.from(b))).getColumn(0)) };
}

/** Solve the symmetric system A x = b (see {@link factorSpd}). */
export function solveSpd(A: Float64Array, m: number, b: Float64Array): { x: Float64Array; method: 'cholesky' | 'svd' } {
  const f = factorSpd(A, m);
  return { x: f.solve(b), method: f.method };
}
