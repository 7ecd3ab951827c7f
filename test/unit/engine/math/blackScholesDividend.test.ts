import { describe, expect, it } from 'vitest';
import { bsCallPrice } from '../../../../src-main/engine/math/blackScholes';
import { bsDivDelta, bsDivGamma, bsDivPrice } from '../../../../src-main/engine/math/blackScholesDividend';

const cases = [
  { spot: 100, strike: 100, vol: 0.25, tau: 1, rate: 0, div: 0.02 },
  { spot: 90, strike: 110, vol: 0.4, tau: 0.5, rate: 0.04, div: 0 },
  { spot: 120, strike: 100, vol: 0.1, tau: 2, rate: 0.03, div: 0.05 },
];

describe('Black-Scholes with a dividend yield', () => {
  it('reduces to the no-dividend formula at q = 0 and satisfies put-call parity C - P = S e^{-q tau} - K e^{-r tau}', () => {
    const a = { ...cases[1], div: 0 };
    expect(bsDivPrice('call', a)).toBeCloseTo(bsCallPrice(a), 12);
    for (const c of cases) {
      const lhs = bsDivPrice('call', c) - bsDivPrice('put', c);
      const rhs = c.spot * Math.exp(-c.div * c.tau) - c.strike * Math.exp(-c.rate * c.tau);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-11);
    }
  });

  it('Delta and Gamma are the first and second spot derivatives (central differences)', () => {
    for (const c of cases) {
      for (const side of ['call', 'put'] as const) {
        const h = 1e-3 * c.spot;
        const up = bsDivPrice(side, { ...c, spot: c.spot + h });
        const dn = bsDivPrice(side, { ...c, spot: c.spot - h });
        expect(bsDivDelta(side, c)).toBeCloseTo((up - dn) / (2 * h), 5);
        const dUp = bsDivDelta(side, { ...c, spot: c.spot + h });
        const dDn = bsDivDelta(side, { ...c, spot: c.spot - h });
        expect(bsDivGamma(c)).toBeCloseTo((dUp - dDn) / (2 * h), 6);
      }
    }
  });
});
