import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hestonAdi, hestonAdiWithRefinement } from '../../../../src-main/engine/heston/adi';
import { adiGreekSource, adiSurfaceTimes } from '../../../../src-main/engine/heston/adiSource';
import { hestonEuropeanBatch, hestonEuropeanGreeks } from '../../../../src-main/engine/heston/semiAnalytic';
import { H1_CLAIM, H1_MARKET, type HestonClaim, type HestonGreeks, type HestonMarket } from '../../../../src-shared/heston/types';

/**
 * Golden numbers: test/reference/heston_quantlib.py (heston_quantlib.json) — QuantLib 1.29's FdHestonVanillaEngine
 * (Hundsdorfer–Verwer ADI, grid 400 x 400 x 200 in t x S x nu; its coarse-grid price differs by 3e-5) for H1 with
 * BermudanExercise (12 dates), EuropeanExercise and AmericanExercise; and the Ikonen & Toivanen (2009, "Operator
 * splitting methods for pricing American options under stochastic volatility", Numer. Math. 113) American-put
 * benchmark values, quoted to 4 decimals.
 */
interface BermudanRef {
  exercise: number | 'european' | 'american';
  price: number;
  delta: number;
  gamma: number;
  coarsePrice: number;
}
const ref = JSON.parse(readFileSync(join(__dirname, '../../../reference/heston_quantlib.json'), 'utf8')) as { bermudan: BermudanRef[] };
const qlOf = (e: BermudanRef['exercise']): BermudanRef => ref.bermudan.find((b) => b.exercise === e)!;
const european = (c: HestonClaim): HestonClaim => ({ ...c, exerciseDates: 1 });

