import { describe, expect, it } from 'vitest';
import { DEFAULT_HESTON_HEDGE, type HestonHedgeRunConfig } from '../../../../src-shared/heston/hedgeContract';
import { type HestonHedgeMetrics } from '../../../../src-shared/heston/hedge';
import { HESTON_HEDGE_PART, hestonHedgePartSchema } from '../../../../src-shared/heston/hedgePart';
import { H1_MARKET } from '../../../../src-shared/heston/types';
import { checkPayload, type JobResult } from '../../../../src-main/cluster/payload';
import { hedgePathRange, hedgePathSet } from '../../../../src-main/engine/heston/hedgeRun';
import { hedgeHeston } from '../../../../src-main/engine/heston/hedge';
import { PNL_ARRAY, hestonHedgeMetrics } from '../../../../src-main/domains/heston/hedgeJob';
import { hestonHedgeFanOut, runHestonHedgePart } from '../../../../src-main/domains/heston/hedgeParts';
import { hestonHedgeProblem, hestonSolveData } from '../../../../src-main/domains/heston/hedgeProblem';
import { type JobContext } from '../../../../src-main/jobs/runner';
import { type RunQueries } from '../../../../src-main/store/queries/runs';

/**
 * A 'heston-hedge' run split into cluster parts, without Redis: a part's paths (drawing and dropping the normals
 * before its range) are the rows of the whole path set, bit for bit; the parts run one by one and merged give the
 * local run's PnLs and statistics to rounding — not bit for bit: the semi-analytic formula picks its quadrature
 * rule from the extremes of the batch of states it is given (semiAnalytic.ts hestonEuropeanBatch), so a part's
 * smaller batch evaluates the same Greeks with another rule (measured: Greeks 6e-12 apart, relative PnL 7.5e-10).
 * The worker's payload check refuses a range outside the run. Semi-analytic Greeks: the solve needs no networks.
 */
const SOLVE_ID = 'cccccccc-heston-0001';
const claim = { kind: 'put' as const, strike: 11, maturity: 0.3, exerciseDates: 1 };
const solveRun = { id: SOLVE_ID, kind: 'heston-solve', status: 'done', label: 'solve', config: { market: H1_MARKET, claim, solver: {} }, metrics: { scheme: 'osm', steps: 12, horizon: 0.3, dt: 0.025, solution: null, solutionArrays: [] }, progress: { done: 1, total: 1 } };
const runs = { get: (id: string) => (id === SOLVE_ID ? solveRun : null), getArray: () => null } as unknown as RunQueries;
const cfg: HestonHedgeRunConfig = { ...DEFAULT_HESTON_HEDGE, solveRunId: SOLVE_ID, greeks: 'semi-analytic', rebalance: [1, 4, 12], paths: 90, seed: 4 };

describe('heston-hedge parts', () => {
  it('a range of paths is the same bits as those rows of the whole path set', () => {
    const solve = hestonSolveData(solveRun as never, SOLVE_ID, false, () => null);
    const problem = hestonHedgeProblem(solve, cfg);
    const whole = hedgePathSet(problem, 90, 4);
    const part = hedgePathRange(problem, 31, 60, 4);
    const row = 13;
    expect(part.paths).toBe(29);
    expect(Array.from(part.S)).toEqual(Array.from(whole.S.subarray(31 * row, 60 * row)));
    expect(Array.from(part.nu)).toEqual(Array.from(whole.nu.subarray(31 * row, 60 * row)));
  });

  it('parts merged give the local run to rounding (PnL within 1e-8 of |V0|, same statistics), a part payload out of range is refused', async () => {
    process.env.HESTON_HEDGE_PART_PATHS = '30';
    let plan;
    try {
      plan = await hestonHedgeFanOut().plan(cfg, { runs, hooks: {} });
    } finally {
      delete process.env.HESTON_HEDGE_PART_PATHS;
    }
    expect(plan.parts.map((p) => p.label)).toEqual(['paths 0–29', 'paths 30–59', 'paths 60–89']);
    const ctx: JobContext = { hooks: {}, started: () => {}, dataDir: '/nonexistent', runId: 'x' };
    const results: JobResult[] = [];
    for (const p of plan.parts) {
      const wire = JSON.parse(JSON.stringify({ runId: 'dddddddd-run-p0', kind: HESTON_HEDGE_PART, config: p.job.config, v: 1 }));
      const checked = checkPayload(wire);
      expect(checked.ok).toBe(true);
      const out = await runHestonHedgePart(hestonHedgePartSchema.parse(wire.config), ctx);
      results.push({ wallMs: 1, metrics: out.metrics, arrays: out.arrays! });
    }
    const merged = plan.merge(results, 5);
    const solve = hestonSolveData(solveRun as never, SOLVE_ID, false, () => null);
    const problem = hestonHedgeProblem(solve, cfg);
    const whole = hedgeHeston(problem, hedgePathSet(problem, 90, 4));
    const a = merged.arrays[PNL_ARRAY] as Float64Array;
    expect(a).toHaveLength(whole.pnl.length);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - whole.pnl[i]));
    expect(maxDiff).toBeLessThan(1e-8);
    const m = merged.metrics as HestonHedgeMetrics;
    const l = hestonHedgeMetrics(cfg, solve, problem, whole, 5);
    expect(m.cells).toHaveLength(5 * 3);
    const close = (x: number, y: number, rel: number): void => expect(Math.abs(x - y)).toBeLessThanOrEqual(rel * Math.max(Math.abs(y), 1e-12));
    m.cells.forEach((cell, i) => {
      const lc = l.cells[i];
      expect([cell.strategy, cell.rebalance, cell.dates, cell.exact]).toEqual([lc.strategy, lc.rebalance, lc.dates, lc.exact]);
      expect(cell.stats.n).toBe(90);
      for (const k of ['mean', 'variance', 'min', 'max'] as const) close(cell.stats[k], lc.stats[k], 1e-6);
      expect([cell.cond?.solves, cell.cond?.fallbacks]).toEqual([lc.cond?.solves, lc.cond?.fallbacks]);
      if (cell.cond && lc.cond) close(cell.cond.geoMean, lc.cond.geoMean, 1e-9);
    });
    expect(m.v0).toBe(l.v0);

    const bad = JSON.parse(JSON.stringify({ runId: 'dddddddd-run-p9', kind: HESTON_HEDGE_PART, config: { ...(plan.parts[2].job.config as object), to: 91 }, v: 1 }));
    const refused = checkPayload(bad);
    expect(refused.ok ? 'accepted' : refused.reason).toMatch(/invalid heston-hedge-part config — config\.to: paths \[60, 91\) are not a non-empty range within the run's 90 paths/);
    const network = JSON.parse(JSON.stringify({ runId: 'dddddddd-run-p9', kind: HESTON_HEDGE_PART, config: { ...(plan.parts[0].job.config as object), settings: { ...(plan.parts[0].job.config as { settings: object }).settings, greeks: 'network' } }, v: 1 }));
    const r2 = checkPayload(network);
    expect(r2.ok ? 'accepted' : r2.reason).toMatch(/config\.solution: network Greeks need the solve's networks/);
  }, 60_000);
});
