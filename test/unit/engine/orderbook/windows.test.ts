import { describe, expect, it } from 'vitest';
import { cutWindows, normalisedWindow, splitOf, timeCut, windowCount, windowsVolatility } from '../../../../src-main/engine/orderbook/windows';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

describe('windows of n + 1 points normalised to 1', () => {
  it('counts windows: floor((len - n - 1) / stride) + 1', () => {
    expect(windowCount(61, 30, 30)).toBe(2); // starts 0 and 30, the second ends at index 60
    expect(windowCount(60, 30, 30)).toBe(1);
    expect(windowCount(31, 30, 1)).toBe(1);
    expect(windowCount(30, 30, 1)).toBe(0);
    expect(windowCount(40, 30, 1)).toBe(10);
  });

  it('divides each window by its first point, keeping every ratio', () => {
    const series = [2, 4, 3, 6, 9, 12, 3];
    const { windows, starts, count } = cutWindows(series, 2, 2);
    expect(count).toBe(3);
    expect(Array.from(starts)).toEqual([0, 2, 4]);
    expect(Array.from(windows)).toEqual([1, 2, 1.5, 1, 2, 3, 1, 12 / 9, 3 / 9]);
    for (let w = 0; w < count; w++) {
      expect(windows[w * 3]).toBe(1);
      expect(windows[w * 3 + 2] / windows[w * 3 + 1]).toBeCloseTo(series[starts[w] + 2] / series[starts[w] + 1], 14);
    }
  });

  it('writes a window at an offset without touching the rest', () => {
    const out = new Float64Array(8).fill(-1);
    normalisedWindow([5, 10, 2.5], 0, 2, out, 3);
    expect(Array.from(out)).toEqual([-1, -1, -1, 1, 2, 0.5, -1, -1]);
  });
});

describe('the split by time', () => {
  it('puts the cut after round(f x m) of the distinct time_ids, at least one on each side', () => {
    const ids = [5, 11, 16, 31, 62, 72, 97, 103, 109, 120];
    expect(timeCut(ids, 0.8)).toBe(109); // 8 training time_ids: 5 .. 103
    expect(timeCut([...ids, ...ids].reverse(), 0.8)).toBe(109); // order and repeats do not matter
    expect(timeCut(ids, 0.01)).toBe(11); // at least one for training
    expect(timeCut(ids, 0.99)).toBe(120); // at least one for testing
    expect(timeCut([7], 0.5)).toBe(Infinity);
  });

  it('assigns a window by both ends and drops one that straddles the cut', () => {
    expect(splitOf(5, 16, 31)).toBe('train');
    expect(splitOf(31, 40, 31)).toBe('test');
    expect(splitOf(16, 31, 31)).toBeNull();
  });
});

describe('annualised volatility of windows', () => {
  it('is sqrt(mean squared log return / dt): exact for constant returns', () => {
    const r = 0.01;
    const w = [1, Math.exp(r), Math.exp(2 * r), 1, Math.exp(-r), Math.exp(-2 * r)];
    expect(windowsVolatility(w, 2, 0.25)).toBeCloseTo(r / Math.sqrt(0.25), 12);
    expect(windowsVolatility([], 2, 0.25)).toBeNaN();
  });

  it('recovers the sigma of GBM windows within Monte Carlo error', () => {
    const rng = seeded(3);
    const sigma = 0.25;
    const dt = 1 / 252;
    const n = 30;
    const W = 2000;
    const windows = new Float64Array(W * (n + 1));
    for (let w = 0; w < W; w++) {
      let p = 1;
      windows[w * (n + 1)] = 1;
      for (let i = 1; i <= n; i++) {
        p *= Math.exp(sigma * Math.sqrt(dt) * rng.normal() - 0.5 * sigma * sigma * dt);
        windows[w * (n + 1) + i] = p;
      }
    }
    const est = windowsVolatility(windows, n, dt);
    // sigma_hat^2 is a mean of W n squared normals (times sigma^2): relative sd sqrt(2 / (W n)); sigma's is half that.
    const relSe = Math.sqrt(2 / (W * n)) / 2;
    expect(Math.abs(est / sigma - 1)).toBeLessThan(4 * relSe + 1e-3);
  });
});
