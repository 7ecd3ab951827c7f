import { describe, expect, it } from 'vitest';
import {
  europeanCallPayoff,
  lookbackCallPayoff,
  optionPayoff,
  pathMax,
  payoffs,
} from '../../../../src-main/engine/instruments/payoffs';

describe('payoffs', () => {
  it('European call max(P_n - K, 0)', () => {
    expect(europeanCallPayoff(1.1, 1)).toBeCloseTo(0.1, 15);
    expect(europeanCallPayoff(0.9, 1)).toBe(0);
    expect(europeanCallPayoff(1, 1)).toBe(0);
  });

  it('lookback call on the running max including P_0', () => {
    const path = Float64Array.from([1, 0.98, 1.05, 1.02, 0.97]);
    expect(pathMax(path, 0, 4)).toBe(1.05);
    expect(lookbackCallPayoff(path, 1)).toBeCloseTo(0.05, 15);
    expect(lookbackCallPayoff(path, 1.2)).toBe(0);
    // a path that only falls: the max is P_0 itself
    const down = Float64Array.from([1, 0.99, 0.95]);
    expect(lookbackCallPayoff(down, 0.9)).toBeCloseTo(0.1, 15);
  });

  it('works on row-major paths x (steps + 1) matrices', () => {
    const m = Float64Array.from([1, 1.1, 1.05, /* */ 1, 0.9, 0.95]);
    expect(Array.from(payoffs('european', m, 2, 1))).toEqual([europeanCallPayoff(1.05, 1), 0]);
    expect(Array.from(payoffs('lookback', m, 2, 1))).toEqual([1.1 - 1, 0]);
    expect(optionPayoff('lookback', m, 3, 2, 0.9)).toBeCloseTo(0.1, 15);
  });
});
