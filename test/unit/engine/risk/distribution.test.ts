import { describe, expect, it } from 'vitest';
import { normPdf } from '../../../../src-main/engine/math/normal';
import { pnlDistribution, quantileSorted } from '../../../../src-main/engine/risk/distribution';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

function normalSample(n: number, seed: number, mean: number, sd: number): Float64Array {
  const x = new Float64Array(n);
  seeded(seed).fillNormal(x);
  for (let k = 0; k < n; k++) x[k] = mean + sd * x[k];
  return x;
}

/** Trapezoid rule on a grid. */
function trapezoid(x: number[], y: number[]): number {
  let s = 0;
  for (let j = 1; j < x.length; j++) s += 0.5 * (y[j] + y[j - 1]) * (x[j] - x[j - 1]);
  return s;
}

describe('pnlDistribution', () => {
  const a = normalSample(100_000, 1, 0, 1);
  const b = normalSample(50_000, 2, 1, 0.5);
  const dist = pnlDistribution(
    [
      { runId: 'a', label: 'A', pnl: a },
      { runId: 'b', label: 'B', pnl: b },
    ],
    80,
  );

  it('uses a common range from the 0.05% / 99.95% quantiles of all runs and reports clipped samples', () => {
    expect(dist.edges).toHaveLength(81);
    expect(dist.kdeX).toHaveLength(200);
    const lo = Math.min(quantileSorted(a.slice().sort(), 0.0005), quantileSorted(b.slice().sort(), 0.0005));
    const hi = Math.max(quantileSorted(a.slice().sort(), 0.9995), quantileSorted(b.slice().sort(), 0.9995));
    expect(dist.edges[0]).toBe(lo);
    expect(dist.edges[80]).toBe(hi);
    const clippedA = a.filter((x) => x < lo || x > hi).length;
    expect(dist.series[0].clipped).toBe(clippedA);
    // A sets the lower end (about 50 clipped) and the upper end (about 50 clipped)
    expect(dist.series[0].clipped).toBeGreaterThan(40);
    expect(dist.series[0].clipped).toBeLessThan(140);
  });

  it('histogram densities integrate to 1 minus the clipped share', () => {
    for (const [k, n] of [
      [0, a.length],
      [1, b.length],
    ] as const) {
      const s = dist.series[k];
      let integral = 0;
      for (let j = 0; j < 80; j++) integral += s.density[j] * (dist.edges[j + 1] - dist.edges[j]);
      expect(integral).toBeCloseTo(1 - s.clipped / n, 12);
    }
  });

  it('KDE integrates to about 1 and is close to the normal pdf', () => {
    for (const s of dist.series) expect(Math.abs(trapezoid(dist.kdeX, s.kde) - 1)).toBeLessThan(0.01);
    // sample A ~ N(0, 1): Scott bandwidth ~0.106 widens the peak by ~0.6%; allow 0.01 absolute
    let worst = 0;
    dist.kdeX.forEach((x, j) => (worst = Math.max(worst, Math.abs(dist.series[0].kde[j] - normPdf(x)))));
    expect(worst).toBeLessThan(0.01);
    // sample B ~ N(1, 0.25)
    let worstB = 0;
    dist.kdeX.forEach((x, j) => (worstB = Math.max(worstB, Math.abs(dist.series[1].kde[j] - normPdf((x - 1) / 0.5) / 0.5))));
    expect(worstB).toBeLessThan(0.03);
  });

  it('copes with a constant sample, an empty list, and non-finite values', () => {
    const c = pnlDistribution([{ runId: 'c', label: 'C', pnl: Float64Array.from([2, 2, 2, 2]) }], 10);
    expect(c.edges).toHaveLength(11);
    expect(c.edges[0]).toBeLessThan(2);
    expect(c.edges[10]).toBeGreaterThan(2);
    expect(c.series[0].clipped).toBe(0);
    expect(pnlDistribution([], 10).edges).toEqual([]);
    const d = pnlDistribution([{ runId: 'd', label: 'D', pnl: Float64Array.from([0, 1, NaN, 2, Infinity]) }], 4);
    expect(d.edges[0]).toBeGreaterThanOrEqual(0);
    expect(d.series[0].density.every(Number.isFinite)).toBe(true);
  });
});
