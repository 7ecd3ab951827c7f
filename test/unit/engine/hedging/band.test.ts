import { describe, expect, it } from 'vitest';
import {
  STATE_IN,
  STATE_LOW,
  STATE_MID,
  STATE_UP,
  bandBackward,
  bandPositions,
  clampToBand,
  linearBackward,
  linearPositions,
  pathPnl,
  smoothedPnl,
} from '../../../../src-main/engine/hedging/band';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

describe('no-transaction band (spec "Hedgers": clamp(delta_{i-1}, [b - lrelu(w_l), b + lrelu(w_u)]))', () => {
  it('keeps a position inside the band, moves it to the nearer bound outside, and takes the midpoint when the bounds cross', () => {
    expect(clampToBand(0.5, 0.4, 0.7)).toBe(0.5);
    expect(clampToBand(0.1, 0.4, 0.7)).toBe(0.4);
    expect(clampToBand(0.9, 0.4, 0.7)).toBe(0.7);
    expect(clampToBand(0.9, 0.7, 0.4)).toBeCloseTo(0.55, 15);
    expect(clampToBand(0.0, 0.7, 0.4)).toBeCloseTo(0.55, 15);
  });

  it('hedges a 3-step path as worked by hand, with PnL and cost from the shared accounting', () => {
    // P = 1, 1.02, 0.99, 1.01; anchors b = 0.5, 0.6, 0.45; widths (f1, f2) = (0.1, 0.2), (-1, 0.05), (0.3, -2)
    // step 0: band [0.5 - 0.1, 0.5 + 0.2] = [0.4, 0.7], delta_{-1} = 0 below -> 0.4 (LOW)
    // step 1: lrelu(-1) = -0.01 -> band [0.61, 0.65], 0.4 below -> 0.61 (LOW)
    // step 2: lrelu(-2) = -0.02 -> band [0.15, 0.43], 0.61 above -> 0.43 (UP)
    // European K = 1: Z = 0.01; c = 0.01
    // gains  = 0.4*0.02 + 0.61*(-0.03) + 0.43*0.02 = 0.008 - 0.0183 + 0.0086 = -0.0017
    // traded = 0.4*1 + 0.21*1.02 + 0.18*0.99 = 0.4 + 0.2142 + 0.1782 = 0.7924 -> cost 0.007924
    // PnL = -0.01 - 0.0017 - 0.007924 = -0.019624
    const prices = Float64Array.from([1, 1.02, 0.99, 1.01]);
    const anchor = Float64Array.from([0.5, 0.6, 0.45]);
    const f = Float32Array.from([0.1, 0.2, -1, 0.05, 0.3, -2]);
    const band = { positions: new Float64Array(3), states: new Uint8Array(3) };
    bandPositions(f, anchor, 1, 3, band);
    // float32 widths: compare to 1e-7
    expect(Array.from(band.positions)).toEqual([expect.closeTo(0.4, 7), expect.closeTo(0.61, 7), expect.closeTo(0.43, 7)]);
    expect(Array.from(band.states)).toEqual([STATE_LOW, STATE_LOW, STATE_UP]);
    const pnl = new Float64Array(1);
    const cost = new Float64Array(1);
    pathPnl(prices, band.positions, Float64Array.from([0.01]), 1, 3, 0.01, pnl, cost);
    expect(cost[0]).toBeCloseTo(0.007924, 7);
    expect(pnl[0]).toBeCloseTo(-0.019624, 7);
  });

  it('carries the position over inside the band and uses the midpoint of crossed bounds', () => {
    // step 0: band [0.3, 0.6] from b = 0.5, f = (0.2, 0.1) -> 0.3 (LOW); step 1: b = 0.4, f = (0.2, 0.2)
    // -> [0.2, 0.6] contains 0.3 -> IN; step 2: b = 0.5, f = (-3, -4) -> [0.53, 0.46] crossed -> 0.495 (MID)
    const anchor = Float64Array.from([0.5, 0.4, 0.5]);
    const f = Float32Array.from([0.2, 0.1, 0.2, 0.2, -3, -4]);
    const band = { positions: new Float64Array(3), states: new Uint8Array(3) };
    bandPositions(f, anchor, 1, 3, band);
    expect(band.positions[0]).toBeCloseTo(0.3, 7);
    expect(band.positions[1]).toBeCloseTo(0.3, 7);
    expect(band.positions[2]).toBeCloseTo(0.495, 7);
    expect(Array.from(band.states)).toEqual([STATE_LOW, STATE_IN, STATE_MID]);
  });

  it('reads time-major widths for several paths', () => {
    // two paths, two steps: rows r = i * 2 + k
    const anchor = Float64Array.from([0.5, 0.5, 0.2, 0.2]); // path-major
    const f = Float32Array.from([0.1, 0.1, /* i0 k1 */ 0.05, 0.05, /* i1 k0 */ 0.5, 0.5, /* i1 k1 */ 0.01, 0.01]);
    const band = { positions: new Float64Array(4), states: new Uint8Array(4) };
    bandPositions(f, anchor, 2, 2, band);
    expect(band.positions[0]).toBeCloseTo(0.4, 7); // k0 i0
    expect(band.positions[1]).toBeCloseTo(0.4, 7); // k0 i1: [0, 1] contains 0.4
    expect(band.positions[2]).toBeCloseTo(0.15, 7); // k1 i0: band [0.15, 0.25], from 0 -> 0.15
    expect(band.positions[3]).toBeCloseTo(0.19, 7); // k1 i1: band [0.19, 0.21] -> 0.19
  });
});

