import { describe, expect, it } from 'vitest';
import { type HestonEuropean, type HestonGreekArrays, type HestonGreekSource, type HestonMarket } from '../../../../src-shared/heston/types';
import { hedgeHeston, rebalanceDates, type HedgePathSet, type HestonHedgeProblem, type InstrumentPricer } from '../../../../src-main/engine/heston/hedge';
import { SmallSystemSolver } from '../../../../src-main/engine/heston/hedgeSolve';

/**
 * Accounting of the Heston hedging engine on a case small enough to do by hand: 2 paths, N = 2 steps,
 * R = 2 (dates n = 0, 1), a synthetic book and a synthetic instrument whose "Greeks" are simple functions of
 * the state, so every cash flow can be written out below and compared with the engine's V_T.
 */
const market: HestonMarket = { s0: 10, nu0: 0.04, kappa: 1, nubar: 0.04, xi: 0.3, rho: 0, r: 0.1, q: 0.02 };
const claim = { kind: 'put' as const, strike: 10.5, maturity: 1, exerciseDates: 1 };
const N = 2;
const dt = 0.5;
// Book: price 1 + 0.1 n + 0.2 S nu, Delta -0.4 + 0.05 n + 0.01 S, Vega 2 + S, Gamma 0.3 + nu, Vomma 1 + n, Vanna 0.5.
const bookAt = (n: number, s: number, v: number) => ({ price: 1 + 0.1 * n + 0.2 * s * v, delta: -0.4 + 0.05 * n + 0.01 * s, vega: 2 + s, gamma: 0.3 + v, vomma: 1 + n, vanna: 0.5 });
// Instrument: price 0.5 + 0.05 S + 3 nu + 0.1 tau, Delta -0.2 + 0.001 S, Vega 4 + tau.
const instAt = (tau: number, s: number, v: number) => ({ price: 0.5 + 0.05 * s + 3 * v + 0.1 * tau, delta: -0.2 + 0.001 * s, vega: 4 + tau, gamma: 0.1, vomma: 0.2, vanna: 0.3 });

const batch = (f: (i: number) => Record<keyof HestonGreekArrays, number>, len: number): HestonGreekArrays => {
  const out = { price: new Float64Array(len), delta: new Float64Array(len), vega: new Float64Array(len), gamma: new Float64Array(len), vomma: new Float64Array(len), vanna: new Float64Array(len) };
  for (let i = 0; i < len; i++) {
    const g = f(i);
    for (const k of Object.keys(out) as Array<keyof HestonGreekArrays>) out[k][i] = g[k];
  }
  return out;
};
const source: HestonGreekSource = {
  steps: N,
  horizon: 1,
  at: (n, S, nu) => ({ ...batch((i) => bookAt(n, S[i], nu[i]), S.length), exercise: new Uint8Array(S.length) }),
};
const instrument: HestonEuropean = { kind: 'put', strike: 10, maturity: 1.5 };
const pricer: InstrumentPricer = (_m, _o, tau, S, nu) => batch((i) => instAt(tau, S[i], nu[i]), S.length);
const set: HedgePathSet = { paths: 2, steps: N, S: Float64Array.of(10, 11, 12, 10, 9, 8), nu: Float64Array.of(0.04, 0.05, 0.06, 0.04, 0.03, 0.02) };
const problem: HestonHedgeProblem = { market, claim, source, instruments: [instrument], pricer, strategies: ['delta', 'delta-vega'], rebalance: [2, 1] };

describe('Heston hedge accounting (2 paths, 2 dates, by hand)', () => {
  const out = hedgeHeston(problem, set);
  const e = Math.exp(market.r * dt);
  const V0 = bookAt(0, 10, 0.04).price;
  it('V_0 is the book price at the start state', () => {
    expect(out.v0).toBe(V0);
  });
  for (const p of [0, 1]) {
    const S = [set.S[p * 3], set.S[p * 3 + 1], set.S[p * 3 + 2]];
    const v = [set.nu[p * 3], set.nu[p * 3 + 1], set.nu[p * 3 + 2]];
    const g = Math.max(claim.strike - S[2], 0);
    it(`path ${p}: delta hedging, R = 2`, () => {
      const h0 = bookAt(0, S[0], v[0]).delta;
      let cash = V0 - h0 * S[0];
      cash = cash * e + market.q * h0 * S[0] * dt;
      const h1 = bookAt(1, S[1], v[1]).delta;
      cash -= (h1 - h0) * S[1];
      cash = cash * e + market.q * h1 * S[1] * dt;
      const VT = cash + h1 * S[2] - g;
      expect(out.pnl[0 * 2 + p]).toBeCloseTo(VT / V0, 13);
    });
    it(`path ${p}: delta-vega hedging, R = 2`, () => {
      const i0 = instAt(1.5, S[0], v[0]);
      const w0 = bookAt(0, S[0], v[0]).vega / i0.vega;
      const h0 = bookAt(0, S[0], v[0]).delta - w0 * i0.delta;
      let cash = V0 - h0 * S[0] - w0 * i0.price;
      cash = cash * e + market.q * h0 * S[0] * dt;
      const i1 = instAt(1.0, S[1], v[1]);
      const w1 = bookAt(1, S[1], v[1]).vega / i1.vega;
      const h1 = bookAt(1, S[1], v[1]).delta - w1 * i1.delta;
      cash -= (h1 - h0) * S[1] + (w1 - w0) * i1.price;
      cash = cash * e + market.q * h1 * S[1] * dt;
      const VT = cash + h1 * S[2] + w1 * instAt(0.5, S[2], v[2]).price - g;
      // cell (delta-vega, R = 2) = 1 * nR + 0
      expect(out.pnl[2 * 2 + p]).toBeCloseTo(VT / V0, 13);
    });
    it(`path ${p}: R = 1 is a static hedge set at t = 0`, () => {
      const h0 = bookAt(0, S[0], v[0]).delta;
      let cash = V0 - h0 * S[0];
      cash = cash * e + market.q * h0 * S[0] * dt;
      cash = cash * e + market.q * h0 * S[1] * dt;
      expect(out.pnl[1 * 2 + p]).toBeCloseTo((cash + h0 * S[2] - g) / V0, 13);
    });
  }
  it('trades are self-financing and one-instrument systems are perfectly conditioned', () => {
    for (const gap of out.selfFinancingMaxAbs) expect(gap).toBeLessThan(1e-14);
    expect(out.cond[2]).toMatchObject({ solves: 4, fallbacks: 0, max: 1 });
    expect(out.cond[0].solves).toBe(0);
  });
  it('the recorded schedule of path 1 replays its cash flows', () => {
    const rec = hedgeHeston(problem, set, { recordPath: 1 });
    const rows = rec.schedules![2];
    expect(rows.map((r) => [r.n, r.kind])).toEqual([[0, 'rebalance'], [1, 'rebalance'], [2, 'final']]);
    expect(rows[2].hedgeAfter / V0).toBeCloseTo(out.pnl[2 * 2 + 1], 14);
    expect(rows[0].hedgeBefore).toBeCloseTo(V0, 14);
    for (const r of rows.slice(0, 2)) expect(r.hedgeAfter).toBeCloseTo(r.hedgeBefore, 13);
    expect(rows[2].payments[0].amount).toBeCloseTo(2.5, 14);
  });
});

