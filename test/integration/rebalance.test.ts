import { afterEach, describe, expect, it } from 'vitest';
import { type Workstation } from '../../src-main/workstation';
import { SOLVER_PRESETS } from '../../src-shared/bsde/config';
import { type BsdeHedgeMetrics, DEFAULT_INSTRUMENTS, type HedgeComparison, type HedgeSchedule } from '../../src-shared/bsde/hedge';
import { presetBook } from '../../src-shared/portfolio/presets';
import { openWorkstation } from '../helpers/host';
import { type Err, rpc } from '../helpers/rpc';

/**
 * The 'bsde-hedge' handlers through dispatch: a hedge run of a solve run (stored PnL, statistics, schedule
 * replay that matches the stored PnL), field errors before anything is stored, and comparisons — on existing
 * solves and as one action that solves first.
 */
let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});

const { call, ok } = rpc(() => ws!);
const solver = { ...SOLVER_PRESETS.tiny.config, steps: 4, iterationsLast: 150, iterationsOther: 40, samplesT0: 8192, seed: 1 };
const hedge = { strategy: 'delta-gamma', greeks: 'network', rebalance: 4, paths: 256, steps: null, instruments: DEFAULT_INSTRUMENTS, seed: 5 };

async function solvedBook(): Promise<{ bookId: string; solveRunId: string }> {
  const { bookId } = await ok<{ bookId: string }>('portfolio-save', { bookId: null, baseVersion: null, book: { ...presetBook('B1', { assets: 2 }), name: 'hedge test' } });
  const { runId } = await ok<{ runId: string }>('bsde-solve', { bookId, scheme: 'osm', ...solver });
  await ws!.jobs.idle();
  return { bookId, solveRunId: runId };
}

