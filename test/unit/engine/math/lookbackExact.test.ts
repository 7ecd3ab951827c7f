import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookbackCallDelta, lookbackCallPrice, type LookbackArgs } from '../../../../src-main/engine/math/lookback';

/**
 * Golden values: test/reference/lookback_mpmath.py evaluates the textbook Conze–Viswanathan formula in
 * mpmath at 60+ digits (raised with E = 2 r ln(H/S)/sigma^2 and cross-checked at +40 digits) and takes
 * the delta as mpmath's numerical derivative of that price; its output is test/reference/lookback_mpmath.jsonl.
 */
interface Golden extends Required<LookbackArgs> {
  price: string;
  delta: string;
}
const golden: Golden[] = readFileSync(join(__dirname, '../../../reference/lookback_mpmath.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Golden);

const relErr = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

describe('lookback closed form is exact for every input (vs mpmath)', () => {
  it('has the reference points the issue names (E ~ 700, 1000, 9000, r -> 0, tiny sigma and tau)', () => {
    expect(golden.length).toBe(21);
    const e = golden.map((g) => (2 * g.rate * Math.log(Math.max(g.runningMax, g.strike, g.spot) / g.spot)) / (g.vol * g.vol));
    expect(Math.max(...e)).toBeGreaterThan(9000);
    expect(e.some((x) => x > 700 && x < 709)).toBe(true);
    expect(e.some((x) => x > 1000 && x < 1100)).toBe(true);
  });

  it('the issue point S=100, M=100, K=120, sigma 0.03, r 0.1, tau 2 prices 2.980554592 (was -10.21)', () => {
    const p = lookbackCallPrice({ spot: 100, runningMax: 100, strike: 120, vol: 0.03, rate: 0.1, tau: 2 });
    expect(relErr(p, 2.980554592002537511)).toBeLessThan(1e-12);
  });

  for (const g of golden) {
    it(`price and delta at S=${g.spot} M=${g.runningMax} K=${g.strike} sigma=${g.vol} r=${g.rate} tau=${g.tau}`, () => {
      const args = { spot: g.spot, runningMax: g.runningMax, strike: g.strike, vol: g.vol, rate: g.rate, tau: g.tau };
      const p = lookbackCallPrice(args);
      const d = lookbackCallDelta(args);
      expect(Number.isFinite(p) && Number.isFinite(d)).toBe(true);
      expect(relErr(p, Number(g.price))).toBeLessThan(1e-10);
      expect(relErr(d, Number(g.delta))).toBeLessThan(1e-10);
    });
  }

  it('stays finite and positive far beyond E = 709 (sigma 1e-3 .. 1e-5, r up to 1)', () => {
    for (const vol of [1e-3, 1e-4, 1e-5])
      for (const rate of [0.1, 1, -0.5]) {
        const args = { spot: 100, runningMax: 100, strike: 120, vol, rate, tau: 2 };
        const p = lookbackCallPrice(args);
        const d = lookbackCallDelta(args);
        expect(Number.isFinite(p) && p >= 0).toBe(true);
        expect(Number.isFinite(d) && d >= 0).toBe(true);
      }
  });
});
