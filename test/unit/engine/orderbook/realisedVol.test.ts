import { describe, expect, it } from 'vitest';
import { TRADING_SECONDS_PER_YEAR } from '../../../../src-shared/orderbook/contract';
import { annualiseRv, quantileOfSorted, realisedVol, rvStats } from '../../../../src-main/engine/orderbook/realisedVol';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

describe('realised volatility', () => {
  it('is sqrt of the summed squared log returns: exp(0), exp(0.01), exp(0.03), exp(0.00) -> sqrt(0.01^2 + 0.02^2 + 0.03^2)', () => {
    const wap = [1, Math.exp(0.01), Math.exp(0.03), 1];
    expect(realisedVol(wap)).toBeCloseTo(Math.sqrt(0.0001 + 0.0004 + 0.0009), 14);
  });

  it('uses only the given range and is NaN with fewer than two points', () => {
    const wap = [1, Math.exp(0.5), Math.exp(0.5), Math.exp(0.52)];
    expect(realisedVol(wap, 2, 4)).toBeCloseTo(0.02, 14);
    expect(realisedVol([1.2])).toBeNaN();
    expect(realisedVol(wap, 1, 2)).toBeNaN();
  });

  it('does not depend on the price level (scale invariant)', () => {
    const a = [1, 1.01, 0.995, 1.02];
    expect(realisedVol(a.map((x) => 37 * x))).toBeCloseTo(realisedVol(a), 13);
  });

  it('annualises by the span in trading years: rv / sqrt(span / secondsPerYear)', () => {
    expect(annualiseRv(0.01, 600)).toBeCloseTo(0.01 * Math.sqrt(TRADING_SECONDS_PER_YEAR / 600), 12);
    expect(TRADING_SECONDS_PER_YEAR).toBe(5_896_800);
    expect(annualiseRv(0.01, 0)).toBeNaN();
  });

  it('recovers sigma of a simulated GBM sampled every second (within its Monte Carlo error)', () => {
    // 600 one-second log returns with sigma = 0.3/yr: rv^2 = sum r^2 has mean sigma^2 T and sd sigma^2 T sqrt(2/600).
    const rng = seeded(5);
    const sigma = 0.3;
    const dt = 1 / TRADING_SECONDS_PER_YEAR;
    const buckets = 400;
    let sum = 0;
    for (let b = 0; b < buckets; b++) {
      const wap = new Float64Array(601);
      let l = 0;
      for (let i = 0; i <= 600; i++) {
        wap[i] = Math.exp(l);
        l += sigma * Math.sqrt(dt) * rng.normal() - 0.5 * sigma * sigma * dt;
      }
      sum += annualiseRv(realisedVol(wap), 600) ** 2;
    }
    const meanVar = sum / buckets;
    const se = sigma * sigma * Math.sqrt(2 / 600) / Math.sqrt(buckets);
    expect(Math.abs(meanVar - sigma * sigma)).toBeLessThan(4 * se);
  });
});

describe('statistics of per-bucket values', () => {
  it('type-7 quantiles of a sorted sample', () => {
    const s = [1, 2, 3, 4, 5];
    expect(quantileOfSorted(s, 0.5)).toBe(3);
    expect(quantileOfSorted(s, 0.25)).toBe(2);
    expect(quantileOfSorted(s, 0.1)).toBeCloseTo(1.4, 14);
    expect(quantileOfSorted([], 0.5)).toBeNaN();
  });

  it('ignores non-finite values and is all null when none is left', () => {
    const st = rvStats([0.2, NaN, 0.4, Infinity, 0.3]);
    expect(st).toMatchObject({ count: 3, min: 0.2, max: 0.4, median: 0.3 });
    expect(st.mean).toBeCloseTo(0.3, 14);
    expect(rvStats([NaN])).toEqual({ count: 0, mean: null, median: null, p05: null, p95: null, min: null, max: null });
  });
});