/** A random band problem: paths x steps, prices near 1, anchors in (0, 1), widths around 0. */
function problem(paths: number, steps: number, seed: number) {
  const rng = seeded(seed);
  const prices = new Float64Array(paths * (steps + 1));
  for (let k = 0; k < paths; k++) {
    let p = 1;
    prices[k * (steps + 1)] = 1;
    for (let i = 1; i <= steps; i++) prices[k * (steps + 1) + i] = p *= Math.exp(0.02 * rng.normal());
  }
  const anchor = new Float64Array(paths * steps).map(() => 0.2 + 0.6 * rng.uniform());
  const f = new Float32Array(paths * steps * 2).map(() => 0.15 * rng.normal());
  const payoff = new Float64Array(paths).map((_, k) => Math.max(prices[k * (steps + 1) + steps] - 1, 0));
  return { prices, anchor, f, payoff };
}

describe('band adjoints', () => {
  const paths = 40;
  const steps = 6;
  const c = 0.004;

  it('bandBackward is the derivative of sum_k u_k V_k in the widths (central differences)', () => {
    const { prices, anchor, f, payoff } = problem(paths, steps, 5);
    const u = new Float64Array(paths).map((_, k) => Math.sin(k + 1));
    const lossAt = (ff: Float32Array): number => {
      const band = { positions: new Float64Array(paths * steps), states: new Uint8Array(paths * steps) };
      bandPositions(ff, anchor, paths, steps, band);
      const pnl = new Float64Array(paths);
      pathPnl(prices, band.positions, payoff, paths, steps, c, pnl);
      return pnl.reduce((s, v, k) => s + u[k] * v, 0);
    };
    const band = { positions: new Float64Array(paths * steps), states: new Uint8Array(paths * steps) };
    bandPositions(f, anchor, paths, steps, band);
    const g = new Float32Array(f.length);
    bandBackward(f, prices, band, u, paths, steps, c, g);
    let checked = 0;
    for (let r = 0; r < f.length; r += 7) {
      const h = 1e-3;
      const fp = Float32Array.from(f);
      const fm = Float32Array.from(f);
      fp[r] += h;
      fm[r] -= h;
      const fd = (lossAt(fp) - lossAt(fm)) / (fp[r] - fm[r]);
      // the loss is piecewise linear in f: differences that straddle a kink are skipped
      const fp2 = Float32Array.from(f);
      fp2[r] += h / 2;
      const fd2 = (lossAt(fp2) - lossAt(f)) / (fp2[r] - f[r]);
      if (Math.abs(fd - fd2) > 1e-6 * (1 + Math.abs(fd))) continue;
      expect(g[r]).toBeCloseTo(fd, 5);
      checked++;
    }
    expect(checked).toBeGreaterThan(f.length / 7 / 2);
  });

  it('the frozen linearisation reproduces the band positions at w^r', () => {
    const { anchor, f } = problem(paths, steps, 6);
    const band = { positions: new Float64Array(paths * steps), states: new Uint8Array(paths * steps) };
    bandPositions(f, anchor, paths, steps, band);
    const lin = new Float64Array(paths * steps);
    linearPositions(f, null, anchor, band.states, paths, steps, lin);
    for (let j = 0; j < lin.length; j++) expect(lin[j]).toBeCloseTo(band.positions[j], 12);
    const zero = new Float32Array(f.length);
    linearPositions(f, zero, anchor, band.states, paths, steps, lin);
    for (let j = 0; j < lin.length; j++) expect(lin[j]).toBeCloseTo(band.positions[j], 12);
  });

  it('linearBackward is the exact gradient of the smoothed linearised objective (it is quadratic in fhat)', () => {
    const { prices, anchor, f, payoff } = problem(paths, steps, 7);
    const band = { positions: new Float64Array(paths * steps), states: new Uint8Array(paths * steps) };
    bandPositions(f, anchor, paths, steps, band);
    const u = new Float64Array(paths).map((_, k) => -1 / paths - 0.001 * Math.cos(k));
    const rng = seeded(8);
    const df = new Float32Array(f.length).map(() => 0.05 * rng.normal());
    const objective = (d: Float32Array): number => {
      const pos = new Float64Array(paths * steps);
      linearPositions(f, d, anchor, band.states, paths, steps, pos);
      const v = new Float64Array(paths);
      smoothedPnl(prices, pos, payoff, paths, steps, c, v);
      return v.reduce((s, x, k) => s + u[k] * x, 0);
    };
    const pos = new Float64Array(paths * steps);
    linearPositions(f, df, anchor, band.states, paths, steps, pos);
    const g = new Float32Array(f.length);
    linearBackward(f, prices, pos, band.states, u, paths, steps, c, g);
    for (let r = 0; r < f.length; r += 5) {
      const h = 0.01;
      const dp = Float32Array.from(df);
      const dm = Float32Array.from(df);
      dp[r] += h;
      dm[r] -= h;
      // a quadratic: the central difference is exact up to rounding
      expect(g[r]).toBeCloseTo((objective(dp) - objective(dm)) / (dp[r] - dm[r]), 6);
    }
  });

});
