import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bivariateNormalCdf } from '../../../../src-main/engine/math/bivariateNormal';
import { stulzMaxCall, stulzMinPut, type StulzArgs } from '../../../../src-main/engine/math/stulz';

/**
 * References from test/reference/stulz_quantlib.py (output test/reference/stulz_quantlib.jsonl): QuantLib's
 * StulzEngine, an independent 1-D quadrature of the conditional Black–Scholes value, and mpmath quadrature of
 * the bivariate normal distribution function.
 */
const lines = readFileSync(join(__dirname, '../../../reference/stulz_quantlib.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Record<string, unknown>);
interface OptionRef {
  kind: 'max-call' | 'min-put';
  spots: [number, number];
  vols: [number, number];
  divs: [number, number];
  rho: number;
  rate: number;
  strike: number;
  tau: number;
  quantlib: number;
  conditionalQuad: number;
}
const options = lines.filter((l) => 'kind' in l) as unknown as OptionRef[];
const bvn = lines.filter((l) => 'bvn' in l) as unknown as Array<{ bvn: [number, number, number]; value: string }>;
const argsOf = (o: OptionRef): StulzArgs => ({ spots: o.spots, vols: o.vols, divs: o.divs, rho: o.rho, rate: o.rate, strike: o.strike, tau: o.tau });
const f = (o: OptionRef) => (o.kind === 'max-call' ? stulzMaxCall : stulzMinPut);

describe('bivariate normal distribution function', () => {
  it('matches mpmath quadrature to 1e-15 for correlations from -0.99 to 0.999', () => {
    expect(bvn.length).toBe(8);
    for (const { bvn: [a, b, r], value } of bvn) expect(Math.abs(bivariateNormalCdf(a, b, r) - Number(value))).toBeLessThan(1e-15);
  });
  it('has the right margins and symmetry', () => {
    expect(bivariateNormalCdf(0.7, 40, 0.3)).toBeCloseTo(0.758036347776927, 14);
    expect(bivariateNormalCdf(0.4, -1.1, -0.6)).toBeCloseTo(bivariateNormalCdf(-1.1, 0.4, -0.6), 15);
  });
});

describe('Stulz two-asset options', () => {
  it('prices match QuantLib StulzEngine and the independent quadrature to 1e-11 relative', () => {
    expect(options.length).toBe(6);
    for (const o of options) {
      const p = f(o)(argsOf(o)).price;
      expect(Math.abs(p - o.quantlib)).toBeLessThan(1e-11 * o.quantlib + 1e-13);
      expect(Math.abs(p - o.conditionalQuad)).toBeLessThan(1e-11 * o.quantlib + 1e-13);
    }
  });

  it('deltas and gammas match central differences of the price', () => {
    for (const o of options) {
      const a = argsOf(o);
      const r = f(o)(a);
      for (let j = 0; j < 2; j++) {
        const h = 1e-3 * a.spots[j];
        const bump = (dx: number): number => {
          const spots = [...a.spots] as [number, number];
          spots[j] += dx;
          return f(o)({ ...a, spots }).price;
        };
        const hd = 1e-5 * a.spots[j]; // truncation ~1e-10 here, rounding ~1e-11
        const fd = (bump(hd) - bump(-hd)) / (2 * hd);
        expect(Math.abs(r.delta[j] - fd)).toBeLessThan(1e-9);
        const fd2 = (bump(h) - 2 * r.price + bump(-h)) / (h * h);
        expect(Math.abs(r.gamma[j][j] - fd2)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd2)) + 2e-6);
      }
      // cross gamma: d/dS_2 of delta_1 by differences of prices
      const h1 = 1e-3 * a.spots[0];
      const h2 = 1e-3 * a.spots[1];
      const at = (x: number, y: number): number => f(o)({ ...a, spots: [a.spots[0] + x, a.spots[1] + y] }).price;
      const cross = (at(h1, h2) - at(h1, -h2) - at(-h1, h2) + at(-h1, -h2)) / (4 * h1 * h2);
      expect(Math.abs(r.gamma[0][1] - cross)).toBeLessThan(2e-6);
    }
  });
});
