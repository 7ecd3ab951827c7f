import { Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../../src-shared/semistatic/params';
import { solveA, toeplitzRow } from '../../../../src-main/engine/semistatic/coefficients';
import { entropyFrom, noDelayEntropy, solveSemistatic } from '../../../../src-main/engine/semistatic/solution';

const denseT = (t: Float64Array): Matrix => {
  const n = t.length;
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, t[Math.abs(i - j)]);
  return m;
};

/** The spec's H = (1/2)(trace Q - n - log det Q) + n mu^2/(2 sigma^2), from a dense inverse. */
function entropyDense(n: number, D: number, s2: number, mu: number, sigma: number): number {
  const { a } = solveA(n, D, s2);
  const T = denseT(toeplitzRow(n, D, a));
  const Q = inverse(T);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += Q.get(i, i);
  // log det Q via Cholesky of Q^{-1}: log det Q = -log det T.
  let logDetT = 0;
  const L = new Matrix(n, n);
  for (let j = 0; j < n; j++) {
    let s = T.get(j, j);
    for (let k = 0; k < j; k++) s -= L.get(j, k) ** 2;
    L.set(j, j, Math.sqrt(s));
    logDetT += Math.log(s);
    for (let i = j + 1; i < n; i++) {
      let r = T.get(i, j);
      for (let k = 0; k < j; k++) r -= L.get(i, k) * L.get(j, k);
      L.set(i, j, r / L.get(j, j));
    }
  }
  return 0.5 * (trace - n + logDetT) + (n * mu * mu) / (2 * sigma * sigma);
}

const base = { n: 10, delay: 2, sigma: 1.3, ratio2: 0.7, mu: 0.1 };

