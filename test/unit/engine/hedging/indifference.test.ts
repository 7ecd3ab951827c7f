import { describe, expect, it } from 'vitest';
import { STATIC_HOLDING_BOUND, staticNoLiabilityRisk } from '../../../../src-main/engine/hedging/indifference';
import { entropicRisk } from '../../../../src-main/engine/risk/measures';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

function terminalPrices(n: number, seed: number, mean: number, sd: number): Float64Array {
  const z = new Float64Array(n);
  seeded(seed).fillNormal(z);
  return z.map((x) => 1 + mean + sd * x);
}

/** f(h) = rho(h (P_n - 1) - c |h|) evaluated directly. */
const f = (pn: Float64Array, c: number, h: number): number => entropicRisk(pn.map((p) => h * (p - 1) - c * Math.abs(h)));

describe('staticNoLiabilityRisk', () => {
  it('is exactly 0 at h = 0 when the sample mean return is within the cost', () => {
    const pn = terminalPrices(10_000, 1, 0, 0.03);
    expect(staticNoLiabilityRisk(pn, 1, 0.002)).toEqual({ risk: 0, holding: 0, atBound: false });
  });

  it('without cost finds the minimum of a convex f (checked against a grid search), slightly negative', () => {
    const pn = terminalPrices(20_000, 2, 0.0005, 0.03);
    const { risk, holding } = staticNoLiabilityRisk(pn, 1, 0);
    expect(risk).toBeLessThan(0);
    expect(risk).toBeCloseTo(f(pn, 0, holding), 15);
    let gridMin = 0;
    for (let h = -5; h <= 5; h += 0.01) gridMin = Math.min(gridMin, f(pn, 0, h));
    expect(risk).toBeLessThanOrEqual(gridMin + 1e-15);
    expect(risk).toBeGreaterThan(gridMin - 1e-6);
    // for normal returns h* ~ mean / (a var) and rho* ~ -mean^2 / (2 a var) (sample mean and var)
    let m = 0;
    for (const p of pn) m += p - 1;
    m /= pn.length;
    let v = 0;
    for (const p of pn) v += (p - 1 - m) ** 2;
    v /= pn.length;
    expect(holding).toBeCloseTo(m / v, 1);
    expect(risk).toBeCloseTo(-(m * m) / (2 * v), 6);
  });

  it('goes long for an upward drift beyond the cost and short for a downward one', () => {
    const up = terminalPrices(20_000, 3, 0.01, 0.03);
    const rUp = staticNoLiabilityRisk(up, 1, 0.002);
    expect(rUp.holding).toBeGreaterThan(0);
    expect(rUp.risk).toBeLessThan(0);
    expect(rUp.risk).toBeCloseTo(f(up, 0.002, rUp.holding), 14);
    // the slope at the optimum is ~0: nearby holdings are not better
    expect(f(up, 0.002, rUp.holding * 1.01)).toBeGreaterThanOrEqual(rUp.risk - 1e-15);
    expect(f(up, 0.002, rUp.holding * 0.99)).toBeGreaterThanOrEqual(rUp.risk - 1e-15);
    const down = terminalPrices(20_000, 4, -0.01, 0.03);
    const rDown = staticNoLiabilityRisk(down, 1, 0.002);
    expect(rDown.holding).toBeLessThan(0);
    expect(rDown.risk).toBeCloseTo(f(down, 0.002, rDown.holding), 14);
  });

  it('stops at the holding bound when no path of the sample loses on the profitable side', () => {
    // drift 2/yr over 30 days at sigma 0.1: mean return 0.16, sd 0.029 -> every path gains
    const pn = terminalPrices(5000, 5, 0.164, 0.029);
    expect(Math.min(...pn)).toBeGreaterThan(1);
    const r = staticNoLiabilityRisk(pn, 1, 0);
    expect(r.atBound).toBe(true);
    expect(r.holding).toBe(STATIC_HOLDING_BOUND);
    expect(r.risk).toBeCloseTo(f(pn, 0, STATIC_HOLDING_BOUND), 12);
    expect(Number.isFinite(r.risk)).toBe(true);
  });
});
