import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../../src-shared/semistatic/params';
import { CancelledError } from '../../../../src-main/engine/cancel';
import { filterKernel, solveA, toeplitzRow } from '../../../../src-main/engine/semistatic/coefficients';
import { logDetQInverse } from '../../../../src-main/engine/semistatic/bandedQ';
import { expectedWealth } from '../../../../src-main/engine/semistatic/moments';
import { filterDirect, filterRecursive, pathWealth, ratioSdExact, simulateSemistatic } from '../../../../src-main/engine/semistatic/montecarlo';
import { solveSemistatic } from '../../../../src-main/engine/semistatic/solution';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

function path(n: number, mu: number, sigma: number, seed: number): { X: Float64Array; S: Float64Array } {
  const X = new Float64Array(n);
  seeded(seed).fillNormal(X);
  const S = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    X[i] = mu + sigma * X[i];
    S[i + 1] = S[i] + X[i];
  }
  return { X, S };
}

describe('the strategy on one path', () => {
  it.each([
    [10, 2, 0.7],
    [40, 0, 1.6],
    [60, 13, 0.3],
    [80, 79, 2],
    [500, 60, 20],
    [300, 1, 0.05],
  ])('n=%i D=%i s2=%f: the O(n) recursive filter equals the direct sum of (t_{L+1} - a) X_{i-L}', (n, D, s2) => {
    const { a } = solveA(n, D, s2);
    const u = filterKernel(toeplitzRow(n, D, a), a, D);
    const { X, S } = path(n, 0.1, 1.3, n + D);
    const g1 = filterRecursive(X, S, D, a, new Float64Array(n));
    const g2 = filterDirect(X, u, D, new Float64Array(n));
    let scale = 1;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(g2[i]));
    for (let i = 0; i < n; i++) expect(Math.abs(g1[i] - g2[i])).toBeLessThan(1e-11 * scale);
    // Predictable with delay D: g_i uses X_1..X_{i-1-D} only (0-based: X[0..i-D-1]).
    const bumped = Float64Array.from(X);
    const k = Math.floor(n / 2);
    bumped[k] += 1;
    const Sb = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) Sb[i + 1] = Sb[i] + bumped[i];
    const g3 = filterRecursive(bumped, Sb, D, a, new Float64Array(n));
    for (let i = 0; i <= Math.min(n - 1, k + D); i++) expect(g3[i]).toBe(g1[i]);
  });

  it('terminal wealth is the quadratic form m 1\'Y + Y\'(Q^{-1} - I)Y/2 - a n s2/2 (over gamma)', () => {
    const p = resolveParams({ n: 12, delay: 3, sigma: 1.3, ratio2: 0.6, mu: 0.2, s0: 50, riskAversion: 2 });
    const { a } = solveA(p.n, p.D, p.ratio2);
    const t = toeplitzRow(p.n, p.D, a);
    for (let seed = 1; seed < 6; seed++) {
      const { X, S } = path(p.n, p.mu, p.sigma, seed);
      const g = filterRecursive(X, S, p.D, a, new Float64Array(p.n));
      const v = pathWealth(p, a, X, S, g);
      const Y = X.map((x) => x / p.sigma);
      const m = p.mu / p.sigma;
      let quad = 0;
      for (let i = 0; i < p.n; i++) for (let j = 0; j < p.n; j++) quad += Y[i] * (t[Math.abs(i - j)] - (i === j ? 1 : 0)) * Y[j];
      const want = (m * Y.reduce((s, y) => s + y, 0) + quad / 2 - (a * p.n * p.ratio2) / 2) / p.riskAversion;
      expect(v).toBeCloseTo(want, 11);
    }
  });
});

