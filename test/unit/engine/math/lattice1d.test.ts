import { describe, expect, it } from 'vitest';
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
