import { describe, expect, it } from 'vitest';
import { closedFormSource } from '../../../../src-main/engine/bsde/greekSource';
import { buildGrid } from '../../../../src-main/engine/bsde/grid';
import { type HedgeProblem, hedgeAlongPaths } from '../../../../src-main/engine/bsde/hedgePaths';
import { DEFAULT_INSTRUMENTS, type Strategy } from '../../../../src-shared/bsde/hedge';
import { type BookContent } from '../../../../src-shared/portfolio/book';
import { bookOption } from '../../../../src-shared/portfolio/presets';

/**
 * Hedging along paths with closed-form Greeks (spec "Hedging along simulated paths"): a book that IS one
 * of the hedge instruments is replicated exactly by delta-gamma; a Black-Scholes call's PnL variance falls
 * like 1/R under delta hedging and faster under delta-gamma; every trade is self-financing; a single path
 * replayed alone gives the same PnL as in the full run.
 */
const option = bookOption;

const market = (d: number, over: Partial<BookContent['assets'][number]> = {}) => ({
  assets: Array.from({ length: d }, (_, i) => ({ name: `S${i + 1}`, s0: 100, mu: 0.06, sigma: 0.2 + 0.05 * i, q: 0.01, ...over })),
  correlation: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0.4))),
  rate: 0.03,
});

function problem(book: BookContent, steps: number, strategy: Strategy, rebalance: number, instrumentMaturity = 4, seed = 11): HedgeProblem {
  const g = buildGrid(book, steps, null);
  return {
    book,
    grid: { steps, horizon: g.horizon, dt: g.dt, maturityIndex: g.maturityIndex, exercise: g.exercise },
    source: closedFormSource(book, g.dt),
    settings: { strategy, rebalance, seed, instruments: { ...DEFAULT_INSTRUMENTS, maturity: instrumentMaturity } },
  };
}
const ids = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const variance = (x: Float64Array): number => {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  return x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1);
};

describe('a book that is one of the hedge instruments', () => {
  it('one put on one asset: delta-gamma holds exactly that put and the PnL is zero to rounding', () => {
    const book: BookContent = { name: 'put', ...market(1), options: [option({ payoff: 'put', assets: ['S1'], strike: 100 })] };
    const out = hedgeAlongPaths(problem(book, 12, 'delta-gamma', 4, 1), { pathIds: ids(256) });
    for (const v of out.pnl) expect(Math.abs(v)).toBeLessThan(1e-12);
    expect(out.instruments.map((i) => i.kind)).toEqual(['put']);
    // Delta hedging of the same book is not exact (a discrete hedge of a convex payoff).
    const delta = hedgeAlongPaths(problem(book, 12, 'delta', 4, 1), { pathIds: ids(256) });
    expect(variance(delta.pnl)).toBeGreaterThan(1e-4);
  });

  it('an exchange call on two assets: LSQR finds weight 1 on the exchange instrument, zero elsewhere', () => {
    const book: BookContent = { name: 'exchange', ...market(2), options: [option({ payoff: 'exchange', assets: ['S1', 'S2'], strike: 1 })] };
    const out = hedgeAlongPaths(problem(book, 12, 'delta-gamma', 12, 1), { pathIds: ids(128), record: true });
    // Not exactly 0: a month before expiry a deep in-the-money put has Gamma ~1e-10, LSQR (column-scaled)
    // may put a weight of ~1e-3 on it, delta-hedged; that position's one-step hedging error is ~1e-7 of V_0.
    for (const v of out.pnl) expect(Math.abs(v)).toBeLessThan(1e-6);
    const row = out.schedules![0][1];
    expect(row.kind).toBe('rebalance');
    expect(row.weights[0]).toBeCloseTo(0, 8);
    expect(row.weights[1]).toBeCloseTo(0, 8);
    expect(row.weights[2]).toBeCloseTo(1, 8);
    for (const h of row.holdings) expect(Math.abs(h)).toBeLessThan(1e-8);
    expect(out.lsqr.maxRelResidual).toBeLessThan(1e-8);
  });
});

