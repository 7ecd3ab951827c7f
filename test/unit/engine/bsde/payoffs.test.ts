import { describe, expect, it } from 'vitest';
import { type CompiledOption, payoffAt } from '../../../../src-main/engine/bsde/payoffs';
import { PAYOFF_TYPES } from '../../../../src-shared/portfolio/book';

const d = 3;
const smooth = new Float64Array([0.05, 0.05, 0.05]);
const opt = (payoff: CompiledOption['payoff'], assets: number[], strike: number, strike2 = NaN): CompiledOption => ({ payoff, assets: Int32Array.from(assets), strike, strike2, quantity: 1 });
const options: CompiledOption[] = [
  opt('geometric-call', [0, 1, 2], 95),
  opt('geometric-put', [0, 2], 110),
  opt('arithmetic-call', [0, 1], 90),
  opt('arithmetic-put', [1, 2], 120),
  opt('max-call', [0, 1, 2], 100),
  opt('min-put', [0, 1, 2], 105),
  opt('call', [1], 95),
  opt('put', [2], 110),
  opt('exchange', [0, 2], 0.9),
];

function evalAt(o: CompiledOption, x: number[]) {
  const s = x.map(Math.exp);
  const grad = new Float64Array(d);
  const hess = new Float64Array(d * d);
  const v = payoffAt(o, d, s, x, 0, grad, 0, hess, smooth);
  return { v, grad, hess };
}

describe('payoffs in log prices', () => {
  it('cover every payoff type of the book', () => {
    expect(new Set([...options.map((o) => o.payoff), 'cash-or-nothing'])).toEqual(new Set(PAYOFF_TYPES));
  });

  it('values are the textbook payoffs, gradients and Hessians match finite differences away from kinks', () => {
    const x = [Math.log(104), Math.log(97), Math.log(101)];
    const s = x.map(Math.exp);
    const want: Record<string, number> = {
      'geometric-call': Math.max(Math.cbrt(s[0] * s[1] * s[2]) - 95, 0),
      'geometric-put': Math.max(110 - Math.sqrt(s[0] * s[2]), 0),
      'arithmetic-call': Math.max((s[0] + s[1]) / 2 - 90, 0),
      'arithmetic-put': Math.max(120 - (s[1] + s[2]) / 2, 0),
      'max-call': Math.max(Math.max(...s) - 100, 0),
      'min-put': Math.max(105 - Math.min(...s), 0),
      call: Math.max(s[1] - 95, 0),
      put: Math.max(110 - s[2], 0),
      exchange: Math.max(s[0] - 0.9 * s[2], 0),
    };
    const h = 1e-5;
    for (const o of options) {
      const r = evalAt(o, x);
      expect(r.v, o.payoff).toBeCloseTo(want[o.payoff], 10);
      expect(r.v, `${o.payoff} is in the money here`).toBeGreaterThan(0);
      for (let a = 0; a < d; a++) {
        const up = evalAt(o, x.map((v, i) => (i === a ? v + h : v)));
        const dn = evalAt(o, x.map((v, i) => (i === a ? v - h : v)));
        expect(r.grad[a], `${o.payoff} d/dx_${a}`).toBeCloseTo((up.v - dn.v) / (2 * h), 4);
        for (let b = 0; b < d; b++) expect(r.hess[a * d + b], `${o.payoff} H_${a}${b}`).toBeCloseTo((up.grad[b] - dn.grad[b]) / (2 * h), 3);
      }
    }
  });

  it('cash-or-nothing pays 1 inside the box and its smoothed gradient points into the box near an edge', () => {
    const o = opt('cash-or-nothing', [0, 1], 90, 110);
    expect(evalAt(o, [Math.log(100), Math.log(100), 0]).v).toBe(1);
    expect(evalAt(o, [Math.log(120), Math.log(100), 0]).v).toBe(0);
    const nearUpper = evalAt(o, [Math.log(109), Math.log(100), 0]);
    expect(nearUpper.grad[0]).toBeLessThan(0);
    const nearLower = evalAt(o, [Math.log(91), Math.log(100), 0]);
    expect(nearLower.grad[0]).toBeGreaterThan(0);
    expect(nearLower.grad[2]).toBe(0);
  });
});