describe('the optimal value', () => {
  it.each([
    [10, 2, 0.7, 0.1, 1.3],
    [20, 5, 1.6, -0.2, 0.8],
    [15, 0, 0.5, 0.05, 2],
    [33, 32, 0.2, 0, 1],
    [40, 9, 1, 0.3, 1.1],
  ])('n=%i D=%i s2=%f mu=%f sigma=%f: H equals the spec formula with a dense Q', (n, D, s2, mu, sigma) => {
    const { a } = solveA(n, D, s2);
    const h = entropyFrom(n, D, a, s2, (mu * mu) / (sigma * sigma));
    expect(h).toBeCloseTo(entropyDense(n, D, s2, mu, sigma), 9);
    const sol = solveSemistatic(resolveParams({ n, delay: D, ratio2: s2, mu, sigma }));
    expect(sol.entropy).toBeCloseTo(h, 12);
    expect(sol.value).toBeCloseTo(-Math.exp(-h), 14);
    expect(sol.certaintyEquivalent).toBeCloseTo(h, 12);
  });

  it('ratio 1: no static claim, Merton only, H = n mu^2 / (2 sigma^2)', () => {
    const sol = solveSemistatic(resolveParams({ ...base, ratio2: 1, n: 50, delay: 7 }));
    expect(sol.a).toBe(0);
    expect(sol.staticClaim.weight).toBe(0);
    expect(sol.staticClaim.price).toBe(0);
    expect(sol.entropy).toBeCloseTo((50 * 0.01) / (2 * 1.69), 14);
    expect(sol.semistaticEntropy).toBeCloseTo(0, 14);
    expect(sol.weights.weight.every((w) => w === 0)).toBe(true);
    expect(sol.merton.fraction).toBeCloseTo(0.1 / 1.69, 14);
  });

  it('no delay: H = (n/2)(s2 - 1 - log s2) + n mu^2 / (2 sigma^2), growing without bound in n', () => {
    const hs = [10, 100, 1000].map((n) => solveSemistatic(resolveParams({ ...base, n, delay: 0 })).entropy);
    for (const [k, n] of [10, 100, 1000].entries()) expect(hs[k]).toBeCloseTo(noDelayEntropy(n, 0.7, 0.01 / 1.69), 10);
    expect(hs[2] / hs[0]).toBeCloseTo(100, 8);
  });

  it('delay never helps: H decreases in D and lies between Merton and the no-delay value', () => {
    for (const s2 of [0.4, 0.9, 1.3, 3]) {
      const n = 60;
      let prev = Infinity;
      for (const D of [0, 1, 3, 10, 30, 59]) {
        const sol = solveSemistatic(resolveParams({ ...base, n, delay: D, ratio2: s2 }));
        expect(sol.entropy).toBeLessThanOrEqual(prev + 1e-12);
        expect(sol.entropy).toBeGreaterThanOrEqual(sol.merton.entropy - 1e-12);
        prev = sol.entropy;
      }
    }
  });

  it('H is smallest at s2 = 1 (decreasing below, increasing above), as the source argues', () => {
    const h = (s2: number) => solveSemistatic(resolveParams({ ...base, n: 40, delay: 6, ratio2: s2 })).entropy;
    const grid = [0.2, 0.5, 0.8, 1, 1.25, 2, 5];
    const hs = grid.map(h);
    for (let k = 1; k < grid.length; k++) {
      if (grid[k] <= 1) expect(hs[k]).toBeLessThan(hs[k - 1]);
      else expect(hs[k]).toBeGreaterThan(hs[k - 1]);
    }
  });

  it('the static claim is bought long for s2 < 1 and sold for s2 > 1, priced at a n s2 / 2', () => {
    const lo = solveSemistatic(resolveParams({ ...base, ratio2: 0.7 }));
    const hi = solveSemistatic(resolveParams({ ...base, ratio2: 1.4 }));
    expect(lo.staticClaim.weight).toBeGreaterThan(0);
    expect(hi.staticClaim.weight).toBeLessThan(0);
    expect(lo.staticClaim.price).toBeCloseTo((lo.a * 10 * 0.7) / 2, 14);
    expect(lo.staticClaim.weight).toBeCloseTo(lo.a / (2 * 1.69), 14);
  });

  it('risk aversion gamma scales positions and money by 1/gamma, leaving H unchanged', () => {
    const one = solveSemistatic(resolveParams({ ...base, riskAversion: 1 }));
    const four = solveSemistatic(resolveParams({ ...base, riskAversion: 4 }));
    expect(four.entropy).toBe(one.entropy);
    expect(four.certaintyEquivalent).toBeCloseTo(one.certaintyEquivalent / 4, 14);
    expect(four.staticClaim.price).toBeCloseTo(one.staticClaim.price / 4, 14);
    four.weights.weight.forEach((w, k) => expect(w).toBeCloseTo(one.weights.weight[k] / 4, 14));
  });

  it('sigmahat or the ratio, delay in steps or as a fraction: the same problem', () => {
    const a = solveSemistatic(resolveParams({ n: 40, delay: 8, sigma: 2, ratio2: 0.49, mu: 0 }));
    const b = solveSemistatic(resolveParams({ n: 40, delayFraction: 0.2, sigma: 2, sigmahat: 1.4, mu: 0 }));
    expect(b.params.D).toBe(8);
    expect(b.params.ratio2).toBeCloseTo(0.49, 14);
    expect(b.entropy).toBeCloseTo(a.entropy, 12);
  });

  it('filter weights are zero for lags <= D and (t_{L+1} - a)/(gamma sigma^2) beyond', () => {
    const sol = solveSemistatic(resolveParams({ ...base, n: 30, delay: 4 }));
    const t = toeplitzRow(30, 4, sol.a);
    expect(sol.weights.lag).toHaveLength(30);
    for (const L of sol.weights.lag) {
      const w = sol.weights.weight[L];
      if (L <= 4) expect(w).toBe(0);
      else expect(w).toBeCloseTo((t[L] - sol.a) / 1.69, 15);
    }
    // First weight beyond the delay: -a/(aD+1)/sigma^2.
    expect(sol.weights.weight[5]).toBeCloseTo(-sol.a / (sol.a * 4 + 1) / 1.69, 15);
  });

  it('every identity check passes at moderate sizes, and big sizes are computed in O(n) with checks skipped', () => {
    for (const [n, D, s2] of [[10, 2, 0.7], [500, 100, 1.7], [2000, 400, 0.3], [3000, 0, 2]] as const) {
      const sol = solveSemistatic(resolveParams({ n, delay: D, ratio2: s2, sigma: 1, mu: 0 }));
      for (const c of sol.checks) expect(c.ok, `${c.id} at n=${n}: ${c.residual} (${c.note})`).not.toBe(false);
      expect(sol.checks.filter((c) => c.ok === true).length).toBeGreaterThanOrEqual(4);
    }
    const big = solveSemistatic(resolveParams({ n: 1_000_000, delay: 200_000, ratio2: 0.8, sigma: 1, mu: 0 }));
    expect(Number.isFinite(big.entropy)).toBe(true);
    expect(big.weights.sampled).toBe(true);
    expect(big.weights.lag.length).toBeLessThanOrEqual(4002);
    expect(big.checks.find((c) => c.id === 'root')!.ok).toBe(true);
    expect(big.checks.find((c) => c.id === 'determinant')!.ok).toBeNull();
    expect(big.computeMs).toBeLessThan(2000);
  });
});
