import { describe, expect, it } from 'vitest';
import { bsCallPrice } from '../../../../src-main/engine/math/blackScholes';
import { lookbackCallPrice } from '../../../../src-main/engine/math/lookback';
import { lookbackCallPriceDiscrete } from '../../../../src-main/engine/math/lookbackDiscrete';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

/** Daily Monte Carlo of max(max_{0..n} P_k - K, 0), P_0 = 1, GBM with r = 0: mean and standard error. */
function discreteMc(strike: number, vol: number, tau: number, steps: number, paths: number, seed: number) {
  const dt = tau / steps;
  const a = vol * Math.sqrt(dt);
  const b = -0.5 * vol * vol * dt;
  const rng = seeded(seed);
  const z = new Float64Array(steps);
  let sum = 0;
  let sumSq = 0;
  for (let k = 0; k < paths; k++) {
    rng.fillNormal(z);
    let x = 0;
    let top = 0;
    for (let i = 0; i < steps; i++) {
      x += a * z[i] + b;
      if (x > top) top = x;
    }
    const v = Math.max(Math.exp(top) - strike, 0);
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / paths;
  return { mean, se: Math.sqrt((sumSq / paths - mean * mean) / (paths - 1)) };
}

const tau30 = 30 / 365;

describe('lookbackCallPriceDiscrete', () => {
  it('K <= S: Spitzer-exact values match mpmath (test/reference/lookback_discrete_spitzer.py)', () => {
    const a = lookbackCallPriceDiscrete({ spot: 1, runningMax: 1, strike: 1, vol: 0.1, tau: tau30, steps: 30 });
    expect(a.method).toBe('spitzer-exact');
    expect(Math.abs(a.price / 0.02015893209374049865 - 1)).toBeLessThan(1e-13);
    const b = lookbackCallPriceDiscrete({ spot: 1, runningMax: 1, strike: 1, vol: 0.3, tau: 91.25 / 365, steps: 60 });
    expect(Math.abs(b.price / 0.11333617918238072085 - 1)).toBeLessThan(1e-13);
    // one date: max(P_0, P_1) - 1 = (P_1 - 1)^+, the at-the-money call
    const one = lookbackCallPriceDiscrete({ spot: 1, runningMax: 1, strike: 1, vol: 0.1, tau: tau30, steps: 1 });
    expect(Math.abs(one.price - bsCallPrice({ spot: 1, strike: 1, vol: 0.1, tau: tau30 }))).toBeLessThan(1e-15);
    // K < S: E[max] - K, the same b_n
    const low = lookbackCallPriceDiscrete({ spot: 1, runningMax: 1, strike: 0.9, vol: 0.1, tau: tau30, steps: 30 });
    expect(Math.abs(low.price - (a.price + 0.1))).toBeLessThan(1e-15);
  });

  it('the issue point (K = 1, sigma 0.1, 30 daily dates): a daily Monte Carlo agrees with the premium, not with the continuous 0.023081', () => {
    const mc = discreteMc(1, 0.1, tau30, 30, 400_000, 11);
    const p = lookbackCallPriceDiscrete({ spot: 1, runningMax: 1, strike: 1, vol: 0.1, tau: tau30, steps: 30 }).price;
    expect(Math.abs(mc.mean - p)).toBeLessThan(4 * mc.se);
    const continuous = lookbackCallPrice({ spot: 1, runningMax: 1, strike: 1, vol: 0.1, tau: tau30 });
    expect((continuous - mc.mean) / mc.se).toBeGreaterThan(50);
  });

  it('K > S: the BGK-corrected price is within its measured error (<= 3% low at K = 1.05) of a daily Monte Carlo', () => {
    const args = { spot: 1, runningMax: 1, strike: 1.05, vol: 0.1, tau: tau30, steps: 30 };
    const bgk = lookbackCallPriceDiscrete(args);
    expect(bgk.method).toBe('bgk');
    const mc = discreteMc(1.05, 0.1, tau30, 30, 400_000, 12);
    const rel = (bgk.price - mc.mean) / mc.mean;
    expect(rel).toBeLessThan(0);
    expect(rel).toBeGreaterThan(-0.03 - (4 * mc.se) / mc.mean);
    // the uncorrected continuous value is ~20% high there
    expect(lookbackCallPrice(args) / mc.mean - 1).toBeGreaterThan(0.15);
  });

  it('BGK with a running maximum above spot reduces to (M - K) + shifted value and stays below the continuous price', () => {
    const args = { spot: 0.98, runningMax: 1.03, strike: 1, vol: 0.2, tau: 0.25, steps: 63 };
    const d = lookbackCallPriceDiscrete(args);
    expect(d.method).toBe('bgk');
    expect(d.price).toBeLessThan(lookbackCallPrice(args));
    expect(d.price).toBeGreaterThan(0.03);
  });
});