describe('Monte Carlo against the closed form', () => {
  it('the spec case n=10, D=2, sigma=1.3, mu=0.1, s2=0.7 agrees within error bars with 400,000 paths', () => {
    const p = resolveParams({ n: 10, delay: 2, sigma: 1.3, ratio2: 0.7, mu: 0.1 });
    const sol = solveSemistatic(p);
    const paths = 400_000;
    const mc = simulateSemistatic(p, sol.a, sol.entropy, paths, seeded(2024));
    const sd = ratioSdExact(toeplitzRow(p.n, p.D, sol.a), sol.logDetQInverse, p.mu / p.sigma);
    expect(sd.sd).not.toBeNull();
    const se = sd.sd! / Math.sqrt(paths);
    expect(Math.abs(mc.ratioMean - 1)).toBeLessThan(4 * se);
    // The sample standard error estimates the exact one.
    expect(mc.ratioSe / se).toBeGreaterThan(0.9);
    expect(mc.ratioSe / se).toBeLessThan(1.1);
    const utility = -Math.exp(-sol.entropy) * mc.ratioMean;
    expect(Math.abs(utility - sol.value)).toBeLessThan(4 * Math.exp(-sol.entropy) * se);
    expect(mc.nonFinite).toBe(0);
  });

  it.each([
    // n, D, s2, mu, sigma, gamma
    [5, 1, 0.5, 0, 1, 1],
    [20, 5, 1.3, 0.05, 0.7, 1],
    [30, 0, 0.8, 0.2, 1.5, 1],
    [12, 4, 1, 0.3, 1, 1],
    [50, 10, 0.9, -0.1, 2, 3],
    [40, 39, 0.6, 0.1, 1, 1],
  ])('n=%i D=%i s2=%f mu=%f sigma=%f gamma=%f: mean of exp(H - gamma V) is 1 within 4 standard errors', (n, D, s2, mu, sigma, gamma) => {
    const p = resolveParams({ n, delay: D, sigma, ratio2: s2, mu, riskAversion: gamma });
    const sol = solveSemistatic(p);
    const paths = 120_000;
    const mc = simulateSemistatic(p, sol.a, sol.entropy, paths, seeded(n * 31 + D));
    const sd = ratioSdExact(toeplitzRow(n, D, sol.a), logDetQInverse(n, D, sol.a), mu / sigma);
    expect(sd.sd, sd.note).not.toBeNull();
    const se = sd.sd! / Math.sqrt(paths);
    expect(Math.abs(mc.ratioMean - 1)).toBeLessThan(4 * se);
    // E_P[V]: closed form against the sample mean (sd of V from the sample).
    const w = mc.wealth;
    const mean = w.reduce((s, x) => s + x, 0) / paths;
    const sdV = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / (paths - 1));
    expect(Math.abs(mean - expectedWealth(p, sol.a))).toBeLessThan(4 * (sdV / Math.sqrt(paths)));
  });

  it('the exact variance of the utility matches the sample variance', () => {
    const p = resolveParams({ n: 15, delay: 3, sigma: 1, ratio2: 0.8, mu: 0.15 });
    const sol = solveSemistatic(p);
    const sd = ratioSdExact(toeplitzRow(p.n, p.D, sol.a), sol.logDetQInverse, 0.15).sd!;
    const mc = simulateSemistatic(p, sol.a, sol.entropy, 200_000, seeded(5));
    const sampleSd = mc.ratioSe * Math.sqrt(200_000);
    expect(sampleSd / sd).toBeGreaterThan(0.93);
    expect(sampleSd / sd).toBeLessThan(1.07);
  });

  it('flags an infinite variance of the utility (no delay, s2 >= 2: Q = s2 I has eigenvalues >= 2)', () => {
    const { a } = solveA(10, 0, 3);
    const sd = ratioSdExact(toeplitzRow(10, 0, a), logDetQInverse(10, 0, a), 0);
    expect(sd.sd).toBeNull();
    expect(sd.note).toMatch(/infinite/);
  });

  it('is reproducible from its seed, reports progress, and cancels', () => {
    const p = resolveParams({ n: 10, delay: 2, sigma: 1.3, ratio2: 0.7, mu: 0.1 });
    const sol = solveSemistatic(p);
    const a1 = simulateSemistatic(p, sol.a, sol.entropy, 30_000, seeded(9));
    const seen: number[] = [];
    const a2 = simulateSemistatic(p, sol.a, sol.entropy, 30_000, seeded(9), { onProgress: (d) => seen.push(d) });
    expect(a2.ratioMean).toBe(a1.ratioMean);
    expect(Array.from(a2.wealth.subarray(0, 50))).toEqual(Array.from(a1.wealth.subarray(0, 50)));
    expect(seen[seen.length - 1]).toBe(30_000);
    let calls = 0;
    expect(() => simulateSemistatic(p, sol.a, sol.entropy, 1_000_000, seeded(1), { shouldCancel: () => ++calls > 2 })).toThrow(CancelledError);
  });
});
