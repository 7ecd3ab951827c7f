import { Matrix, determinant, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { aFixedDelayLimit, aQuadratic, filterKernel, solveA, toeplitzRow } from '../../../../src-main/engine/semistatic/coefficients';
import {
  bandMatVec,
  buildBandedQ,
  logDetQInverse,
  qEntry,
  qEntrySpecSums,
  qEntrySum,
  qMatVec,
  qStructure,
  qTrace,
} from '../../../../src-main/engine/semistatic/bandedQ';
import { levinson, toeplitzMatVec } from '../../../../src-main/engine/semistatic/toeplitz';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

/** Dense Q^{-1} (symmetric Toeplitz of t), for reference computations with ml-matrix. */
const denseT = (t: Float64Array): Matrix => {
  const n = t.length;
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, t[Math.abs(i - j)]);
  return m;
};

// (n, D, s2): below and above 1, ratio 1, no delay, D = n - 1, large and tiny ratios.
const CASES: Array<[number, number, number]> = [
  [10, 2, 0.7],
  [12, 3, 1.5],
  [15, 4, 1],
  [8, 0, 0.5],
  [9, 8, 0.3],
  [30, 1, 0.4],
  [40, 7, 3],
  [25, 5, 0.05],
  [50, 12, 20],
  [60, 20, 0.9999],
];

describe('the constant a', () => {
  it.each(CASES)('n=%i D=%i s2=%f: a is the larger root and 1 + D a > 0', (n, D, s2) => {
    const { a, otherRoot, residual } = solveA(n, D, s2);
    const q = aQuadratic(n, D, s2);
    expect(residual).toBeLessThan(1e-13);
    expect(Math.abs(q.A * a * a + q.B * a + q.C)).toBeLessThan(1e-9 * (Math.abs(q.B * a) + Math.abs(q.C) + 1));
    if (D > 0) {
      expect(otherRoot).not.toBeNull();
      expect(a).toBeGreaterThanOrEqual(otherRoot!);
      // Vieta: sum of the roots = -B/A.
      expect(a + otherRoot!).toBeCloseTo(-q.B / q.A, 9);
    }
    expect(1 + D * a).toBeGreaterThan(0);
  });

  it('has the sign the source predicts: a < 0 for s2 > 1, a > 0 for s2 < 1, a = 0 for s2 = 1', () => {
    expect(solveA(20, 4, 1.3).a).toBeLessThan(0);
    expect(solveA(20, 4, 0.7).a).toBeGreaterThan(0);
    expect(solveA(20, 4, 1).a).toBe(0);
  });

  it('for D = 0 is 1/s2 - 1', () => {
    for (const s2 of [0.2, 0.7, 1, 1.7, 9]) expect(solveA(17, 0, s2).a).toBeCloseTo(1 / s2 - 1, 14);
  });

  it('stays accurate near s2 = 1 (no cancellation)', () => {
    const n = 1000;
    const D = 100;
    const eps = 1e-9;
    const { a } = solveA(n, D, 1 + eps);
    // To first order in eps: a ≈ -n eps / (n (2D+1) - D(D+1)).
    const first = (-n * eps) / (n * (2 * D + 1) - D * (D + 1));
    expect(Math.abs(a / first - 1)).toBeLessThan(1e-6);
  });

  it('tends to a_inf for fixed D as n grows', () => {
    for (const [D, s2] of [[1, 0.5], [3, 2], [10, 0.8]] as const) {
      const lim = aFixedDelayLimit(D, s2);
      const err = [100, 1000, 10000, 100000].map((n) => Math.abs(solveA(n, D, s2).a - lim));
      for (let k = 1; k < err.length; k++) expect(err[k]).toBeLessThan(err[k - 1] / 5);
      expect(err[3]).toBeLessThan(1e-4 * Math.abs(lim) + 1e-12);
      // The spec's literal formula agrees with the cancellation-free one.
      expect(lim).toBeCloseTo((Math.sqrt(1 + (4 * D * (D + 1)) / s2) - 2 * D - 1) / (2 * D * (D + 1)), 12);
    }
  });
});

