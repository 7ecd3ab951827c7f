import { Matrix, QrDecomposition, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { type CsrMatrix, csrMultiply, csrMultiplyTranspose, LsqrSolver } from '../../../../src-main/engine/bsde/lsqr';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

/** A random rows x cols matrix with about `density` of its entries nonzero (N(0,1)), plus its CSR form. */
function randomSystem(rows: number, cols: number, seed: number, density = 0.6): { dense: Matrix; csr: CsrMatrix } {
  const rng = seeded(seed);
  const dense = Matrix.zeros(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (rng.uniform() < density || i === j) dense.set(i, j, rng.normal());
  return { dense, csr: toCsr(dense) };
}

function toCsr(dense: Matrix): CsrMatrix {
  const rowPtr = new Int32Array(dense.rows + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < dense.rows; i++) {
    for (let j = 0; j < dense.columns; j++) {
      if (dense.get(i, j) !== 0) {
        colIdx.push(j);
        values.push(dense.get(i, j));
      }
    }
    rowPtr[i + 1] = colIdx.length;
  }
  return { rows: dense.rows, cols: dense.columns, rowPtr, colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) };
}

const randomVector = (n: number, seed: number): Float64Array => {
  const rng = seeded(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
};
const col = (x: ArrayLike<number>) => Matrix.columnVector(Array.from(x));
const norm = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));
function relErr(x: ArrayLike<number>, want: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < want.length; i++) e += (x[i] - want[i]) ** 2;
  return Math.sqrt(e) / norm(want);
}

describe('CSR products', () => {
  it('A x and A^T y agree with the dense products', () => {
    const { dense, csr } = randomSystem(7, 5, 1, 0.4);
    const x = randomVector(5, 2);
    const y = randomVector(7, 3);
    const ax = new Float64Array(7);
    const aty = new Float64Array(5).fill(99); // must be overwritten, not accumulated into
    csrMultiply(csr, x, ax);
    csrMultiplyTranspose(csr, y, aty);
    const want1 = dense.mmul(col(x)).to1DArray();
    const want2 = dense.transpose().mmul(col(y)).to1DArray();
    want1.forEach((v, i) => expect(ax[i]).toBeCloseTo(v, 13));
    want2.forEach((v, j) => expect(aty[j]).toBeCloseTo(v, 13));
  });
});