describe('early exercise', () => {
  it('pays g and liquidates at the first flagged exercise date; the path only accrues afterwards', () => {
    const bermudan = { ...claim, exerciseDates: 2 };
    const src: HestonGreekSource = { ...source, at: (n, S, nu) => ({ ...source.at(n, S, nu), exercise: Uint8Array.from(S, (s) => (n === 1 && s < 10 ? 1 : 0)) }) };
    const out = hedgeHeston({ ...problem, claim: bermudan, source: src, strategies: ['delta'], rebalance: [2] }, set);
    expect(out.earlyExercised).toBe(1);
    const e = Math.exp(market.r * dt);
    const V0 = out.v0;
    const h0 = bookAt(0, 10, 0.04).delta;
    let cash = V0 - h0 * 10;
    cash = cash * e + market.q * h0 * 10 * dt;
    cash += h0 * 9 - (bermudan.strike - 9); // liquidate, pay g(9)
    cash *= e; // no holdings left: no dividend
    expect(out.pnl[1]).toBeCloseTo(cash / V0, 13);
  });
});

describe('singular systems', () => {
  it('two identical instruments: least-squares fallback counted, min-norm weights of the row-scaled system', () => {
    const out = hedgeHeston({ ...problem, instruments: [instrument, instrument], strategies: ['delta-vega-gamma'], rebalance: [2] }, set);
    expect(out.cond[0].solves).toBe(4);
    expect(out.cond[0].fallbacks).toBe(4);
    const rec = hedgeHeston({ ...problem, instruments: [instrument, instrument], strategies: ['delta-vega-gamma'], rebalance: [2] }, set, { recordPath: 0 });
    const [w1, w2] = rec.schedules![0][0].weights;
    expect(w1).toBeCloseTo(w2, 12);
    // Scaled rows are both [1, 1]: least squares puts w1 + w2 at the mean of the scaled right-hand sides.
    const i0 = instAt(1.5, 10, 0.04);
    const b0 = bookAt(0, 10, 0.04);
    expect(w1 + w2).toBeCloseTo((b0.vega / i0.vega + b0.gamma / i0.gamma) / 2, 10);
  });
  it('SmallSystemSolver: exact solve with its condition number, fallback on a zero row', () => {
    const sv = new SmallSystemSolver();
    const w = new Float64Array(2);
    sv.solve(2, Float64Array.of(2, 1, 1, 3), Float64Array.of(5, 10), w);
    expect(Array.from(w)).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
    // Row-scaled [[1, .5], [1/3, 1]]: ||A||inf = 1.5, det = 5/6, ||A^-1||inf = (1 + .5) / (5/6) = 1.8 -> 2.7.
    expect(sv.cond).toBeCloseTo(2.7, 12);
    expect(sv.fallback).toBe(false);
    sv.solve(2, Float64Array.of(1, 1, 0, 0), Float64Array.of(2, 1), w);
    expect(sv.fallback).toBe(true);
    expect(Array.from(w)).toEqual([expect.closeTo(1, 12), expect.closeTo(1, 12)]);
  });
});

describe('rebalancing dates', () => {
  it('are equidistant when R divides N and the nearest grid dates otherwise', () => {
    expect(Array.from(rebalanceDates(60, 12))).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    const d = rebalanceDates(60, 50);
    expect(d.length).toBe(50);
    expect(new Set(d).size).toBe(50);
    expect(d[1]).toBe(1);
    expect(d[4]).toBe(5);
    expect(() => rebalanceDates(60, 61)).toThrow(/1\.\.N = 60/);
  });
});