describe('2-D ADI PDE (Hundsdorfer–Verwer, in \'t Hout & Foulon grids)', () => {
  it('European: price and five Greeks match the semi-analytic formula at the default grid', () => {
    // Errors measured at the default grid 240 x 60 x 120 over these cases (relative to max(|exact|, floor)): price
    // <= 3.3e-5, Delta <= 6e-5, Vega <= 5e-5, Gamma <= 2.9e-4, Vomma <= 1.1e-3, Vanna <= 6.8e-4; tolerances ~2-3x.
    const tol: Record<keyof HestonGreeks, [number, number]> = {
      price: [1e-4, 0.1],
      delta: [2e-4, 0.1],
      vega: [2e-4, 0.1],
      gamma: [1e-3, 0.01],
      vomma: [3e-3, 0.1],
      vanna: [2e-3, 0.1],
    };
    const cases: [HestonMarket, HestonClaim][] = [
      [H1_MARKET, european(H1_CLAIM)],
      [{ ...H1_MARKET, rho: -0.7, q: 0.03, xi: 0.5 }, { kind: 'call', strike: 10, maturity: 0.5, exerciseDates: 1 }],
      [{ ...H1_MARKET, s0: 9, nu0: 0.2 }, { kind: 'put', strike: 10, maturity: 0.4, exerciseDates: 1 }],
    ];
    for (const [m, c] of cases) {
      const exact = hestonEuropeanGreeks(m, c);
      const pde = hestonAdi({ market: m, claim: c }).t0;
      for (const name of Object.keys(tol) as (keyof HestonGreeks)[]) {
        const [rel, floor] = tol[name];
        expect(Math.abs(pde[name] - exact[name]) / Math.max(Math.abs(exact[name]), floor), `${c.kind} K=${c.strike} ${name}`).toBeLessThan(rel);
      }
    }
  });

  it('European with Feller failing (xi = 1.4, nu0 = 0.01) stays close to the semi-analytic price', () => {
    // Measured at the default grid: price -6.8e-4, Delta -5.4e-4, Vega -2.4e-3 relative (the variance spends time
    // near nu = 0, where the grid's first cells carry the boundary condition).
    const m: HestonMarket = { ...H1_MARKET, xi: 1.4, nu0: 0.01, rho: -0.5 };
    const c: HestonClaim = { kind: 'put', strike: 10, maturity: 0.5, exerciseDates: 1 };
    const exact = hestonEuropeanGreeks(m, c);
    const pde = hestonAdi({ market: m, claim: c }).t0;
    expect(Math.abs(pde.price / exact.price - 1)).toBeLessThan(2e-3);
    expect(Math.abs(pde.delta / exact.delta - 1)).toBeLessThan(2e-3);
    expect(Math.abs(pde.vega / exact.vega - 1)).toBeLessThan(6e-3);
  });

  it('reports progress and stops when the callback asks to cancel', () => {
    const seen: number[] = [];
    expect(() =>
      hestonAdi({
        market: H1_MARKET,
        claim: H1_CLAIM,
        grid: { ns: 40, nv: 12, nt: 24 },
        onProgress: (done, total) => {
          seen.push(done / total);
          return done === 5;
        },
      }),
    ).toThrow(/cancelled/);
    expect(seen).toHaveLength(5);
    expect(seen[0]).toBeGreaterThan(0);
  });

  it('converges at second order under grid refinement (European H1 price error falls >= 3x per doubling)', () => {
    const exact = hestonEuropeanGreeks(H1_MARKET, H1_CLAIM).price;
    const errs = [
      { ns: 60, nv: 15, nt: 30 },
      { ns: 120, nv: 30, nt: 60 },
      { ns: 240, nv: 60, nt: 120 },
    ].map((grid) => Math.abs(hestonAdi({ market: H1_MARKET, claim: european(H1_CLAIM), grid }).t0.price - exact));
    expect(errs[0]).toBeGreaterThan(3 * errs[1]);
    expect(errs[1]).toBeGreaterThan(3 * errs[2]);
    expect(errs[2]).toBeLessThan(1e-4);
  });

  it('H1 Bermudan: matches QuantLib FdHestonVanillaEngine and lies between the European and American prices', () => {
    const r = hestonAdiWithRefinement({ market: H1_MARKET, claim: H1_CLAIM });
    const ql = qlOf(12);
    expect(Math.abs(r.t0.price - ql.price)).toBeLessThan(1e-4);
    expect(Math.abs(r.t0.delta - ql.delta)).toBeLessThan(1e-3 * Math.abs(ql.delta));
    expect(Math.abs(r.t0.gamma - ql.gamma)).toBeLessThan(2e-3 * ql.gamma);
    // The reference's own error estimate is small and refining moves towards QuantLib's fine-grid value.
    expect(Math.abs(r.refinement!.priceChange)).toBeLessThan(1e-4);
    expect(Math.abs(r.refinement!.t0.price - ql.price)).toBeLessThan(Math.abs(r.t0.price - ql.price));
    const eur = hestonAdi({ market: H1_MARKET, claim: european(H1_CLAIM) }).t0.price;
    expect(Math.abs(eur - qlOf('european').price)).toBeLessThan(1e-4);
    expect(r.t0.price).toBeGreaterThan(eur + 0.05);
    expect(r.t0.price).toBeLessThan(qlOf('american').price);
  });

  it('Ikonen–Toivanen American put: Bermudan prices rise with the exercise dates and extrapolate to the benchmark', () => {
    // K = 10, T = 0.25, r = 0.1, kappa = 5, nubar = 0.16, xi = 0.9, rho = 0.1, nu0 = 0.0625. A Bermudan with R dates
    // is within O(1/R) of the American; the Richardson value 2 P(64) - P(32) is within 4.3e-4 of the 4-digit
    // benchmark (measured: -4.3e-4, -1.7e-4, -1.0e-4, -2.8e-4, -1.8e-4).
    const market: HestonMarket = { s0: 10, nu0: 0.0625, kappa: 5, nubar: 0.16, xi: 0.9, rho: 0.1, r: 0.1, q: 0 };
    const bench = [2.0, 1.1076, 0.52, 0.2138, 0.0821];
    const price = (s0: number, R: number): number =>
      hestonAdi({ market: { ...market, s0 }, claim: { kind: 'put', strike: 10, maturity: 0.25, exerciseDates: R }, grid: { ns: 120, nv: 40, nt: 4 * R, sMax: 40 } }).t0.price;
    [8, 9, 10, 11, 12].forEach((s0, i) => {
      const p32 = price(s0, 32);
      const p64 = price(s0, 64);
      expect(p64).toBeGreaterThan(p32);
      expect(p64).toBeLessThan(bench[i] + 1e-4);
      expect(Math.abs(2 * p64 - p32 - bench[i]), `S = ${s0}`).toBeLessThan(5e-4);
    });
  });

  it('adiGreekSource interpolates the surfaces, flags exercise, and agrees with the semi-analytic Greeks for a European', () => {
    const steps = 10;
    const c = european(H1_CLAIM);
    const r = hestonAdi({ market: H1_MARKET, claim: c, surfaceTimes: adiSurfaceTimes(steps, c.maturity) });
    expect(r.surfaces.length).toBe(steps + 1);
    const src = adiGreekSource(r, steps, c.maturity);
    const at0 = src.at(0, Float64Array.of(H1_MARKET.s0), Float64Array.of(H1_MARKET.nu0));
    expect(at0.price[0]).toBeCloseTo(r.t0.price, 12);
    const S = Float64Array.of(8.5, 10, 11.3, 13);
    const nu = Float64Array.of(0.04, 0.09, 0.16, 0.25);
    const n = 4;
    const tau = c.maturity - (n * c.maturity) / steps;
    const exact = hestonEuropeanBatch(H1_MARKET, c, tau, S, nu);
    const got = src.at(n, S, nu);
    for (let i = 0; i < S.length; i++) {
      expect(Math.abs(got.price[i] - exact.price[i])).toBeLessThan(2e-4);
      expect(Math.abs(got.delta[i] - exact.delta[i])).toBeLessThan(5e-4);
      expect(Math.abs(got.vega[i] - exact.vega[i])).toBeLessThan(2e-3);
      expect(Math.abs(got.gamma[i] - exact.gamma[i])).toBeLessThan(2e-3);
      expect(got.exercise[i]).toBe(0);
    }
    const end = src.at(steps, Float64Array.of(9, 12), Float64Array.of(0.1, 0.1));
    expect(Array.from(end.price)).toEqual([2, 0]);
    expect(Array.from(end.exercise)).toEqual([1, 0]);
    expect(() => adiGreekSource(r, 20, c.maturity)).toThrow(/no surface at grid date t_1/);
  });

  it('Bermudan source: deep in the money exercises on exercise dates only', () => {
    const steps = 60; // H1: exercise every 5th grid date
    const r = hestonAdi({ market: H1_MARKET, claim: H1_CLAIM, grid: { ns: 120, nv: 30, nt: 60 }, surfaceTimes: adiSurfaceTimes(steps, H1_CLAIM.maturity) });
    const src = adiGreekSource(r, steps, H1_CLAIM.maturity);
    const S = Float64Array.of(5, 14);
    const nu = Float64Array.of(0.0625, 0.0625);
    const onDate = src.at(5, S, nu);
    expect(Array.from(onDate.exercise)).toEqual([1, 0]);
    expect(onDate.price[0]).toBe(6);
    expect(onDate.delta[0]).toBe(-1);
    const offDate = src.at(6, S, nu);
    expect(Array.from(offDate.exercise)).toEqual([0, 0]);
    expect(offDate.price[0]).toBeGreaterThan(5.9);
    expect(offDate.price[0]).toBeLessThan(6);
  });
});
