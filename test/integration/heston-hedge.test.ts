import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type Workstation } from '../../src-main/workstation';
import { type HestonHedgeMetrics, type HestonHedgeSchedule } from '../../src-shared/heston/hedge';
import { type HestonHedgeDistribution } from '../../src-shared/heston/hedgeContract';
import { H1_CLAIM, H1_MARKET } from '../../src-shared/heston/types';
import { openWorkstation } from '../helpers/host';
import { type Err, rpc } from '../helpers/rpc';

/**
 * The 'heston-hedge' handlers through dispatch on a stored 'heston-solve' run of a European put (its row written
 * directly: the hedge reads the market, the claim and the grid from it; semi-analytic Greeks need no networks):
 * a run of every strategy at two R on the same paths, the stored PnL cells and statistics, the schedule replay
 * matching the stored PnL, the per-strategy distributions, and field errors before anything is stored.
 */
let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});
const { call, ok } = rpc(() => ws!);

function storeSolve(w: Workstation, exerciseDates = 1): string {
  const id = randomUUID();
  const claim = { kind: 'put', strike: 11, maturity: 0.3, exerciseDates };
  w.runs.create({ id, kind: 'heston-solve' as never, model: 'osm', label: 'test solve', config: { market: H1_MARKET, claim, solver: {} }, seed: 1, total: 1, groupId: null });
  w.runs.markRunning(id, 'js-float64');
  w.runs.finish(id, { wallMs: 1, metrics: { scheme: 'osm', steps: 12, horizon: 0.3, dt: 0.025, solution: null, solutionArrays: [] }, arrays: {} });
  return id;
}

