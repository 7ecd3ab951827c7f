import { describe, expect, it } from 'vitest';
import { pnlStats } from '../../../../src-main/engine/risk/pnlStats';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

describe('pnlStats on samples worked by hand', () => {
  it('x = 1, 2, 3, 4, 10 (n = 5, every tail holds one value)', () => {
    // mean 4; deviations -3 -2 -1 0 6; sum sq 50 -> variance 50/4 = 12.5; downside 9 + 4 + 1 = 14 -> 14/5
    // m2 = 10, m3 = (-27 - 8 - 1 + 216)/5 = 36 -> skew 36 / 10^1.5; k = ceil(0.05) = ceil(0.25) = 1
    const s = pnlStats(Float64Array.from([4, 10, 1, 3, 2]));
    expect(s.n).toBe(5);
    expect(s.mean).toBe(4);
    expect(s.variance).toBe(12.5);
    expect(s.semivariance).toBeCloseTo(2.8, 15);
    expect(s.skew).toBeCloseTo(36 / 10 ** 1.5, 14);
    expect(s.var).toEqual({ p1: 1, p5: 1, p95: 10, p99: 10 });
    expect(s.es).toEqual({ p1: 1, p5: 1, p95: 10, p99: 10 });
    expect([s.min, s.max]).toEqual([1, 10]);
  });

  it('x = 1..40 shuffled (k_0.95 = 2, k_0.99 = 1): quantiles, tail means, zero skew, semivariance = half the sum of squares / n', () => {
    const rng = seeded(3);
    const x = Array.from({ length: 40 }, (_, i) => i + 1);
    for (let i = x.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [x[i], x[j]] = [x[j], x[i]];
    }
    const s = pnlStats(x);
    expect(s.mean).toBe(20.5);
    expect(s.variance).toBeCloseTo((40 * 41) / 12, 12); // n(n+1)/12 for 1..n
    expect(s.semivariance).toBeCloseTo((39 * ((40 * 41) / 12)) / 2 / 40, 12);
    expect(s.skew).toBeCloseTo(0, 14);
    expect(s.var).toEqual({ p1: 1, p5: 2, p95: 39, p99: 40 });
    expect(s.es).toEqual({ p1: 1, p5: 1.5, p95: 39.5, p99: 40 });
  });

  it('a single value and a constant sample: zero variance and skew', () => {
    expect(pnlStats([0.3])).toMatchObject({ n: 1, mean: 0.3, variance: 0, semivariance: 0, skew: 0, min: 0.3, max: 0.3 });
    const c = pnlStats(new Array(50).fill(-0.25));
    expect([c.variance, c.semivariance, c.skew, c.var.p1, c.es.p99]).toEqual([0, 0, 0, -0.25, -0.25]);
  });

  it('rejects an empty sample and names how many values are not finite', () => {
    expect(() => pnlStats([])).toThrow(/empty/);
    expect(() => pnlStats([1, NaN, 2, Infinity, 3])).toThrow(/2 of 5 values are not finite/);
  });
});

describe('pnlStats on random samples', () => {
  it('orders the tails: es.p1 <= var.p1 <= var.p5 <= mean <= var.p95 <= var.p99 <= es.p99', () => {
    for (const seed of [1, 2, 3]) {
      const rng = seeded(seed);
      const x = Float64Array.from({ length: 1000 + 37 * seed }, () => rng.normal() ** 3 + 0.1 * rng.uniform());
      const s = pnlStats(x);
      const chain = [s.min, s.es.p1, s.var.p1, s.es.p5, s.var.p5, s.mean, s.var.p95, s.es.p95, s.var.p99, s.es.p99, s.max];
      for (let i = 1; i < chain.length; i++) expect(chain[i]).toBeGreaterThanOrEqual(chain[i - 1]);
      expect(s.es.p1).toBeLessThan(s.var.p1);
      expect(s.var.p99).toBeLessThan(s.es.p99);
    }
  });

  it('200,000 standard normals: skew ~ 0, 5% quantile ~ -1.6449, semivariance ~ variance / 2', () => {
    const rng = seeded(11);
    const x = new Float64Array(200_000);
    rng.fillNormal(x);
    const s = pnlStats(x);
    // standard errors: mean 0.0022, variance 0.0032, skew sqrt(6/n) = 0.0055, 5% quantile 0.0049
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
    expect(Math.abs(s.variance - 1)).toBeLessThan(0.015);
    expect(Math.abs(s.skew)).toBeLessThan(0.02);
    expect(Math.abs(s.var.p5 - -1.6449)).toBeLessThan(0.01);
    expect(Math.abs(s.var.p95 - 1.6449)).toBeLessThan(0.01);
    expect(Math.abs(s.var.p1 - -2.3263)).toBeLessThan(0.02);
    // ES_5% of N(0,1) = -phi(1.6449) / 0.05 = -2.0627
    expect(Math.abs(s.es.p5 - -2.0627)).toBeLessThan(0.015);
    expect(Math.abs(s.semivariance - s.variance / 2)).toBeLessThan(0.01);
  });
});
