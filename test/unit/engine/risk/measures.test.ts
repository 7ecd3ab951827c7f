import { describe, expect, it } from 'vitest';
import {
  entropicRisk,
  expectedShortfall,
  riskSummary,
  tailCount,
  valueAtRisk,
} from '../../../../src-main/engine/risk/measures';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

describe('riskSummary on a 10-value sample worked by hand', () => {
  // PNL:    0.5, -1, 2, -3, 0, 1.5, -0.5, 4, -2, 1
  // losses sorted descending: 3, 2, 1, 0.5, 0, -0.5, -1, -1.5, -2, -4
  // k = ceil(0.1*10) = 1, ceil(0.05*10) = 1, ceil(0.01*10) = 1: every VaR and ES is the worst loss, 3.
  // mean = 2.5/10 = 0.25; sum x^2 = 37.75, sum (x-m)^2 = 37.75 - 10*0.0625 = 37.125, std = sqrt(37.125/9) = 2.0310096...
  // entropic = log(mean(e^{-x})) = log((e^-0.5 + e + e^-2 + e^3 + 1 + e^-1.5 + e^0.5 + e^-4 + e^2 + e^-1)/10)
  //          = 1.22942963130137192 (mpmath, 30 digits)
  const pnl = Float64Array.from([0.5, -1, 2, -3, 0, 1.5, -0.5, 4, -2, 1]);
  const s = riskSummary(pnl);

  it('has the hand-computed values', () => {
    expect(s.mean).toBeCloseTo(0.25, 15);
    expect(s.std).toBeCloseTo(Math.sqrt(37.125 / 9), 14);
    expect(s.entropic).toBeCloseTo(1.22942963130137192, 14);
    for (const v of [s.var90, s.var95, s.var99, s.es90, s.es95, s.es99]) expect(v).toBe(3);
  });

  it('with risk aversion a = 2 gives (1/2) log mean exp(-2 x) = 1.92476086714748429', () => {
    expect(entropicRisk(pnl, 2)).toBeCloseTo(1.92476086714748429, 14);
  });
});

describe('riskSummary on a 20-value sample worked by hand', () => {
  // PNL = -0.1, -0.2, ..., -2.0 (shuffled). Losses 0.1 .. 2.0.
  // k90 = ceil(0.1*20) = 2 -> worst two losses 2.0, 1.9: VaR90 = 1.9, ES90 = 1.95
  // k95 = ceil(0.05*20) = 1 (NOT 2, although (1 - 0.95) * 20 = 1.0000000000000009 in floating point)
  //   -> VaR95 = ES95 = 2.0; k99 = ceil(0.2) = 1 -> 2.0
  // mean = -(0.1 + ... + 2.0)/20 = -21/20 = -1.05; std = 0.1 * std(1..20) = 0.1 * sqrt(20*21/12... ) = 0.1*sqrt(35)
  const values = Array.from({ length: 20 }, (_, j) => -(j + 1) / 10);
  const shuffled = Float64Array.from([7, 19, 0, 12, 3, 15, 9, 1, 18, 5, 11, 2, 16, 8, 13, 4, 17, 6, 14, 10].map((j) => values[j]));
  const s = riskSummary(shuffled);

  it('has the hand-computed values', () => {
    expect(s.mean).toBeCloseTo(-1.05, 14);
    expect(s.std).toBeCloseTo(0.1 * Math.sqrt(35), 14);
    expect(s.var90).toBeCloseTo(1.9, 15);
    expect(s.es90).toBeCloseTo(1.95, 15);
    expect(s.var95).toBeCloseTo(2.0, 15);
    expect(s.es95).toBeCloseTo(2.0, 15);
    expect(s.var99).toBeCloseTo(2.0, 15);
    expect(s.es99).toBeCloseTo(2.0, 15);
  });

  it('counts the tail without the floating-point ceil trap', () => {
    expect((1 - 0.95) * 20).toBeGreaterThan(1); // the trap
    expect(tailCount(20, 0.95)).toBe(1);
    expect(tailCount(20, 0.9)).toBe(2);
    expect(tailCount(10, 0.9)).toBe(1);
    expect(tailCount(100_000, 0.99)).toBe(1000);
    expect(tailCount(100_001, 0.99)).toBe(1001);
    expect(tailCount(5, 0.99)).toBe(1);
  });
});

describe('risk measures on a large sample', () => {
  const n = 100_000;
  const pnl = new Float64Array(n);
  seeded(4).fillNormal(pnl);
  for (let k = 0; k < n; k++) pnl[k] = 0.01 + 0.02 * pnl[k];

  it('VaR/ES agree with a brute-force sort and ES >= VaR', () => {
    const losses = Array.from(pnl, (x) => -x).sort((a, b) => b - a);
    for (const [alpha, k] of [
      [0.9, 10_000],
      [0.95, 5000],
      [0.99, 1000],
    ] as const) {
      const es = losses.slice(0, k).reduce((a, b) => a + b, 0) / k;
      expect(valueAtRisk(pnl, alpha)).toBe(losses[k - 1]);
      expect(expectedShortfall(pnl, alpha)).toBeCloseTo(es, 14);
      expect(expectedShortfall(pnl, alpha)).toBeGreaterThanOrEqual(valueAtRisk(pnl, alpha));
    }
  });

  it('the entropic loss of N(m, s^2) is -m + a s^2/2 (within sampling error) and is translation-equivariant', () => {
    const rho = entropicRisk(pnl);
    expect(rho).toBeCloseTo(-0.01 + 0.5 * 0.02 ** 2, 3);
    const shifted = pnl.map((x) => x + 0.5);
    expect(entropicRisk(shifted)).toBeCloseTo(rho - 0.5, 14);
    const s = riskSummary(pnl);
    expect(s.entropic).toBeGreaterThanOrEqual(-s.mean); // Jensen
  });

  it('does not overflow for large losses (log-sum-exp) and is exact for constants', () => {
    expect(entropicRisk(Float64Array.from([-1000, -1000]))).toBeCloseTo(1000, 12);
    expect(entropicRisk(Float64Array.from([-1000, 0]))).toBeCloseTo(1000 - Math.log(2), 12);
    expect(entropicRisk(Float64Array.from([3, 3, 3]))).toBe(-3);
  });
});
