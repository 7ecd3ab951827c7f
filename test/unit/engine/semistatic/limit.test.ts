import { describe, expect, it } from 'vitest';
import { solveA } from '../../../../src-main/engine/semistatic/coefficients';
import { continuousLimit, discreteKernel, expTail, kappaCoefficients, kappaKernel, kappaMinusKappa0 } from '../../../../src-main/engine/semistatic/limit';
import { kernelError, limitCurves } from '../../../../src-main/engine/semistatic/limitCurves';
import { entropyFrom } from '../../../../src-main/engine/semistatic/solution';

const CASES: Array<[number, number]> = [
  [0.2, 0.7],
  [0.3, 2],
  [0.1, 0.5],
  [0.5, 1.3],
  [0.05, 0.9],
];

/** The spec's c-recursion written literally (partial exponential sums), for comparison. */
function cLiteral(alpha: number, H: number, K: number): number[] {
  const c = [-alpha];
  for (let k = 1; k < K; k++) {
    let s = -alpha;
    for (let j = 0; j < k; j++) {
      let partial = 0;
      let term = 1;
      for (let i = 0; i <= k - 1 - j; i++) {
        if (i > 0) term *= (-alpha * H) / i;
        partial += term;
      }
      s += -c[j] + c[j] * Math.exp(alpha * H) * partial;
    }
    c.push(s);
  }
  return c;
}

describe('continuous-time limit constants', () => {
  it.each(CASES)('H=%f s2=%f: n a -> ahat and H_n -> -U (mu = 0), with errors O(1/n)', (H, s2) => {
    const lim = continuousLimit(H, s2);
    // The spec's ahat formula, literally.
    expect(lim.ahat).toBeCloseTo((H - 2 * s2 + Math.sqrt(H * H + 4 * s2 * (1 - H))) / (2 * s2 * H), 10);
    expect(lim.alpha).toBeCloseTo(lim.ahat / (1 + lim.ahat * H), 14);
    // U literally from the spec.
    const a = lim.alpha;
    expect(lim.U).toBeCloseTo(0.5 * Math.log(1 - a * H) + 0.5 * a * (H - 1 + s2 / (1 - a * H)), 12);
    const errA: number[] = [];
    const errU: number[] = [];
    for (const n of [400, 1600, 6400]) {
      const D = Math.round(H * n);
      const root = solveA(n, D, s2).a;
      errA.push(Math.abs(n * root - lim.ahat));
      errU.push(Math.abs(entropyFrom(n, D, root, s2, 0) - lim.entropy));
    }
    expect(errA[2]).toBeLessThan(errA[0] / 8);
    expect(errU[2]).toBeLessThan(errU[0] / 8);
    expect(errU[2]).toBeLessThan(2e-3);
  });

  it('ratio 1 gives a zero limit (no static claim, no filter, Merton value 0 at mu = 0)', () => {
    const lim = continuousLimit(0.3, 1);
    expect(lim.ahat).toBe(0);
    expect(lim.U).toBe(0);
    const k = kappaKernel(lim);
    for (const t of [0.1, 0.35, 0.7, 0.99]) expect(kappaMinusKappa0(k, t)).toBe(0);
  });

  it('the limit value blows up as the delay vanishes and falls as the delay grows', () => {
    for (const s2 of [0.5, 2]) {
      const hs = [0.001, 0.01, 0.1, 0.3, 0.6, 0.9].map((H) => continuousLimit(H, s2).entropy);
      for (let k = 1; k < hs.length; k++) expect(hs[k]).toBeLessThan(hs[k - 1]);
      expect(hs[0]).toBeGreaterThan(10 * hs[3]);
    }
  });
});

describe('the limit kernel kappa', () => {
  it('the cancellation-free coefficients equal the spec recursion written literally', () => {
    for (const [H, s2] of CASES) {
      const lim = continuousLimit(H, s2);
      const K = Math.ceil(1 / H) + 2;
      const c = kappaCoefficients(lim, K);
      const lit = cLiteral(lim.alpha, H, K);
      for (let k = 0; k < K; k++) expect(c[k]).toBeCloseTo(lit[k], 9);
    }
    expect(expTail(0.5, 2)).toBeCloseTo(Math.exp(0.5) - 1 - 0.5 - 0.125, 15);
    expect(expTail(-0.7, 3)).toBeCloseTo(Math.exp(-0.7) - (1 - 0.7 + 0.245 - 0.7 ** 3 / 6), 15);
  });

  it.each(CASES)('H=%f s2=%f: zero before H, jump to -alpha at H, continuous after', (H, s2) => {
    const lim = continuousLimit(H, s2);
    const k = kappaKernel(lim);
    expect(kappaMinusKappa0(k, H * 0.5)).toBe(0);
    expect(kappaMinusKappa0(k, H)).toBeCloseTo(-lim.alpha, 14);
    for (let m = 2; m * H < 1; m++) {
      const left = kappaMinusKappa0(k, m * H - 1e-9);
      const right = kappaMinusKappa0(k, m * H);
      expect(Math.abs(left - right)).toBeLessThan(1e-6 * (1 + Math.abs(right)));
    }
  });

  it.each(CASES)('H=%f s2=%f: the discrete kernel n (t_{L+1} - a) converges to kappa(L/n) - kappa_0 like 1/n', (H, s2) => {
    const k = kappaKernel(continuousLimit(H, s2));
    const errs = [250, 1000, 4000].map((n) => {
      const D = Math.round(H * n);
      const dk = discreteKernel(n, D, s2);
      return kernelError(n, H, dk.t, dk.y, (t) => kappaMinusKappa0(k, t));
    });
    expect(errs[1]).toBeLessThan(errs[0] / 2.5);
    expect(errs[2]).toBeLessThan(errs[1] / 2.5);
    expect(errs[2] * 4000).toBeLessThan(200); // O(1/n) with a moderate constant
  });
});

describe('limit curves for the view', () => {
  it('bundles the kernel, the discrete kernels and both families of value lines', () => {
    const c = limitCurves(0.2, 0.7, [10, 40, 160, 2]);
    expect(c.kappa.t.length).toBe(c.kappa.limit.length);
    expect(c.kappa.discrete.map((d) => d.n)).toEqual([10, 40, 160]);
    expect(c.kappa.skipped[0]).toMatch(/^n = 2: D = round\(H n\) = 0/);
    const errs = c.kappa.discrete.map((d) => d.maxError);
    expect(errs[2]).toBeLessThan(errs[0]);
    expect(c.valueVsDelay.series.some((s) => s.ratio2 === 0.7)).toBe(true);
    expect(c.valueVsRatio.series.some((s) => Math.abs(s.delayFraction - 0.2) < 1e-12)).toBe(true);
    for (const s of c.valueVsDelay.series) expect(s.entropy.every(Number.isFinite)).toBe(true);
    // At s2 = 1 every delay gives 0.
    const atOne = c.valueVsRatio.ratio2.findIndex((r) => r > 1);
    for (const s of c.valueVsRatio.series) expect(s.entropy[atOne]).toBeLessThan(s.entropy[0]);
  });
});
