import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bsDivDelta, bsDivGamma, bsDivPrice } from '../../../../src-main/engine/math/blackScholesDividend';
import { latticeBermudan } from '../../../../src-main/engine/math/lattice1d';

const put = { side: 'put' as const, spot: 100, strike: 110, vol: 0.25, rate: 0.04, div: 0, tau: 1 };

describe('1-D lattice for Bermudan options', () => {
  it('with one exercise date (European) matches the closed form: price and Delta to 1e-3, Gamma to 1%', () => {
    for (const a of [put, { ...put, side: 'call' as const, strike: 95, div: 0.02, rate: 0 }, { ...put, spot: 100, strike: 100, vol: 0.2236, div: 0.02625, rate: 0 }]) {
      const lat = latticeBermudan({ ...a, exerciseDates: 1 });
      const cf = { spot: a.spot, strike: a.strike, vol: a.vol, tau: a.tau, rate: a.rate, div: a.div };
      expect(Math.abs(lat.price - bsDivPrice(a.side, cf)) / bsDivPrice(a.side, cf)).toBeLessThan(1e-3);
      expect(Math.abs(lat.delta - bsDivDelta(a.side, cf))).toBeLessThan(1e-3);
      expect(Math.abs(lat.gamma - bsDivGamma(cf)) / bsDivGamma(cf)).toBeLessThan(1e-2);
    }
  });

  it('a Bermudan put is worth more than the European one and its value grows with the number of exercise dates', () => {
    const values = [1, 2, 4, 12, 52].map((E) => latticeBermudan({ ...put, exerciseDates: E }).price);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
    expect(values[4] - values[0]).toBeGreaterThan(0.3);
  });

  it('a Bermudan call on a non-dividend asset with r >= 0 is never exercised early (equals the European)', () => {
    const call = { ...put, side: 'call' as const, strike: 100 };
    const e = latticeBermudan({ ...call, exerciseDates: 1 }).price;
    const b = latticeBermudan({ ...call, exerciseDates: 12 }).price;
    // Equal up to the lattice's own discretisation (the two runs use 2400/2401 and 2400/2412 steps).
    expect(Math.abs(b - e) / e).toBeLessThan(2e-4);
  });

  it('Bermudan Delta and Gamma agree with finite differences of the lattice price in the spot', () => {
    const a = { ...put, exerciseDates: 12, steps: 4800 };
    const r = latticeBermudan(a);
    const h = 1;
    const up = latticeBermudan({ ...a, spot: a.spot + h }).price;
    const dn = latticeBermudan({ ...a, spot: a.spot - h }).price;
    expect(Math.abs(r.delta - (up - dn) / (2 * h))).toBeLessThan(5e-3);
    expect(Math.abs(r.gamma - (up - 2 * r.price + dn) / (h * h)) / r.gamma).toBeLessThan(0.05);
  });
});

/**
 * Converged references: QuantLib 1.29 FdBlackScholesVanillaEngine (Crank–Nicolson, 4000 x 4000 grid, Bermudan
 * dates k T/E, k = 0..E) from test/reference/lattice_quantlib.py; each line carries the change from the
 * 2000 x 2000 grid as the reference's own error.
 */
interface QlRef {
  side: 'put' | 'call';
  spot: number;
  strike: number;
  vol: number;
  rate: number;
  div: number;
  tau: number;
  E: number;
  price: number;
  delta: number;
  gamma: number;
  gammaErr: number;
}
const qlRefs: QlRef[] = readFileSync(join(__dirname, '../../../reference/lattice_quantlib.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as QlRef);
const latOf = (g: QlRef, steps = 2400) =>
  latticeBermudan({ side: g.side, spot: g.spot, strike: g.strike, vol: g.vol, rate: g.rate, div: g.div, tau: g.tau, exerciseDates: g.E, steps });

describe('lattice against a converged finite-difference reference (QuantLib)', () => {
  it('exercises at t = 0: the deep in-the-money put (S=20, K=100, sigma 1) is worth its intrinsic 80, Delta -1, Gamma 0', () => {
    const g = qlRefs.find((r) => r.spot === 20)!;
    const lat = latOf(g);
    expect(lat.price).toBeGreaterThanOrEqual(80);
    expect(Math.abs(lat.price - g.price)).toBeLessThan(1e-6);
    expect(lat.delta).toBe(-1);
    expect(lat.gamma).toBe(0);
    const call = latOf(qlRefs.find((r) => r.side === 'call' && r.spot === 125)!);
    expect(call.price).toBe(25);
  });

  it('in the continuation region price, Delta and Gamma match QuantLib at 2,400 steps, also just above the exercise boundary', () => {
    // the points whose reference Gamma is itself converged (grid change < 0.3%): 74.7, 75, 76, 80, 85, 100, call 115
    const near = qlRefs.filter((r) => r.gammaErr < 3e-3 * r.gamma && r.gamma > 1e-3);
    expect(near.length).toBe(7);
    for (const g of near) {
      const lat = latOf(g);
      expect(Math.abs(lat.price - g.price)).toBeLessThan(1e-3);
      expect(Math.abs(lat.delta - g.delta)).toBeLessThan(1e-3);
      // within ~3 money of the boundary (~74.1), where C'' varies on the scale of one exercise interval: 1.5%; 0.1% elsewhere
      const tol = g.spot < 77 ? 0.015 : 1e-3;
      expect(Math.abs(lat.gamma / g.gamma - 1)).toBeLessThan(tol);
    }
  });

  it('Gamma converges to the reference with the number of steps (no O(h) time shift from reading it at t = 2h)', () => {
    for (const g of qlRefs.filter((r) => r.spot === 75 || r.spot === 76)) {
      const e1 = Math.abs(latOf(g, 2400).gamma / g.gamma - 1);
      const e4 = Math.abs(latOf(g, 9600).gamma / g.gamma - 1);
      expect(e4).toBeLessThan(0.5 * e1);
    }
  });
});
