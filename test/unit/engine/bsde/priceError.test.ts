import { describe, expect, it } from 'vitest';
import { presetBook } from '../../../../src-shared/portfolio/presets';
import { priceErrorEstimates, seedSpread } from '../../../../src-main/engine/bsde/priceError';
import { optionReference } from '../../../../src-main/engine/bsde/reference';
import { stulzMaxCall, stulzMinPut } from '../../../../src-main/engine/math/stulz';

describe('price error beside a learned price', () => {
  it('is the measured gap where there is a reference, not the regression s.e. (B1 d=5: 7.5260 +- 0.0017 vs 7.551549)', () => {
    const ref = { price: 7.551549, method: 'closed form' };
    const est = priceErrorEstimates([{ price: 7.526, priceStdErr: 0.0017, quantity: 1, reference: ref }], { price: 7.526, reference: ref });
    expect(est.options[0].kind).toBe('reference');
    expect(est.options[0].value).toBeCloseTo(0.025549, 12);
    expect(est.options[0].value! / 0.0017).toBeGreaterThan(10);
    expect(est.options[0].note).toMatch(/15× the regression s\.e\./);
    expect(est.book.value).toBeCloseTo(0.025549, 12);
  });

  it('calibrates rows without a reference by the worst gap/s.e. of the same solve, and bounds the book by the sum', () => {
    const rows = [
      { price: 10, priceStdErr: 0.01, quantity: 2, reference: { price: 10.2, method: 'closed form' } }, // 20 s.e.
      { price: 5, priceStdErr: 0.02, quantity: 1, reference: { price: 5.1, method: 'lattice' } }, // 5 s.e.
      { price: 3, priceStdErr: 0.005, quantity: -1, reference: null },
    ];
    const est = priceErrorEstimates(rows, { price: 2 * 10 + 5 - 3, reference: null });
    expect(est.options[2].kind).toBe('calibrated');
    expect(est.options[2].value).toBeCloseTo(20 * 0.005, 12);
    expect(est.book.kind).toBe('calibrated');
    expect(est.book.value).toBeCloseTo(2 * 0.2 + 0.1 + 0.1, 12);
  });

  it('says "not estimated" (never a bare s.e.) when nothing in the solve has a reference', () => {
    const est = priceErrorEstimates([{ price: 1, priceStdErr: 0.001, quantity: 1, reference: null }], { price: 1, reference: null });
    expect(est.options[0]).toMatchObject({ kind: 'none', value: null });
    expect(est.book.kind).toBe('none');
    expect(est.book.note).toMatch(/excludes the solver bias/);
  });
});

describe('Stulz references in a book', () => {
  it('B4 with 4 assets: the call on the max and the put on the min of the second half get the Stulz closed form', () => {
    const book = presetBook('B4', { assets: 4 });
    const jMax = book.options.findIndex((o) => o.payoff === 'max-call');
    const jMin = book.options.findIndex((o) => o.payoff === 'min-put');
    const args = { spots: [100, 100] as [number, number], vols: [0.2, 0.15] as [number, number], divs: [0, 0] as [number, number], rho: 0.25, rate: 0.04, tau: 1 };
    const rMax = optionReference(book, jMax)!;
    expect(rMax.method).toBe('closed form');
    expect(rMax.price).toBeCloseTo(stulzMaxCall({ ...args, strike: 100 }).price, 12);
    expect(rMax.delta[0]).toBe(0);
    expect(rMax.delta[2]).toBeCloseTo(stulzMaxCall({ ...args, strike: 100 }).delta[0], 12);
    const rMin = optionReference(book, jMin)!;
    expect(rMin.price).toBeCloseTo(stulzMinPut({ ...args, strike: 100 }).price, 12);
    // more than two assets or Bermudan: no closed form
    expect(optionReference(presetBook('B4', { assets: 10 }), jMax)).toBeNull();
    expect(optionReference(presetBook('B4', { assets: 4, case: 2 }), jMax)).toBeNull();
  });
});

describe('seedSpread', () => {
  it('is the mean, the (n - 1) standard deviation and std / sqrt(n) over the seeds', () => {
    const s = seedSpread([7.5, 7.56, 7.52, 7.54]);
    expect(s.seeds).toBe(4);
    expect(s.mean).toBeCloseTo(7.53, 14);
    expect(s.std).toBeCloseTo(Math.sqrt((0.03 ** 2 + 0.03 ** 2 + 0.01 ** 2 + 0.01 ** 2) / 3), 14);
    expect(s.stdErrOfMean).toBeCloseTo(s.std / 2, 14);
    expect(() => seedSpread([1])).toThrow(/at least 2/);
  });
});
