import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/host/dispatch';
import { seedOrderbookExample } from '../../src-main/domains/orderbook/seed';
import { type Workstation } from '../../src-main/workstation';
import { type AnyRun } from '../../src-shared/api/runs';
import { type HedgeMetrics, type HedgeRunConfig } from '../../src-shared/hedging/config';
import { type PathSetSummary } from '../../src-shared/orderbook/contract';
import { openWorkstation } from '../helpers/host';

let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});

const call = async (method: string, args: unknown) => dispatch(ws!.handlers, 1, method, args);
const ok = async <T>(method: string, args: unknown): Promise<T> => {
  const r = await call(method, args);
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.result as T;
};

/** A workstation with the first-start example path set ("Example: 30 x 10 s windows, all-level WAP"). */
async function withExample(): Promise<PathSetSummary> {
  ws = await openWorkstation();
  const seeded = await seedOrderbookExample(ws);
  expect(seeded).not.toBeNull();
  const sets = await ok<PathSetSummary[]>('orderbook-path-sets', {});
  const set = sets.find((s) => s.id === seeded!.pathSetId)!;
  expect(set.test).toBeGreaterThanOrEqual(2);
  expect(set.train).toBeGreaterThanOrEqual(1);
  return set;
}

describe('deep hedging on an order-book path set', () => {
  it('trains a small DHNTB lookback run on the example path set: its test windows, its steps, sigma = sigmaTrain', async () => {
    const set = await withExample();
    const { runId } = await ok<{ runId: string }>('hedging-start', {
      model: 'ntb',
      option: 'lookback',
      strike: 1,
      sigma: 0.3, // replaced by the set's sigmaTrain
      drift: 0,
      days: 30,
      steps: 30,
      cost: 0.002,
      paths: 1000, // replaced by the set's test window count
      seed: 5,
      epochs: 3,
      trainPaths: 200,
      monitorPaths: 100,
      data: { kind: 'paths', datasetId: set.id },
    });
    await ws!.jobs.idle();
    const run = (await ok<AnyRun>('runs-get', { runId })) as AnyRun;
    expect(run.status, run.error?.message ?? '').toBe('done');
    const cfg = run.config as HedgeRunConfig & { data?: { kind: string; datasetId: string } };
    expect(cfg.data).toEqual({ kind: 'paths', datasetId: set.id });
    expect(cfg.steps).toBe(set.steps);
    expect(cfg.sigma).toBeCloseTo(set.sigmaTrain, 5);
    expect(cfg.days).toBeCloseTo(set.steps * set.dtYears * 365, 12);
    expect(cfg.paths).toBe(set.test);
    const m = run.metrics as HedgeMetrics;
    expect(m.training?.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    // the test set is every test window: one PnL per window, and their realised vol is the set's test vol
    const pnl = ws!.runs.getArray(runId, 'pnl') as Float64Array;
    expect(pnl.length).toBe(set.test);
    expect(m.testRealisedVol).toBeCloseTo(set.sigmaTest, 3);
    expect(pnl.every(Number.isFinite)).toBe(true);

    // the trained weights evaluated again on the same set: same windows, same PnL
    const ev = await ok<{ runId: string }>('hedging-evaluate', { runId, data: { kind: 'paths', datasetId: set.id } });
    await ws!.jobs.idle();
    const evRun = (await ok<AnyRun>('runs-get', { runId: ev.runId })) as AnyRun;
    expect(evRun.status, evRun.error?.message ?? '').toBe('done');
    const evPnl = ws!.runs.getArray(ev.runId, 'pnl') as Float64Array;
    expect(evPnl.length).toBe(set.test);
    for (let k = 0; k < set.test; k++) expect(evPnl[k]).toBeCloseTo(pnl[k], 9);
  }, 120_000);

  it('BSDH on the path set hedges the same test windows; an unknown path set is a field error', async () => {
    const set = await withExample();
    const { runId } = await ok<{ runId: string }>('hedging-start', {
      model: 'bsdh', option: 'lookback', strike: 1, sigma: 0.1, drift: 0, days: 30, steps: 30, cost: 0.002, paths: 100, seed: 5,
      data: { kind: 'paths', datasetId: set.id },
    });
    await ws!.jobs.idle();
    const run = (await ok<AnyRun>('runs-get', { runId })) as AnyRun;
    expect(run.status, run.error?.message ?? '').toBe('done');
    expect((ws!.runs.getArray(runId, 'pnl') as Float64Array).length).toBe(set.test);
    expect((run.metrics as HedgeMetrics).testRealisedVol).toBeCloseTo(set.sigmaTest, 3);

    const bad = await call('hedging-start', { model: 'ntb', option: 'lookback', strike: 1, sigma: 0.1, drift: 0, days: 30, steps: 30, cost: 0.002, paths: 100, seed: 5, data: { kind: 'paths', datasetId: 'nope' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('PATH_SET_NOT_FOUND');
      expect(bad.error.fields?.[0].field).toBe('data.datasetId');
    }
  }, 120_000);

  it('E4 at quick scale creates its grouped runs on the newest path set (lookback K = 1, epochs then costs)', async () => {
    const set = await withExample();
    const { groupId, runIds } = await ok<{ groupId: string; runIds: string[] }>('hedging-experiment', { id: 'E4', scale: 'quick', seed: 2 });
    // 4 hedgers x (1 convergence run + 4 cost runs)
    expect(runIds).toHaveLength(20);
    await ok('hedging-experiment-cancel', { groupId });
    await ws!.jobs.idle();
    for (const id of runIds) {
      const r = (await ok<AnyRun>('runs-get', { runId: id })) as AnyRun;
      const c = r.config as HedgeRunConfig & { data?: { kind: string; datasetId: string } };
      expect(c.option).toBe('lookback');
      expect(c.strike).toBe(1);
      expect(c.data).toEqual({ kind: 'paths', datasetId: set.id });
      expect(c.steps).toBe(set.steps);
      expect(c.paths).toBe(set.test);
      expect(c.sigma).toBeCloseTo(set.sigmaTrain, 5);
      expect(r.groupId).toBe(groupId);
    }
    const d = await ok<{ label: string; cells: Array<{ key: string }> }>('hedging-experiment-get', { groupId });
    expect(d.label).toContain(set.label);
    expect(d.cells.map((x) => x.key)).toEqual(['conv:K1:e2', 'conv:K1:e4', 'conv:K1:e6', 'conv:K1:e8', 'cost:K1:c0.002', 'cost:K1:c0.004', 'cost:K1:c0.006', 'cost:K1:c0.008']);
    const list = await ok<{ presets: Array<{ id: string; unavailable?: string; needsPathSet?: boolean }> }>('hedging-experiments', {});
    expect(list.presets.find((p) => p.id === 'E4')).toMatchObject({ needsPathSet: true });
    expect(list.presets.find((p) => p.id === 'E4')?.unavailable).toBeUndefined();
  }, 120_000);

  it('E4 without any path set says what to do, naming pathSetId', async () => {
    ws = await openWorkstation();
    const r = await call('hedging-experiment', { id: 'E4', scale: 'quick', seed: 2 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('EXPERIMENT_UNAVAILABLE');
      expect(r.error.message).toMatch(/build a path set/);
      expect(r.error.fields?.[0].field).toBe('pathSetId');
    }
  });
});