describe('Q^{-1} (Toeplitz) and Q (banded)', () => {
  it.each(CASES)('n=%i D=%i s2=%f: Q Q^{-1} = I, against a dense inverse', (n, D, s2) => {
    const { a } = solveA(n, D, s2);
    const t = toeplitzRow(n, D, a);
    expect(t[0]).toBeCloseTo(1 + a, 15);
    for (let L = 1; L <= Math.min(D, n - 1); L++) expect(t[L]).toBe(a);
    const q = qStructure(n, D, a);
    const dense = inverse(denseT(t));
    let worst = 0;
    let worstSpec = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        worst = Math.max(worst, Math.abs(qEntry(q, i, j) - dense.get(i, j)));
        worstSpec = Math.max(worstSpec, Math.abs(qEntrySpecSums(q, i + 1, j + 1) - qEntry(q, i, j)));
      }
    }
    expect(worst).toBeLessThan(1e-9);
    expect(worstSpec).toBeLessThan(1e-12);
    // Q is D-banded: the dense inverse vanishes off the band.
    for (let i = 0; i < n; i++) for (let j = i + D + 1; j < n; j++) expect(Math.abs(dense.get(i, j))).toBeLessThan(1e-9);
    // Q times Q^{-1} column by column, from the O(1) entries.
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const col = new Float64Array(n).map((_, i) => t[Math.abs(i - j)]);
      qMatVec(q, col, out);
      for (let i = 0; i < n; i++) expect(Math.abs(out[i] - (i === j ? 1 : 0))).toBeLessThan(1e-11);
    }
  });

  it.each(CASES)('n=%i D=%i s2=%f: sum of Q = n s2, trace Q = n(1 - a s2), det formula', (n, D, s2) => {
    const { a } = solveA(n, D, s2);
    const t = toeplitzRow(n, D, a);
    const q = qStructure(n, D, a);
    expect(qEntrySum(q)).toBeCloseTo(n * s2, 10);
    expect(qTrace(q)).toBeCloseTo(n * (1 - a * s2), 10);
    const detDense = determinant(denseT(t));
    const logFormula = logDetQInverse(n, D, a);
    expect(Math.log(detDense)).toBeCloseTo(logFormula, 9);
    const lev = levinson(t);
    expect(lev.positiveDefinite).toBe(true);
    expect(lev.logDet).toBeCloseTo(logFormula, 9);
  });

  it('the recursion-built band equals the O(1) entries, and both mat-vecs agree', () => {
    for (const [n, D, s2] of [[200, 37, 0.6], [150, 149, 2.5], [120, 0, 0.8], [300, 60, 1.2]] as const) {
      const { a } = solveA(n, D, s2);
      const q = qStructure(n, D, a);
      const band = buildBandedQ(q);
      let worst = 0;
      for (let d = 0; d <= D; d++) for (let i = 0; i < n - d; i++) worst = Math.max(worst, Math.abs(band.data[d * n + i] - qEntry(q, i, i + d)));
      expect(worst).toBeLessThan(1e-12);
      const rng = seeded(3);
      const x = new Float64Array(n);
      rng.fillNormal(x);
      const y1 = bandMatVec(band, x);
      const y2 = qMatVec(q, x);
      for (let i = 0; i < n; i++) expect(y1[i]).toBeCloseTo(y2[i], 10);
      // Q (Q^{-1} x) = x for a random x.
      const t = toeplitzRow(n, D, a);
      const back = qMatVec(q, toeplitzMatVec(t, x));
      for (let i = 0; i < n; i++) expect(back[i]).toBeCloseTo(x[i], 9);
    }
  });

  it('ratio 1: a = 0, Q = Q^{-1} = I', () => {
    const n = 30;
    const D = 6;
    const { a } = solveA(n, D, 1);
    expect(a).toBe(0);
    const t = toeplitzRow(n, D, a);
    expect(Array.from(t)).toEqual([1, ...new Array(n - 1).fill(0)]);
    const q = qStructure(n, D, a);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(qEntry(q, i, j)).toBe(i === j ? 1 : 0);
    expect(Array.from(filterKernel(t, a, D)).every((u) => u === 0)).toBe(true);
  });

  it('no delay: Q = s2 I and the filter is -a on every past increment', () => {
    const n = 25;
    for (const s2 of [0.3, 1.8]) {
      const { a } = solveA(n, 0, s2);
      const q = qStructure(n, 0, a);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(qEntry(q, i, j)).toBeCloseTo(i === j ? s2 : 0, 14);
      const u = filterKernel(toeplitzRow(n, 0, a), a, 0);
      for (let L = 1; L < n; L++) expect(u[L]).toBeCloseTo(-a, 14);
      expect(logDetQInverse(n, 0, a)).toBeCloseTo(-n * Math.log(s2), 12);
    }
  });

  it('Levinson solves T x = b', () => {
    const { a } = solveA(80, 9, 0.6);
    const t = toeplitzRow(80, 9, a);
    const b = new Float64Array(80).map((_, i) => Math.sin(i) + 0.3);
    const { x } = levinson(t, b);
    const back = toeplitzMatVec(t, x!);
    for (let i = 0; i < 80; i++) expect(back[i]).toBeCloseTo(b[i], 11);
    // Not positive definite: detected.
    expect(levinson(new Float64Array([1, 2, 0])).positiveDefinite).toBe(false);
  });
});