describe('heston hedge handlers', () => {
  it('hedges every strategy on the same paths, stores the cells, replays a path and draws the distributions', async () => {
    ws = await openWorkstation();
    const solveRunId = storeSolve(ws);
    const { runId } = await ok<{ runId: string }>('heston-hedge', { solveRunId, greeks: 'semi-analytic', rebalance: [1, 12], paths: 64, seed: 4 });
    await ws.jobs.idle();
    const run = ws.runs.get(runId)!;
    expect(run.status, JSON.stringify(run.error)).toBe('done');
    const m = run.metrics as HestonHedgeMetrics;
    expect(m).toMatchObject({ solveRunId, greeks: 'semi-analytic', steps: 12, paths: 64, seed: 4, rebalance: [1, 12], earlyExercise: 0 });
    expect(m.cells).toHaveLength(10);
    expect(m.instruments.map((i) => i.role)).toEqual(['vega', 'gamma', 'vomma', 'vanna']);
    const pnl = ws.runs.getArray(runId, 'pnl.cells') as Float64Array;
    expect(pnl).toHaveLength(10 * 64);
    const dv12 = m.cells.find((c) => c.strategy === 'delta-vega' && c.rebalance === 12)!;
    expect(dv12.cond).toMatchObject({ solves: 64 * 12, fallbacks: 0 });
    expect(dv12.stats.variance).toBeLessThan(m.cells.find((c) => c.strategy === 'delta' && c.rebalance === 12)!.stats.variance);

    const worst = await ok<HestonHedgeSchedule>('heston-hedge-schedule', { runId, strategy: 'delta-vega', rebalance: 12, path: 'worst' });
    const cell = 1 * 2 + 1;
    expect(worst.path).toBe(dv12.pathIndex.worst);
    expect(worst.pnl).toBeCloseTo(Math.min(...pnl.subarray(cell * 64, cell * 64 + 64)), 8);
    expect(worst.rows.filter((r) => r.kind === 'rebalance')).toHaveLength(12);
    expect(worst.rows.at(-1)).toMatchObject({ kind: 'final', n: 12 });
    expect(worst.instruments).toHaveLength(1);

    const dist = await ok<HestonHedgeDistribution>('heston-hedge-distribution', { runId, rebalance: 12 });
    expect(dist.strategies.map((s) => s.strategy)).toEqual(['delta', 'delta-vega', 'delta-vega-gamma', 'delta-vega-gamma-vomma', 'delta-vega-gamma-vomma-vanna']);
    expect(dist.strategies[0].dist.series[0].kde.length).toBeGreaterThan(10);

    // The PDE (ADI) reference's Greeks on the same paths: close to the exact ones for delta-vega at R = 12.
    const pde = await ok<{ runId: string }>('heston-hedge', { solveRunId, greeks: 'pde', strategies: ['delta-vega'], rebalance: [12], paths: 64, seed: 4 });
    await ws.jobs.idle();
    const pm = ws.runs.get(pde.runId)!.metrics as HestonHedgeMetrics;
    expect(pm.greeks).toBe('pde');
    expect(Math.abs(pm.v0 / m.v0 - 1)).toBeLessThan(2e-3);
    expect(Math.abs(pm.cells[0].stats.variance / dv12.stats.variance - 1)).toBeLessThan(0.2);

    const missing = (await call('heston-hedge-schedule', { runId, strategy: 'delta', rebalance: 5, path: 0 })) as Err;
    expect(missing.error.message).toMatch(/no cell delta at R = 5/);
  });

  it('hedges a quick OSM solve of a Bermudan put (4 exercise dates, N = 4) with its network Greeks (exercise flags from the networks)', async () => {
    ws = await openWorkstation();
    const solve = await ok<{ runId: string }>('heston-solve', { market: H1_MARKET, claim: { ...H1_CLAIM, exerciseDates: 4 }, scheme: 'osm', solver: 'quick', steps: 4, seed: 3 });
    await ws.jobs.idle();
    expect(ws.runs.get(solve.runId)!.status).toBe('done');
    const { runId } = await ok<{ runId: string }>('heston-hedge', { solveRunId: solve.runId, strategies: ['delta', 'delta-vega'], rebalance: [2, 4], paths: 128, seed: 1 });
    await ws.jobs.idle();
    const run = ws.runs.get(runId)!;
    expect(run.status, JSON.stringify(run.error)).toBe('done');
    const m = run.metrics as HestonHedgeMetrics;
    expect(m).toMatchObject({ greeks: 'osm', steps: 4, paths: 128 });
    expect(m.v0).toBeCloseTo((ws.runs.get(solve.runId)!.metrics as { t0: { price: number } }).t0.price, 10);
    // H1's put is in the money at exercise dates on many paths: the networks' C < g there
    expect(m.earlyExercise).toBeGreaterThan(0);
    for (const c of m.cells) expect(Number.isFinite(c.stats.variance)).toBe(true);
    const s = await ok<HestonHedgeSchedule>('heston-hedge-schedule', { runId, strategy: 'delta-vega', rebalance: 4, path: 'median' });
    const pnl = ws.runs.getArray(runId, 'pnl.cells') as Float64Array;
    expect(s.pnl).toBeCloseTo(pnl[3 * 128 + s.path], 8);
  });

  it('refuses bad settings naming the field, before anything is stored', async () => {
    ws = await openWorkstation();
    const european = storeSolve(ws);
    const bermudan = storeSolve(ws, 12);
    const before = ws.runs.list('heston-hedge').length;
    const tooMany = (await call('heston-hedge', { solveRunId: european, greeks: 'semi-analytic', rebalance: [13] })) as Err;
    expect(tooMany.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(tooMany.error.message).toMatch(/R = 13 must be a whole number in 1\.\.12/);
    const semi = (await call('heston-hedge', { solveRunId: bermudan, greeks: 'semi-analytic' })) as Err;
    expect(semi.error.message).toMatch(/European claims only/);
    const short = (await call('heston-hedge', { solveRunId: european, greeks: 'semi-analytic', instruments: [{ kind: 'put', strike: 11, maturity: 0.2 }, { kind: 'put', strike: 10, maturity: 0.4 }, { kind: 'put', strike: 12, maturity: 0.75 }, { kind: 'put', strike: 9, maturity: 0.6 }] })) as Err;
    expect(short.error.message).toMatch(/must exceed the claim's maturity/);
    const wrongKind = (await call('heston-hedge', { solveRunId: randomUUID() })) as Err;
    expect(wrongKind.error.code).toBe('RUN_NOT_FOUND');
    expect(ws.runs.list('heston-hedge')).toHaveLength(before);
  });
});
