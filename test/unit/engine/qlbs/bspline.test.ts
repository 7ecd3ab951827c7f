import { describe, expect, it } from 'vitest';
import {
  aptKnots,
  evalBanded,
  evalDense,
  evalDerivDense,
  evalSpline,
  findSpan,
  makeBasis,
  uniformSites,
} from '../../../../src-main/engine/qlbs/bspline';
import { solveSpd } from '../../../../src-main/engine/qlbs/linalg';

/** Cox-de Boor recursion straight from the definition (slow, independent of the engine's triangle). */
function coxDeBoor(t: Float64Array, j: number, p: number, x: number): number {
  if (p === 0) {
    if (t[j] <= x && x < t[j + 1]) return 1;
    // The right end of the domain belongs to the last non-empty interval.
    return x === t[t.length - 1] && t[j + 1] === x && t[j] < x ? 1 : 0;
  }
  const d1 = t[j + p] - t[j];
  const d2 = t[j + p + 1] - t[j + 1];
  const a = d1 > 0 ? ((x - t[j]) / d1) * coxDeBoor(t, j, p - 1, x) : 0;
  const b = d2 > 0 ? ((t[j + p + 1] - x) / d2) * coxDeBoor(t, j + 1, p - 1, x) : 0;
  return a + b;
}

const grid = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

describe('acceptable knots (spec: degree 4 on 12 sites)', () => {
  it('gives 17 knots: tau_1 x5, the 7 averages of 4 consecutive interior sites, tau_12 x5', () => {
    const tau = uniformSites(-0.7, 0.9, 12);
    const t = aptKnots(tau, 4);
    expect(t).toHaveLength(17);
    for (let i = 0; i < 5; i++) {
      expect(t[i]).toBe(tau[0]);
      expect(t[12 + i]).toBe(tau[11]);
    }
    for (let j = 1; j <= 7; j++) {
      // 1-based sites tau_{j+1}..tau_{j+4}
      const avg = (tau[j] + tau[j + 1] + tau[j + 2] + tau[j + 3]) / 4;
      expect(t[4 + j]).toBeCloseTo(avg, 14);
    }
    for (let i = 1; i < 17; i++) expect(t[i]).toBeGreaterThanOrEqual(t[i - 1]);
    const b = makeBasis(-0.7, 0.9, 12, 4);
    expect(b.size).toBe(12);
    expect(b.knots).toEqual(t);
  });

  it('satisfies the Schoenberg-Whitney condition t_j < tau_j < t_{j+p+1} (interior sites)', () => {
    for (const [n, p] of [
      [12, 4],
      [12, 3],
      [8, 2],
      [20, 5],
    ]) {
      const tau = uniformSites(0, 1, n);
      const t = aptKnots(tau, p);
      for (let j = 1; j < n - 1; j++) {
        expect(t[j]).toBeLessThan(tau[j]);
        expect(tau[j]).toBeLessThan(t[j + p + 1]);
      }
    }
  });

  it('rejects too few or unordered sites', () => {
    expect(() => aptKnots([0, 1, 2], 4)).toThrow(/at least degree \+ 1/);
    expect(() => aptKnots([0, 2, 1, 3, 4, 5], 4)).toThrow(/strictly increasing/);
    expect(() => makeBasis(1, 1, 12, 4)).toThrow(/empty range/);
  });
});