describe('bsde hedge handlers', () => {
  it('hedges a solve run, stores the relative PnL and statistics, and replays any path to the same PnL', async () => {
    ws = await openWorkstation();
    const { solveRunId } = await solvedBook();
    const { runId } = await ok<{ runId: string }>('bsde-hedge', { solveRunId, ...hedge });
    await ws.jobs.idle();
    const run = ws.runs.get(runId)!;
    expect(run.status, JSON.stringify(run.error)).toBe('done');
    const m = run.metrics as BsdeHedgeMetrics;
    expect(m).toMatchObject({ strategy: 'delta-gamma', greeks: 'network', scheme: 'osm', rebalance: 4, steps: 4, paths: 256, d: 2, J: 1 });
    expect(m.instruments.map((i) => i.kind)).toEqual(['put', 'put', 'exchange']);
    expect(m.lsqr!.solves).toBe(256 * 4);
    expect(m.selfFinancingMaxAbs).toBeLessThan(1e-9);
    expect(m.stats.n).toBe(256);
    const pnl = ws.runs.getArray(runId, 'pnl') as Float64Array;
    expect(pnl).toHaveLength(256);
    expect(m.stats.mean).toBeCloseTo(pnl.reduce((s, v) => s + v, 0) / 256, 12);

    const worst = await ok<HedgeSchedule>('bsde-hedge-schedule', { runId, path: 'worst' });
    expect(worst.path).toBe(m.pathIndex.worst);
    expect(worst.pnl).toBe(pnl[m.pathIndex.worst]);
    expect(worst.pnl).toBe(Math.min(...pnl));
    expect(worst.rows.filter((r) => r.kind === 'rebalance').map((r) => r.n)).toEqual([0, 1, 2, 3]);
    expect(worst.rows.at(-1)).toMatchObject({ kind: 'final', n: 4 });
    expect(worst.rows.at(-1)!.payments).toHaveLength(1);
    expect(worst.instruments).toHaveLength(3);
    const p17 = await ok<HedgeSchedule>('bsde-hedge-schedule', { runId, path: 17 });
    expect(p17.pnl).toBe(pnl[17]);
    const dist = await ok<{ series: Array<{ density: number[] }> }>('runs-distribution', { runIds: [runId] });
    expect(dist.series[0].density.length).toBeGreaterThan(10);

    const bad = (await call('bsde-hedge-schedule', { runId, path: 256 })) as Err;
    expect(bad.error.message).toContain('the run has 256 paths');
  }, 120_000);

  it('two threads give the same PnL bits as one (each path has its own random stream)', async () => {
    ws = await openWorkstation();
    const { solveRunId } = await solvedBook();
    const pnlWith = async (threads: string): Promise<Float64Array> => {
      process.env.BSDE_HEDGE_THREADS = threads;
      try {
        const { runId } = await ok<{ runId: string }>('bsde-hedge', { solveRunId, ...hedge, paths: 1100 });
        await ws!.jobs.idle();
        expect(ws!.runs.get(runId)!.status).toBe('done');
        return ws!.runs.getArray(runId, 'pnl') as Float64Array;
      } finally {
        delete process.env.BSDE_HEDGE_THREADS;
      }
    };
    const one = await pnlWith('1');
    const two = await pnlWith('2');
    expect(two).toHaveLength(1100);
    expect(Array.from(two)).toEqual(Array.from(one));
  }, 120_000);

  it('rejects settings that do not fit the solve, naming the field, and stores nothing', async () => {
    ws = await openWorkstation();
    const { solveRunId } = await solvedBook();
    const before = ws.runs.list('bsde-hedge').length;
    const r1 = (await call('bsde-hedge', { solveRunId, ...hedge, rebalance: 3 })) as Err;
    expect(r1.ok).toBe(false);
    expect(r1.error.fields?.[0]).toMatchObject({ field: 'rebalance', value: 3 });
    expect(r1.error.message).toContain('choose one of 1, 2, 4');
    const r2 = (await call('bsde-hedge', { solveRunId, ...hedge, steps: 12 })) as Err;
    expect(r2.error.fields?.[0].field).toBe('steps');
    const r3 = (await call('bsde-hedge', { solveRunId, ...hedge, instruments: { ...DEFAULT_INSTRUMENTS, maturity: 0.5 } })) as Err;
    expect(r3.error.fields?.[0].field).toBe('instruments.maturity');
    const r4 = (await call('bsde-hedge', { solveRunId, ...hedge, paths: 3 })) as Err;
    expect(r4.error.message).toContain('paths');
    const r5 = (await call('bsde-hedge', { solveRunId: 'aaaaaaaa-0000', ...hedge })) as Err;
    expect(r5.error.code).toBe('RUN_NOT_FOUND');
    expect(ws.runs.list('bsde-hedge')).toHaveLength(before);
  }, 120_000);

  it('compares delta and delta-gamma across R on an existing solve, with the closed form on its own grid', async () => {
    ws = await openWorkstation();
    const { solveRunId } = await solvedBook();
    const res = await ok<{ groupId: string; runIds: string[] }>('bsde-compare', {
      solveRunIds: [solveRunId],
      greeks: ['network', 'closed-form'],
      strategies: ['delta', 'delta-gamma'],
      rebalance: [1, 2, 4, 12],
      paths: 256,
      closedFormSteps: 12,
      instruments: DEFAULT_INSTRUMENTS,
      seed: 3,
    });
    // network: R in {1, 2, 4} (N = 4); closed form: {1, 2, 4, 12} (N = 12); two strategies each.
    expect(res.runIds).toHaveLength(2 * 3 + 2 * 4);
    await ws.jobs.idle();
    const cmp = await ok<HedgeComparison>('bsde-compare-get', { groupId: res.groupId });
    expect(cmp.cells.every((c) => c.status === 'done' && c.stats)).toBe(true);
    expect(cmp.solveRunIds).toEqual([solveRunId]);
    const cf = (s: string, R: number) => cmp.cells.find((c) => c.greeks === 'closed-form' && c.strategy === s && c.rebalance === R)!.stats!.variance;
    expect(cf('delta-gamma', 12)).toBeLessThan(cf('delta', 12));
    expect(cf('delta', 12)).toBeLessThan(cf('delta', 1));
    expect(cmp.findings.some((f) => f.startsWith('closed-form Greeks: at equal R'))).toBe(true);
    const list = await ok<HedgeComparison[]>('bsde-comparisons-list', {});
    expect(list.map((c) => c.groupId)).toContain(res.groupId);
  }, 180_000);

  it('one action: solves the book with both schemes first, then hedges with each (OSM versus RDBDP)', async () => {
    ws = await openWorkstation();
    const { bookId } = await ok<{ bookId: string }>('portfolio-save', { bookId: null, baseVersion: null, book: { ...presetBook('B3', { assets: 2, sigma: 0.4 }), name: 'B3 small' } });
    const res = await ok<{ groupId: string; solveRunIds: string[]; runIds: string[] }>('bsde-compare', {
      solve: { bookId, schemes: ['osm', 'rdbdp'], ...solver },
      greeks: ['network'],
      strategies: ['delta'],
      rebalance: [2, 4],
      paths: 128,
      closedFormSteps: null,
      instruments: DEFAULT_INSTRUMENTS,
      seed: 3,
    });
    expect(res.solveRunIds).toHaveLength(2);
    expect(res.runIds).toHaveLength(4);
    await ws.jobs.idle();
    const cmp = await ok<HedgeComparison>('bsde-compare-get', { groupId: res.groupId });
    expect(cmp.solveRunIds.sort()).toEqual([...res.solveRunIds].sort());
    expect(new Set(cmp.cells.map((c) => c.scheme))).toEqual(new Set(['osm', 'rdbdp']));
    expect(cmp.cells.every((c) => c.status === 'done')).toBe(true);
    expect(cmp.findings.some((f) => f.includes('OSM Deltas give a variance'))).toBe(true);
  }, 240_000);

  it('refuses a comparison where no cell fits, creating no group and no run', async () => {
    ws = await openWorkstation();
    const { solveRunId } = await solvedBook();
    const runsBefore = ws.runs.list().length;
    const r = (await call('bsde-compare', { solveRunIds: [solveRunId], greeks: ['network'], strategies: ['delta'], rebalance: [3, 5], paths: 64, closedFormSteps: null, instruments: DEFAULT_INSTRUMENTS, seed: 1 })) as Err;
    expect(r.ok).toBe(false);
    expect(r.error.message).toContain('none of R = 3, 5 divides the grid N = 4');
    expect(ws.runs.list().length).toBe(runsBefore);
    expect(await ok<HedgeComparison[]>('bsde-comparisons-list', {})).toHaveLength(0);
  }, 120_000);
});
