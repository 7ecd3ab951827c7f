import { describe, expect, it } from 'vitest';
import { bsDivDelta, bsDivPrice } from '../../../../src-main/engine/math/blackScholesDividend';
import { type MargrabeArgs, margrabe } from '../../../../src-main/engine/math/margrabe';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

/** |got - want| <= rel * max(|want|, 1e-3): central differences carry O(h^2) error. */
const near = (got: number, want: number, rel = 1e-4): void => expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.max(Math.abs(want), 1e-3));

const base: MargrabeArgs = { spotA: 100, spotB: 95, ratio: 1.1, volA: 0.3, volB: 0.2, rho: 0.4, divA: 0.02, divB: 0.05, tau: 1.5 };

describe('Margrabe exchange option with dividends', () => {
  it('with a riskless asset b (sigma_b = 0, q_b = r) is a Black-Scholes call on a with strike k S_b', () => {
    const r = 0.03;
    const a = { ...base, volB: 0, divB: r, rho: 0 };
    // S_b(T) = S_b e^{(r - q_b) T} = S_b, so the payoff is a call on a with strike K = k S_b discounted at r.
    const bsR = { spot: a.spotA, strike: a.ratio * a.spotB, vol: a.volA, tau: a.tau, rate: r, div: a.divA };
    expect(margrabe(a).price).toBeCloseTo(bsDivPrice('call', bsR), 10);
    expect(margrabe(a).delta[0]).toBeCloseTo(bsDivDelta('call', bsR), 10);
  });

  it('Deltas and Gammas match central finite differences, Gamma is symmetric, and V = S_a V_a + S_b V_b', () => {
    for (const c of [base, { ...base, rho: -0.5, ratio: 0.8 }, { ...base, tau: 0.1, spotB: 100 }]) {
      const r = margrabe(c);
      const h = 1e-3;
      const dA = (margrabe({ ...c, spotA: c.spotA * (1 + h) }).price - margrabe({ ...c, spotA: c.spotA * (1 - h) }).price) / (2 * h * c.spotA);
      const dB = (margrabe({ ...c, spotB: c.spotB * (1 + h) }).price - margrabe({ ...c, spotB: c.spotB * (1 - h) }).price) / (2 * h * c.spotB);
      near(r.delta[0], dA);
      near(r.delta[1], dB);
      const gAA = (margrabe({ ...c, spotA: c.spotA * (1 + h) }).delta[0] - margrabe({ ...c, spotA: c.spotA * (1 - h) }).delta[0]) / (2 * h * c.spotA);
      const gAB = (margrabe({ ...c, spotB: c.spotB * (1 + h) }).delta[0] - margrabe({ ...c, spotB: c.spotB * (1 - h) }).delta[0]) / (2 * h * c.spotB);
      const gBA = (margrabe({ ...c, spotA: c.spotA * (1 + h) }).delta[1] - margrabe({ ...c, spotA: c.spotA * (1 - h) }).delta[1]) / (2 * h * c.spotA);
      const gBB = (margrabe({ ...c, spotB: c.spotB * (1 + h) }).delta[1] - margrabe({ ...c, spotB: c.spotB * (1 - h) }).delta[1]) / (2 * h * c.spotB);
      near(r.gamma[0][0], gAA);
      near(r.gamma[0][1], gAB);
      near(r.gamma[1][0], gBA);
      near(r.gamma[1][1], gBB);
      expect(r.price).toBeCloseTo(c.spotA * r.delta[0] + c.spotB * r.delta[1], 10);
    }
  });

  it('agrees with a Monte Carlo price within 4 standard errors', () => {
    const rng = seeded(11);
    const n = 200_000;
    const r = 0.02;
    let sum = 0;
    let sum2 = 0;
    const c = base;
    for (let i = 0; i < n; i++) {
      const z1 = rng.normal();
      const z2 = c.rho * z1 + Math.sqrt(1 - c.rho * c.rho) * rng.normal();
      const sa = c.spotA * Math.exp((r - c.divA - 0.5 * c.volA ** 2) * c.tau + c.volA * Math.sqrt(c.tau) * z1);
      const sb = c.spotB * Math.exp((r - c.divB - 0.5 * c.volB ** 2) * c.tau + c.volB * Math.sqrt(c.tau) * z2);
      const pay = Math.exp(-r * c.tau) * Math.max(sa - c.ratio * sb, 0);
      sum += pay;
      sum2 += pay * pay;
    }
    const mean = sum / n;
    const se = Math.sqrt((sum2 / n - mean * mean) / n);
    expect(Math.abs(mean - margrabe(c).price)).toBeLessThan(4 * se);
  });
});