describe('LSQR against dense least squares', () => {
  it('square nonsingular systems: the solution of A x = b (istop 1)', () => {
    for (const seed of [10, 11, 12]) {
      const n = 12;
      const { dense } = randomSystem(n, n, seed);
      for (let i = 0; i < n; i++) dense.set(i, i, dense.get(i, i) + 4); // keep it well conditioned
      const A = toCsr(dense);
      const b = randomVector(n, seed + 100);
      const want = solve(dense, col(b)).to1DArray();
      const x = new Float64Array(n);
      const r = new LsqrSolver(n, n).solve(A, b, x);
      expect(r.istop).toBe(1);
      expect(relErr(x, want)).toBeLessThan(1e-9);
      expect(r.relResidual).toBeLessThan(1e-10);
    }
  });

  it('over-determined consistent systems: recovers x_true with a zero residual', () => {
    const { dense, csr } = randomSystem(30, 8, 20);
    const xTrue = randomVector(8, 21);
    const b = Float64Array.from(dense.mmul(col(xTrue)).to1DArray());
    const x = new Float64Array(8);
    const r = new LsqrSolver(30, 8).solve(csr, b, x);
    expect(r.istop).toBe(1);
    expect(relErr(x, xTrue)).toBeLessThan(1e-9);
    expect(r.relResidual).toBeLessThan(1e-10);
  });

  it('over-determined inconsistent systems: the least-squares solution (QR), with A^T r = 0 (istop 2)', () => {
    const { dense, csr } = randomSystem(40, 9, 30);
    const b = randomVector(40, 31);
    const want = new QrDecomposition(dense).solve(col(b)).to1DArray();
    const x = new Float64Array(9);
    const r = new LsqrSolver(40, 9).solve(csr, b, x);
    expect(r.istop).toBe(2);
    expect(relErr(x, want)).toBeLessThan(1e-9);
    // the residual is the least-squares one: nonzero, and A^T r = 0
    const resid = dense.mmul(col(x)).sub(col(b));
    expect(r.residualNorm).toBeCloseTo(resid.norm(), 12);
    expect(r.relResidual).toBeCloseTo(resid.norm() / norm(b), 12);
    expect(r.relResidual).toBeGreaterThan(0.1);
    expect(dense.transpose().mmul(resid).norm()).toBeLessThan(1e-10 * norm(b));
  });

  it('under-determined systems: the minimum-norm solution A^T (A A^T)^{-1} b', () => {
    const { dense, csr } = randomSystem(6, 15, 40);
    const b = randomVector(6, 41);
    const want = dense.transpose().mmul(solve(dense.mmul(dense.transpose()), col(b))).to1DArray();
    const x = new Float64Array(15);
    const r = new LsqrSolver(6, 15).solve(csr, b, x);
    expect(r.istop).toBe(1);
    expect(relErr(x, want)).toBeLessThan(1e-9);
    expect(r.relResidual).toBeLessThan(1e-10);
  });

  it('a warm start gives the same solution (and, under-determined, the solution nearest x0)', () => {
    const { dense, csr } = randomSystem(40, 9, 30);
    const b = randomVector(40, 31);
    const want = new QrDecomposition(dense).solve(col(b)).to1DArray();
    const solver = new LsqrSolver(40, 9);
    const x = randomVector(9, 32);
    const r = solver.solve(csr, b, x);
    expect(r.iterations).toBeGreaterThan(0);
    expect(relErr(x, want)).toBeLessThan(1e-9);
    // starting at the answer: nothing to do beyond confirming it
    const again = x.slice();
    const r2 = solver.solve(csr, b, again);
    expect(relErr(again, want)).toBeLessThan(1e-9);
    expect(r2.iterations).toBeLessThanOrEqual(2);

    const u = randomSystem(6, 15, 40);
    const bu = randomVector(6, 41);
    const x0 = randomVector(15, 42);
    // x = x0 + A^+ (b - A x0)
    const rhs = col(bu).sub(u.dense.mmul(col(x0)));
    const nearest = col(x0).add(u.dense.transpose().mmul(solve(u.dense.mmul(u.dense.transpose()), rhs))).to1DArray();
    const xu = x0.slice();
    new LsqrSolver(6, 15).solve(u.csr, bu, xu);
    expect(relErr(xu, nearest)).toBeLessThan(1e-9);
  });

  it('b = 0 gives x = 0 in 0 iterations, whatever the start; an exact start is returned unchanged', () => {
    const { dense } = randomSystem(10, 10, 50);
    for (let i = 0; i < 10; i++) dense.set(i, i, dense.get(i, i) + 4);
    const A = toCsr(dense);
    const solver = new LsqrSolver(10, 10);
    const x = randomVector(10, 51);
    const b = new Float64Array(10);
    const r = solver.solve(A, b, x);
    expect(r).toEqual({ iterations: 0, istop: 0, residualNorm: 0, relResidual: 0 });
    expect(Array.from(x)).toEqual(new Array(10).fill(0));
    expect(Array.from(b)).toEqual(new Array(10).fill(0));

    const xTrue = Float64Array.from([1, -2, 3, 0, 0.5, 2, -1, 1, 0, 4]);
    const bb = new Float64Array(10);
    csrMultiply(A, xTrue, bb);
    const start = xTrue.slice();
    const r2 = solver.solve(A, bb, start);
    expect(r2.iterations).toBe(0);
    expect(Array.from(start)).toEqual(Array.from(xTrue));
  });

  it('the iteration limit stops with istop 7 after exactly that many iterations', () => {
    const { dense } = randomSystem(20, 20, 60);
    for (let i = 0; i < 20; i++) dense.set(i, i, dense.get(i, i) + 2);
    const A = toCsr(dense);
    const b = randomVector(20, 61);
    const x = new Float64Array(20);
    const r = new LsqrSolver(20, 20).solve(A, b, x, { maxIterations: 3 });
    expect(r.istop).toBe(7);
    expect(r.iterations).toBe(3);
    expect(r.relResidual).toBeGreaterThan(1e-6);
    expect(r.relResidual).toBeLessThan(1);
  });

  it('does not modify b, and one solver handles matrices with different patterns in turn', () => {
    const solver = new LsqrSolver(25, 10);
    for (const seed of [70, 71, 72, 70]) {
      const { dense, csr } = randomSystem(25, 10, seed, 0.3 + 0.1 * (seed - 70));
      const b = randomVector(25, seed + 1);
      const bCopy = b.slice();
      const want = new QrDecomposition(dense).solve(col(b)).to1DArray();
      const x = new Float64Array(10);
      solver.solve(csr, b, x);
      expect(relErr(x, want)).toBeLessThan(1e-9);
      expect(Array.from(b)).toEqual(Array.from(bCopy));
    }
  });

  it('column scaling gives the same unique solution on a badly scaled matrix, in fewer iterations', () => {
    const { dense } = randomSystem(30, 12, 80);
    for (let j = 0; j < 12; j++) for (let i = 0; i < 30; i++) dense.set(i, j, dense.get(i, j) * 10 ** (j % 4));
    const A = toCsr(dense);
    const b = randomVector(30, 81);
    const want = new QrDecomposition(dense).solve(col(b)).to1DArray();
    const solver = new LsqrSolver(30, 12);
    const x1 = new Float64Array(12);
    const x2 = new Float64Array(12);
    const plain = solver.solve(A, b, x1);
    const scaled = solver.solve(A, b, x2, { scaleColumns: true });
    expect(relErr(x1, want)).toBeLessThan(1e-8);
    expect(relErr(x2, want)).toBeLessThan(1e-9);
    expect(scaled.iterations).toBeLessThan(plain.iterations);
  });

  it('rejects a matrix of the wrong shape', () => {
    const { csr } = randomSystem(5, 4, 90);
    expect(() => new LsqrSolver(4, 4).solve(csr, new Float64Array(5), new Float64Array(4))).toThrow(/4 x 4 but the matrix is 5 x 4/);
  });
});
