import { describe, expect, it } from 'vitest';
import { hedgeAccountingInto, hedgePnl } from '../../../../src-main/engine/hedging/accounting';

describe('hedgePnl (spec: PNL = -Z + sum delta_i dP_i - c sum |delta_i - delta_{i-1}| P_i)', () => {
  it('matches a 3-step example worked by hand', () => {
    // P = 1, 1.02, 0.99, 1.01; delta = 0.5, 0.6, 0.4; European K = 1 -> Z = 0.01; c = 0.01
    // gains  = 0.5*0.02 + 0.6*(-0.03) + 0.4*0.02 = 0.010 - 0.018 + 0.008 = 0
    // traded = |0.5 - 0|*1 + |0.6 - 0.5|*1.02 + |0.4 - 0.6|*0.99 = 0.5 + 0.102 + 0.198 = 0.8
    // cost = 0.01 * 0.8 = 0.008;  PNL = -0.01 + 0 - 0.008 = -0.018  (no trade at maturity)
    const prices = Float64Array.from([1, 1.02, 0.99, 1.01]);
    const positions = Float64Array.from([0.5, 0.6, 0.4]);
    const r = hedgePnl(prices, positions, 0.01, 0.01);
    expect(r.cost).toBeCloseTo(0.008, 15);
    expect(r.pnl).toBeCloseTo(-0.018, 15);
  });

  it('charges the opening trade and nothing when the position is 0', () => {
    const prices = Float64Array.from([2, 2.5]);
    expect(hedgePnl(prices, Float64Array.from([1]), 0, 0.1)).toEqual({ pnl: 0.5 - 0.2, cost: 0.2 });
    expect(hedgePnl(prices, Float64Array.from([0]), 0.3, 0.1)).toEqual({ pnl: -0.3, cost: 0 });
  });

  it('reads a path inside larger arrays through offsets', () => {
    const prices = Float64Array.from([9, 9, 1, 1.02, 0.99, 1.01, 9]);
    const positions = Float64Array.from([7, 0.5, 0.6, 0.4]);
    const out = new Float64Array(2);
    hedgeAccountingInto(prices, 2, positions, 1, 3, out);
    expect(out[0]).toBeCloseTo(0, 15);
    expect(out[1]).toBeCloseTo(0.8, 15);
  });

  it('rejects mismatched lengths', () => {
    expect(() => hedgePnl(new Float64Array(3), new Float64Array(3), 0, 0)).toThrow(RangeError);
  });
});
