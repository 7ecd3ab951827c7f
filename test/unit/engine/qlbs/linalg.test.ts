import { describe, expect, it } from 'vitest';
import { evalBanded, evalDense, makeBasis } from '../../../../src-main/engine/qlbs/bspline';
import {
  addGram,
  addMomentGrams,
  addRhs,
  addRidge,
  evalRows,
  factorSpd,
  solveSpd,
  symmetrize,
} from '../../../../src-main/engine/qlbs/linalg';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

const matVec = (A: Float64Array, m: number, x: Float64Array): Float64Array => {
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) out[i] += A[i * m + j] * x[j];
  return out;
};
const norm = (x: ArrayLike<number>): number => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));

/** A random symmetric positive definite matrix G^T G + eps I with a given size. */
function randomSpd(m: number, seed: number, eps = 1e-3): Float64Array {
  const rng = seeded(seed);
  const G = new Float64Array(m * m);
  rng.fillNormal(G);
  const A = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let r = 0; r < m; r++) A[i * m + j] += G[r * m + i] * G[r * m + j];
  addRidge(A, m, eps);
  symmetrize(A, m); // exact symmetry (the sums above are already symmetric up to rounding order)
  return A;
}

describe('symmetric solves (ml-matrix Cholesky, SVD fallback)', () => {
  it.each([3, 12, 36, 60])('m=%i: the residual ||A x - b|| is tiny relative to ||b|| ||A||', (m) => {
    const A = randomSpd(m, m);
    const b = new Float64Array(m);
    seeded(1000 + m).fillNormal(b);
    const { x, method } = solveSpd(A, m, b);
    expect(method).toBe('cholesky');
    const r = matVec(A, m, x).map((v, i) => v - b[i]);
    expect(norm(r)).toBeLessThan(1e-9 * norm(b) * norm(A));
  });

  it('solves several right-hand sides with one factorisation', () => {
    const m = 12;
    const A = randomSpd(m, 7, 1);
    const f = factorSpd(A, m);
    for (let s = 0; s < 3; s++) {
      const b = new Float64Array(m);
      seeded(50 + s).fillNormal(b);
      const x = f.solve(b);
      const r = matVec(A, m, x).map((v, i) => v - b[i]);
      expect(norm(r)).toBeLessThan(1e-10 * norm(b) * norm(A));
    }
  });

  it('falls back to SVD for a singular matrix and returns the minimum-norm least-squares solution', () => {
    // A = v v^T (rank one), b = 3 v: the minimum-norm solution is x = 3 v / |v|^2.
    const v = new Float64Array([1, 2, 0, -1]);
    const m = 4;
    const A = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) A[i * m + j] = v[i] * v[j];
    const b = v.map((x) => 3 * x);
    const { x, method } = solveSpd(A, m, b);
    expect(method).toBe('svd');
    const vv = 6;
    for (let i = 0; i < m; i++) expect(x[i]).toBeCloseTo((3 * v[i]) / vv, 10);
  });

  it('rejects non-finite matrices with a readable error', () => {
    const A = new Float64Array([1, 0, 0, NaN]);
    expect(() => solveSpd(A, 2, new Float64Array([1, 1]))).toThrow(/non-finite/);
  });
});

describe('normal equations from banded B-spline rows', () => {
  const basis = makeBasis(-1, 1, 12, 4);
  const n = 400;
  const rng = seeded(3);
  const xs = Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  const w = Float64Array.from({ length: n }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => rng.normal());
  const a = Float64Array.from({ length: n }, () => -rng.uniform());
  const { span, vals } = evalBanded(basis, xs);
  const dense = Array.from(xs, (x) => evalDense(basis, x));
  const m = 12;
  const k = 5;

  it('addGram (weights squared) equals the dense sum of Phi Phi^T w^2', () => {
    const G = new Float64Array(m * m);
    addGram(G, m, span, vals, k, n, w, 2);
    symmetrize(G, m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const want = dense.reduce((s, r, p) => s + r[i] * r[j] * w[p] * w[p], 0);
        expect(G[i * m + j]).toBeCloseTo(want, 10);
      }
    }
  });

  it('addMomentGrams gives sum a^q Phi Phi^T for q = 0..4', () => {
    const Gs = new Float64Array(5 * m * m);
    addMomentGrams(Gs, m, span, vals, k, n, a);
    for (let q = 0; q < 5; q++) {
      symmetrize(Gs, m, q * m * m);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          const want = dense.reduce((s, r, p) => s + r[i] * r[j] * a[p] ** q, 0);
          expect(Gs[q * m * m + i * m + j]).toBeCloseTo(want, 10);
        }
      }
    }
  });

  it('addRhs and evalRows match the dense products', () => {
    const rhs = new Float64Array(m);
    addRhs(rhs, span, vals, k, n, y, w);
    for (let i = 0; i < m; i++) expect(rhs[i]).toBeCloseTo(dense.reduce((s, r, p) => s + r[i] * y[p] * w[p], 0), 10);
    const coef = Float64Array.from({ length: m }, (_, j) => Math.sin(j));
    const out = new Float64Array(n);
    evalRows(out, span, vals, k, n, coef);
    for (let p = 0; p < n; p++) expect(out[p]).toBeCloseTo(dense[p].reduce((s, v, j) => s + v * coef[j], 0), 12);
  });

  it('a ridge regression on the basis recovers a spline exactly from noiseless data', () => {
    const coef = Float64Array.from({ length: m }, (_, j) => Math.cos(0.7 * j));
    const target = new Float64Array(n);
    evalRows(target, span, vals, k, n, coef);
    const G = new Float64Array(m * m);
    addGram(G, m, span, vals, k, n, null);
    symmetrize(G, m);
    addRidge(G, m, 1e-12);
    const rhs = new Float64Array(m);
    addRhs(rhs, span, vals, k, n, target, null);
    const { x } = solveSpd(G, m, rhs);
    for (let j = 0; j < m; j++) expect(x[j]).toBeCloseTo(coef[j], 6);
  });
});
