import { describe, expect, it } from 'vitest';
import { normCdf } from '../../../../src-main/engine/math/normal';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

const N = 1_000_000;

function moments(x: Float64Array): { mean: number; variance: number; skew: number; kurtosis: number } {
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const v of x) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean, variance: m2, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

describe('seeded(seed).normal / fillNormal', () => {
  const z = new Float64Array(N);
  seeded(12345).fillNormal(z);

  it('has mean 0, variance 1, skewness 0 and kurtosis 3 within 4 standard errors (1e6 draws)', () => {
    const m = moments(z);
    expect(Math.abs(m.mean)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(m.variance - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(m.skew)).toBeLessThan(4 * Math.sqrt(6 / N));
    expect(Math.abs(m.kurtosis - 3)).toBeLessThan(4 * Math.sqrt(24 / N));
  });

  it('puts the right mass in 40 bins over [-4, 4] and in both tails (chi-square, ziggurat tail beyond R = 3.654)', () => {
    const edges = [-Infinity, ...Array.from({ length: 41 }, (_, j) => -4 + 0.2 * j), Infinity];
    const counts = new Float64Array(edges.length - 1);
    let far = 0;
    for (const v of z) {
      const j = Math.min(edges.length - 2, Math.max(0, Math.floor((v + 4) / 0.2) + 1));
      counts[v < -4 ? 0 : v >= 4 ? edges.length - 2 : j]++;
      if (Math.abs(v) > 3.6541528853610088) far++;
    }
    let chi2 = 0;
    for (let j = 0; j < counts.length; j++) {
      const expected = N * (normCdf(edges[j + 1]) - normCdf(edges[j]));
      chi2 += (counts[j] - expected) ** 2 / expected;
    }
    // 41 degrees of freedom: mean 41, sd 9; 99.99% quantile ~ 83
    expect(chi2).toBeLessThan(83);
    const pFar = 2 * normCdf(-3.6541528853610088);
    expect(Math.abs(far - N * pFar)).toBeLessThan(4 * Math.sqrt(N * pFar));
  });

  it('is deterministic for a seed and fillNormal is the stream of normal() in order, however chunked', () => {
    const a = seeded(99);
    const b = seeded(99);
    const one = new Float64Array(1000);
    a.fillNormal(one);
    const parts = new Float64Array(1000);
    b.fillNormal(parts.subarray(0, 7));
    for (let k = 7; k < 500; k++) parts[k] = b.normal();
    b.fillNormal(parts.subarray(500));
    expect(Array.from(parts)).toEqual(Array.from(one));
  });

  it('gives different streams for different (even adjacent) seeds, with no correlation', () => {
    const a = new Float64Array(100_000);
    const b = new Float64Array(100_000);
    seeded(0).fillNormal(a);
    seeded(1).fillNormal(b);
    let dot = 0;
    for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
    expect(Math.abs(dot / a.length)).toBeLessThan(4 / Math.sqrt(a.length));
    expect(a[0]).not.toBe(b[0]);
    expect(seeded(2 ** 32 - 1).normal()).not.toBe(seeded(0).normal());
  });
});

describe('seeded(seed).uniform', () => {
  it('lies in the open interval (0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = seeded(5);
    const n = 500_000;
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let k = 0; k < n; k++) {
      const u = rng.uniform();
      sum += u;
      sumSq += u * u;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    const mean = sum / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sumSq / n - mean * mean - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / n));
  });
});
