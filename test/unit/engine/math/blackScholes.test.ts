import { describe, expect, it } from 'vitest';
import {
  bsCallDelta,
  bsCallDeltaZeroRate,
  bsCallPrice,
  bsGamma,
  bsPutPrice,
} from '../../../../src-main/engine/math/blackScholes';

const base = { spot: 1, strike: 1, vol: 0.1, tau: 30 / 365, rate: 0 };
const grid = [
  { spot: 1, strike: 1, vol: 0.1, tau: 30 / 365, rate: 0 },
  { spot: 1, strike: 1.2, vol: 0.1, tau: 30 / 365, rate: 0 },
  { spot: 0.9, strike: 1, vol: 0.3, tau: 0.5, rate: 0.03 },
  { spot: 120, strike: 100, vol: 0.25, tau: 2, rate: 0.05 },
  { spot: 50, strike: 80, vol: 0.6, tau: 0.1, rate: -0.01 },
];

describe('Black–Scholes prices', () => {
  it('matches a textbook value (Hull: S=42, K=40, r=10%, sigma=20%, T=0.5 -> C=4.76, P=0.81)', () => {
    const a = { spot: 42, strike: 40, vol: 0.2, tau: 0.5, rate: 0.1 };
    expect(bsCallPrice(a)).toBeCloseTo(4.759422392871533, 12);
    expect(bsPutPrice(a)).toBeCloseTo(0.8085993729000937, 12);
  });

  it('at the money with r = 0 equals S (2 N(s/2) - 1)', () => {
    const s = base.vol * Math.sqrt(base.tau);
    // 2N(s/2)-1 = erf(s/(2 sqrt 2)); series erf(x) = 2/sqrt(pi) (x - x^3/3 + x^5/10 - x^7/42)
    const x = s / (2 * Math.SQRT2);
    const erf = (2 / Math.sqrt(Math.PI)) * (x - x ** 3 / 3 + x ** 5 / 10 - x ** 7 / 42 + x ** 9 / 216);
    expect(bsCallPrice(base)).toBeCloseTo(erf, 14);
  });

  it('satisfies put-call parity C - P = S - K e^{-r tau}', () => {
    for (const a of grid) {
      const lhs = bsCallPrice(a) - bsPutPrice(a);
      const rhs = a.spot - a.strike * Math.exp(-a.rate * a.tau);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-13 * Math.max(1, a.spot));
    }
  });

  it('is monotone decreasing and convex in the strike', () => {
    for (const a of grid) {
      const ks = Array.from({ length: 81 }, (_, j) => a.spot * (0.6 + 0.01 * j));
      const c = ks.map((strike) => bsCallPrice({ ...a, strike }));
      for (let j = 1; j < c.length; j++) expect(c[j]).toBeLessThanOrEqual(c[j - 1]);
      for (let j = 1; j < c.length - 1; j++) expect(c[j - 1] - 2 * c[j] + c[j + 1]).toBeGreaterThanOrEqual(-1e-15 * a.spot);
    }
  });

  it('respects no-arbitrage bounds max(S - K e^{-r tau}, 0) <= C <= S', () => {
    for (const a of grid) {
      const c = bsCallPrice(a);
      expect(c).toBeGreaterThanOrEqual(Math.max(a.spot - a.strike * Math.exp(-a.rate * a.tau), 0) - 1e-15);
      expect(c).toBeLessThanOrEqual(a.spot);
    }
  });

  it('has the right limits: tau -> 0 intrinsic, vol -> 0 discounted intrinsic, tau <= 0 intrinsic', () => {
    expect(bsCallPrice({ ...base, spot: 1.1, tau: 1e-12 })).toBeCloseTo(0.1, 12);
    expect(bsCallPrice({ ...base, spot: 0.9, tau: 1e-12 })).toBe(0);
    expect(bsCallPrice({ ...base, spot: 1.1, tau: 0 })).toBeCloseTo(0.1, 15);
    expect(bsCallPrice({ ...base, spot: 1.1, tau: -1 })).toBeCloseTo(0.1, 15);
    expect(bsPutPrice({ ...base, spot: 0.9, tau: 0 })).toBeCloseTo(0.1, 15);
    expect(bsCallPrice({ spot: 1, strike: 1, vol: 0, tau: 1, rate: 0.05 })).toBeCloseTo(1 - Math.exp(-0.05), 15);
    expect(bsCallPrice({ spot: 1, strike: 1, vol: 1e-9, tau: 1, rate: 0.05 })).toBeCloseTo(1 - Math.exp(-0.05), 12);
    // vol -> infinity: the call is worth the spot
    expect(bsCallPrice({ spot: 1, strike: 1, vol: 50, tau: 1 })).toBeCloseTo(1, 12);
  });
});

describe('Black–Scholes Greeks', () => {
  it('delta and gamma equal central finite differences of the price', () => {
    for (const a of grid) {
      // delta: h = 1e-5 S (truncation h^2 C'''/6 ~ 1e-10 here, rounding ~1e-11)
      const hd = 1e-5 * a.spot;
      const fdDelta = (bsCallPrice({ ...a, spot: a.spot + hd }) - bsCallPrice({ ...a, spot: a.spot - hd })) / (2 * hd);
      expect(Math.abs(fdDelta - bsCallDelta(a))).toBeLessThan(1e-8);
      // gamma: h = 1e-4 S (rounding eps/h^2 ~ 1e-8)
      const h = 1e-4 * a.spot;
      const up = bsCallPrice({ ...a, spot: a.spot + h });
      const mid = bsCallPrice(a);
      const dn = bsCallPrice({ ...a, spot: a.spot - h });
      const g = bsGamma(a);
      expect(Math.abs((up - 2 * mid + dn) / (h * h) - g)).toBeLessThan(1e-5 * Math.max(1, g));
    }
  });

  it('put delta N(d1) - 1 is the derivative of the put price', () => {
    for (const a of grid) {
      const h = 1e-5 * a.spot;
      const fd = (bsPutPrice({ ...a, spot: a.spot + h }) - bsPutPrice({ ...a, spot: a.spot - h })) / (2 * h);
      expect(fd).toBeCloseTo(bsCallDelta(a) - 1, 8);
    }
  });

  it('delta is a step and gamma 0 at expiry', () => {
    expect(bsCallDelta({ ...base, spot: 1.01, tau: 0 })).toBe(1);
    expect(bsCallDelta({ ...base, spot: 0.99, tau: 0 })).toBe(0);
    expect(bsCallDelta({ ...base, spot: 1, tau: 0 })).toBe(0.5);
    expect(bsCallDelta({ ...base, spot: 1.01, tau: 1e-14 })).toBeCloseTo(1, 12);
    expect(bsGamma({ ...base, tau: 0 })).toBe(0);
  });

  it('the zero-rate hot-loop delta agrees with bsCallDelta', () => {
    for (const spot of [0.8, 0.95, 1, 1.03, 1.3]) {
      const a = { ...base, spot, strike: 1.02 };
      const s = a.vol * Math.sqrt(a.tau);
      expect(bsCallDeltaZeroRate(Math.log(spot / 1.02), s)).toBeCloseTo(bsCallDelta(a), 15);
    }
  });
});