describe('B-spline basis values', () => {
  const cases: Array<[number, number]> = [
    [12, 4],
    [12, 3],
    [6, 1],
    [9, 2],
    [30, 7],
  ];

  it.each(cases)('n=%i degree=%i: partition of unity, non-negative, at most p+1 non-zero', (n, p) => {
    const b = makeBasis(-1.3, 2.1, n, p);
    for (const x of grid(-1.3, 2.1, 997)) {
      const v = evalDense(b, x);
      let sum = 0;
      let nz = 0;
      for (const y of v) {
        expect(y).toBeGreaterThanOrEqual(-1e-15);
        sum += y;
        if (y > 1e-15) nz++;
      }
      expect(sum).toBeCloseTo(1, 13);
      expect(nz).toBeLessThanOrEqual(p + 1);
    }
  });

  it.each(cases)('n=%i degree=%i: equals the Cox-de Boor recursion', (n, p) => {
    const b = makeBasis(0, 1, n, p);
    for (const x of grid(0, 1, 211)) {
      const v = evalDense(b, x);
      for (let j = 0; j < n; j++) expect(v[j]).toBeCloseTo(coxDeBoor(b.knots, j, p, x), 12);
    }
  });

  it('degree 1 on uniform sites is the hat functions through the sites', () => {
    const b = makeBasis(0, 5, 6, 1); // sites 0..5, interior knots are the sites themselves
    expect(Array.from(b.knots)).toEqual([0, 0, 1, 2, 3, 4, 5, 5]);
    const v = evalDense(b, 2.25);
    expect(v[2]).toBeCloseTo(0.75, 14);
    expect(v[3]).toBeCloseTo(0.25, 14);
  });

  it('is 1 for the first and last function at the ends, and clamps outside [lo, hi]', () => {
    const b = makeBasis(-1, 1, 12, 4);
    expect(evalDense(b, -1)[0]).toBeCloseTo(1, 15);
    expect(evalDense(b, 1)[11]).toBeCloseTo(1, 15);
    expect(Array.from(evalDense(b, -5))).toEqual(Array.from(evalDense(b, -1)));
    expect(Array.from(evalDense(b, 7))).toEqual(Array.from(evalDense(b, 1)));
  });

  it('banded evaluation agrees with the dense one and finds valid spans', () => {
    const b = makeBasis(-0.5, 0.5, 12, 4);
    const xs = grid(-0.5, 0.5, 501);
    const { span, vals } = evalBanded(b, xs);
    xs.forEach((x, i) => {
      expect(span[i]).toBeGreaterThanOrEqual(4);
      expect(span[i]).toBeLessThanOrEqual(11);
      expect(span[i]).toBe(findSpan(b, x));
      const dense = evalDense(b, x);
      for (let r = 0; r < 5; r++) expect(vals[i * 5 + r]).toBe(dense[span[i] - 4 + r]);
    });
  });

  it('interpolates at the collocation sites: a smooth function is reproduced between them to O(h^5)', () => {
    // Solve the collocation system B(tau) c = f(tau); the knots are "acceptable", so it is invertible.
    const f = (x: number) => Math.exp(x) * Math.sin(2 * x);
    const errAt = (n: number): number => {
      const b = makeBasis(0, 1.5, n, 4);
      const tau = uniformSites(0, 1.5, n);
      const Bt = new Float64Array(n * n);
      for (let i = 0; i < n; i++) Bt.set(evalDense(b, tau[i]), i * n);
      // Normal equations (B^T B) c = B^T f: symmetric positive definite.
      const A = new Float64Array(n * n);
      const rhs = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let r = 0; r < n; r++) s += Bt[r * n + i] * Bt[r * n + j];
          A[i * n + j] = s;
        }
        for (let r = 0; r < n; r++) rhs[i] += Bt[r * n + i] * f(tau[r]);
      }
      const { x: c } = solveSpd(A, n, rhs);
      for (let i = 0; i < n; i++) expect(evalSpline(b, c, tau[i])).toBeCloseTo(f(tau[i]), 8);
      let worst = 0;
      for (const x of grid(0, 1.5, 301)) worst = Math.max(worst, Math.abs(evalSpline(b, c, x) - f(x)));
      return worst;
    };
    const e12 = errAt(12);
    const e24 = errAt(24);
    expect(e12).toBeLessThan(1e-3);
    // Halving the spacing cuts the error by about 2^5 = 32 (order p + 1 = 5); ask for more than 16.
    expect(e12 / e24).toBeGreaterThan(16);
  });

  it('reproduces polynomials of degree <= p exactly (the collocation fit of x^4 is x^4)', () => {
    const n = 12;
    const b = makeBasis(-1, 2, n, 4);
    const tau = uniformSites(-1, 2, n);
    const A = new Float64Array(n * n);
    const rhs = new Float64Array(n);
    const rows = Array.from(tau, (x) => evalDense(b, x));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) A[i * n + j] = rows.reduce((s, r) => s + r[i] * r[j], 0);
      rhs[i] = rows.reduce((s, r, k) => s + r[i] * tau[k] ** 4, 0);
    }
    const { x: c } = solveSpd(A, n, rhs);
    for (const x of grid(-1, 2, 157)) expect(evalSpline(b, c, x)).toBeCloseTo(x ** 4, 9);
  });
});

describe('B-spline derivatives', () => {
  it.each([
    [12, 4],
    [12, 3],
    [7, 2],
    [6, 1],
  ])('n=%i degree=%i: match central finite differences and sum to 0', (n, p) => {
    const b = makeBasis(-1, 1, n, p);
    const h = 1e-6;
    for (const x of grid(-0.97, 0.97, 181)) {
      // Skip points within h of a knot, where a degree-1 derivative jumps.
      if (Array.from(b.knots).some((t) => Math.abs(t - x) < 2 * h)) continue;
      const d = evalDerivDense(b, x);
      const up = evalDense(b, x + h);
      const dn = evalDense(b, x - h);
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const fd = (up[j] - dn[j]) / (2 * h);
        expect(d[j]).toBeCloseTo(fd, 5);
        sum += d[j];
      }
      expect(sum).toBeCloseTo(0, 10);
    }
  });

  it('the derivative of a spline is the spline of the derivative (x^3 fitted exactly, derivative 3x^2)', () => {
    const n = 12;
    const b = makeBasis(0, 1, n, 4);
    const tau = uniformSites(0, 1, n);
    const rows = Array.from(tau, (x) => evalDense(b, x));
    const A = new Float64Array(n * n);
    const rhs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) A[i * n + j] = rows.reduce((s, r) => s + r[i] * r[j], 0);
      rhs[i] = rows.reduce((s, r, k) => s + r[i] * tau[k] ** 3, 0);
    }
    const { x: c } = solveSpd(A, n, rhs);
    for (const x of grid(0.01, 0.99, 51)) {
      const d = evalDerivDense(b, x);
      const slope = d.reduce((s, v, j) => s + v * c[j], 0);
      expect(slope).toBeCloseTo(3 * x * x, 7);
    }
  });
});