describe('a Black-Scholes call hedged with closed-form Greeks', () => {
  const book: BookContent = { name: 'call', ...market(1), options: [option({ payoff: 'call', assets: ['S1'], strike: 100 })] };
  const P = 4096;
  const run = (strategy: Strategy, R: number) => hedgeAlongPaths(problem(book, 96, strategy, R), { pathIds: ids(P) });
  const Rs = [6, 12, 24, 48];
  const vd = Rs.map((R) => variance(run('delta', R).pnl));
  const vg = Rs.map((R) => variance(run('delta-gamma', R).pnl));

  it('delta: the PnL variance falls roughly like 1/R (halving per doubling of R)', () => {
    for (let i = 1; i < Rs.length; i++) {
      const ratio = vd[i - 1] / vd[i];
      expect(ratio).toBeGreaterThan(1.5);
      expect(ratio).toBeLessThan(2.8);
    }
  });

  it('delta-gamma: lower variance at every R, and it falls faster than 1/R', () => {
    for (let i = 0; i < Rs.length; i++) expect(vg[i]).toBeLessThan(vd[i] / 3);
    const slopeD = Math.log(vd[0] / vd[Rs.length - 1]) / Math.log(Rs[Rs.length - 1] / Rs[0]);
    const slopeG = Math.log(vg[0] / vg[Rs.length - 1]) / Math.log(Rs[Rs.length - 1] / Rs[0]);
    expect(slopeD).toBeGreaterThan(0.8);
    expect(slopeD).toBeLessThan(1.3);
    expect(slopeG).toBeGreaterThan(slopeD + 0.3);
  });

  it('the mean relative PnL is near zero (the hedge replicates the price)', () => {
    const out = run('delta', 48);
    const m = out.pnl.reduce((s, v) => s + v, 0) / P;
    const se = Math.sqrt(variance(out.pnl) / P);
    expect(Math.abs(m)).toBeLessThan(4 * se + 2e-3);
  });
});

describe('bookkeeping', () => {
  const book: BookContent = {
    name: 'mixed',
    ...market(3),
    options: [
      option({ payoff: 'geometric-call', assets: ['S1', 'S2', 'S3'], strike: 100, quantity: 2 }),
      option({ payoff: 'put', assets: ['S2'], strike: 95, maturity: 0.5, quantity: -1 }),
      option({ payoff: 'exchange', assets: ['S3', 'S1'], strike: 1 }),
    ],
  };

  it('self-financing: the value before each trade equals the value after, to rounding', () => {
    for (const strategy of ['delta', 'delta-gamma'] as const) {
      const out = hedgeAlongPaths(problem(book, 24, strategy, 24), { pathIds: ids(200) });
      expect(out.selfFinancingMaxAbs).toBeLessThan(1e-10 * Math.abs(out.v0) * 100);
      expect(out.pnl.every(Number.isFinite)).toBe(true);
    }
  });

  it('a path replayed alone gives the same PnL bit for bit, and its schedule accounts for every payment', () => {
    const full = hedgeAlongPaths(problem(book, 24, 'delta-gamma', 12), { pathIds: ids(300) });
    for (const p of [0, 137, 299]) {
      const one = hedgeAlongPaths(problem(book, 24, 'delta-gamma', 12), { pathIds: Int32Array.of(p), record: true });
      expect(one.pnl[0]).toBe(full.pnl[p]);
      const rows = one.schedules![0];
      expect(rows[0].n).toBe(0);
      expect(rows.at(-1)!.kind).toBe('final');
      expect(rows.at(-1)!.hedgeAfter / Math.abs(one.v0)).toBeCloseTo(one.pnl[0], 12);
      // The half-year put matures at n = 12 (a rebalancing date) and is paid there.
      const mid = rows.find((r) => r.n === 12)!;
      expect(mid.payments.map((e) => e.option)).toContain(1);
      // Cash + holdings + instruments after the trade = value before minus payments.
      for (const r of rows.filter((x) => x.kind === 'rebalance' && x.n > 0)) {
        const paid = r.payments.reduce((s, e) => s + e.amount, 0);
        expect(r.hedgeAfter).toBeCloseTo(r.hedgeBefore - paid, 8);
      }
    }
  });

  it('R must divide N, and the error names the choices', () => {
    expect(() => hedgeAlongPaths(problem(book, 24, 'delta', 5), { pathIds: ids(4) })).toThrow(/R = 5 does not divide .*N = 24.*1, 2, 3, 4, 6, 8, 12, 24/);
  });
});
