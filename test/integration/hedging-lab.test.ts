import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/host/dispatch';
import { type Workstation } from '../../src-main/workstation';
import { type EventName } from '../../src-shared/api/contract';
import { type HedgeEpochDetail, type HedgeMetrics, type HedgeRunConfig } from '../../src-shared/hedging/config';
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

function waitFor(event: EventName, runId: string): Promise<unknown> {
  return new Promise((resolve) => {
    const off = ws!.subscribe((e, p) => {
      if (e === event && (p as { runId?: string }).runId === runId) {
        off();
        resolve(p);
      }
    });
  });
}

/** A small DHNTB run: 6 epochs of 1,000 paths, 4,000 test paths. */
const small = {
  model: 'ntb',
  option: 'european',
  strike: 1,
  sigma: 0.1,
  drift: 0,
  days: 30,
  steps: 30,
  cost: 0.002,
  paths: 4000,
  seed: 3,
  epochs: 6,
  trainPaths: 1000,
  monitorPaths: 1000,
};

describe('deep hedging lab handlers', () => {
  it('trains a DHNTB run in a worker: one progress detail per epoch with the test histogram, metrics and weights stored', async () => {
    ws = await openWorkstation();
    const details: HedgeEpochDetail[] = [];
    ws.subscribe((e, p) => {
      const d = (p as { detail?: HedgeEpochDetail }).detail;
      if (e === 'run-progress' && d?.kind === 'hedge-epoch') details.push(d);
    });
    const { runId } = await ok<{ runId: string }>('hedging-start', small);
    await waitFor('run-finished', runId);
    expect(details.map((d) => d.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const d of details) {
      expect(d.histogram.counts.reduce((a, b) => a + b, 0) + d.histogram.clipped).toBe(1000);
      expect(d.reference.lo).toBe(d.histogram.lo);
      expect(Number.isFinite(d.record.trainLoss) && Number.isFinite(d.record.entropic) && Number.isFinite(d.record.es90)).toBe(true);
    }
    const run = ws.runs.get(runId)!;
    expect(run.status).toBe('done');
    expect(run.backend).toMatch(/wasm|cpu|tfjs/);
    const m = run.metrics as HedgeMetrics;
    expect(m.paths).toBe(4000);
    expect(m.training!.history).toHaveLength(6);
    expect(m.training!.layers.map((l) => l.weight)).toEqual([[3, 64], [64, 64], [64, 64], [64, 64], [64, 2]]);
    expect(ws.runs.getArray(runId, 'pnl')).toHaveLength(4000);
    expect(ws.runs.getArray(runId, 'w0')).toHaveLength(3 * 64);
    expect(ws.runs.getArray(runId, 'b4')).toHaveLength(2);
    const cps = await ok<{ epochs: number[]; resumable: boolean }>('hedging-checkpoints', { runId });
    expect(cps.epochs).toEqual([6]);
    expect(cps.resumable).toBe(false);
  });

  it('keeps BSDH requests without the new fields valid and rejects training fields on BSDH', async () => {
    ws = await openWorkstation();
    const bad = await call('hedging-start', { model: 'bsdh', option: 'european', strike: 1, sigma: 0.1, drift: 0, days: 30, steps: 30, cost: 0.002, paths: 1000, seed: 1, epochs: 5 });
    expect(bad.ok).toBe(false);
    expect((bad as { error: { message: string } }).error.message).toMatch(/unknown field "epochs"/);
    const badModel = await call('hedging-start', { ...small, model: 'lstm' });
    expect((badModel as { error: { fields: Array<{ field: string; message: string }> } }).error.fields[0]).toMatchObject({ field: 'model', message: expect.stringMatching(/model must be one of: bsdh, mlp, ntb, dhlnn/) });
    const badInner = await call('hedging-start', { ...small, model: 'dhlnn', innerSteps: -1 });
    expect((badInner as { error: { fields: Array<{ field: string; message: string }> } }).error.fields[0]).toMatchObject({ field: 'innerSteps' });
    const paths = await call('hedging-start', { ...small, data: { kind: 'paths', datasetId: 'wap-1' } });
    expect(paths).toMatchObject({ ok: false, error: { code: 'PATH_SET_NOT_FOUND', fields: [{ field: 'data.datasetId' }] } });
    expect(ws.runs.list()).toHaveLength(0);
  });

  it('cancels a DHLNN run mid-training and resumes it from the last saved epoch to the same result as an uninterrupted run', async () => {
    ws = await openWorkstation();
    const cfg = { ...small, model: 'dhlnn', epochs: 5, innerSteps: 2, seed: 9 };
    const ref = await ok<{ runId: string }>('hedging-start', { ...cfg, label: 'reference' });
    await waitFor('run-finished', ref.runId);

    const { runId } = await ok<{ runId: string }>('hedging-start', cfg);
    await new Promise<void>((resolve) => {
      const off = ws!.subscribe((e, p) => {
        const d = (p as { runId?: string; detail?: HedgeEpochDetail }).detail;
        if (e === 'run-progress' && (p as { runId: string }).runId === runId && d && d.epoch >= 2) {
          off();
          void call('runs-cancel', { runId });
          resolve();
        }
      });
    });
    await waitFor('run-cancelled', runId);
    const info = await ok<{ latest: number; resumable: boolean }>('hedging-checkpoints', { runId });
    expect(info.resumable).toBe(true);
    expect(info.latest).toBeGreaterThanOrEqual(2);
    expect(info.latest).toBeLessThan(5);
    const res = await ok<{ runId: string; fromEpoch: number }>('hedging-resume', { runId });
    expect(res.fromEpoch).toBe(info.latest);
    await waitFor('run-finished', res.runId);
    const cont = ws.runs.get(res.runId)!;
    expect((cont.config as HedgeRunConfig).resume).toEqual({ runId, epoch: info.latest });
    expect(cont.label).toMatch(/resumed after epoch/);
    const a = cont.metrics as HedgeMetrics;
    const b = ws.runs.get(ref.runId)!.metrics as HedgeMetrics;
    expect(a.training!.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(a.training!.startEpoch).toBe(info.latest);
    // deterministic: the resumed run ends with the uninterrupted run's weights and test PnL
    expect(Array.from(ws.runs.getArray(res.runId, 'w2')!)).toEqual(Array.from(ws.runs.getArray(ref.runId, 'w2')!));
    expect(a.entropic).toBe(b.entropic);
    // a finished run is not resumable
    const again = await call('hedging-resume', { runId: ref.runId });
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_RESUMABLE' } });
  }, 180_000);

  it('evaluates a trained run on out-of-distribution paths: the test paths really have the new sigma', async () => {
    ws = await openWorkstation();
    const { runId } = await ok<{ runId: string }>('hedging-start', small);
    await waitFor('run-finished', runId);
    const ev = await ok<{ runId: string }>('hedging-evaluate', { runId, data: { kind: 'gbm', sigma: 0.3 }, cost: 0.004 });
    await waitFor('run-finished', ev.runId);
    const run = ws.runs.get(ev.runId)!;
    const cfg = run.config as HedgeRunConfig;
    expect(cfg).toMatchObject({ testSigma: 0.3, sigma: 0.1, cost: 0.004, evaluation: { runId, epoch: 6 } });
    const m = run.metrics as HedgeMetrics;
    expect(m.testSigma).toBe(0.3);
    expect(Math.abs(m.testRealisedVol! / 0.3 - 1)).toBeLessThan(0.02);
    const base = ws.runs.get(runId)!.metrics as HedgeMetrics;
    expect(Math.abs(base.testRealisedVol! / 0.1 - 1)).toBeLessThan(0.02);
    // three times the volatility: a much wider PnL
    expect(m.std).toBeGreaterThan(2 * base.std);
    const dist = await ok<{ series: unknown[] }>('hedging-distribution', { items: [{ runId, array: 'pnl' }, { runId: ev.runId, array: 'pnl' }] });
    expect(dist.series).toHaveLength(2);
    const paths = await call('hedging-evaluate', { runId, data: { kind: 'paths', datasetId: 'x' } });
    expect(paths).toMatchObject({ ok: false, error: { code: 'PATH_SET_NOT_FOUND', fields: [{ field: 'data.datasetId' }] } });
    const bsdh = await ok<{ runId: string }>('hedging-start', { model: 'bsdh', option: 'european', strike: 1, sigma: 0.1, drift: 0, days: 30, steps: 30, cost: 0.002, paths: 1000, seed: 1 });
    await waitFor('run-finished', bsdh.runId);
    const notTrained = await call('hedging-evaluate', { runId: bsdh.runId, data: { kind: 'gbm', sigma: 0.2 } });
    expect(notTrained).toMatchObject({ ok: false, error: { code: 'NOT_A_TRAINED_RUN' } });
  }, 180_000);

  it('runs an experiment preset as grouped runs, reports its cells, cancels it as a whole and refuses E4 without a path set', async () => {
    ws = await openWorkstation();
    // no order-book path set in this store: E4 says what to do
    const e4 = await call('hedging-experiment', { id: 'E4' });
    expect(e4).toMatchObject({ ok: false, error: { code: 'EXPERIMENT_UNAVAILABLE', fields: [{ field: 'pathSetId' }] } });
    const badStrike = await call('hedging-experiment', { id: 'E1', strikes: [1.1] });
    expect(badStrike).toMatchObject({ ok: false, error: { fields: [{ field: 'strikes' }] } });
    const { groupId, runIds } = await ok<{ groupId: string; runIds: string[] }>('hedging-experiment', { id: 'E2', scale: 'quick', strikes: [1] });
    expect(runIds).toHaveLength(16);
    const all = ws.runs.list();
    expect(all.filter((r) => r.groupId === groupId)).toHaveLength(16);
    const c = await ok<{ cancelled: number }>('hedging-experiment-cancel', { groupId });
    expect(c.cancelled).toBeGreaterThan(0);
    await ws.jobs.idle();
    const d = await ok<{ runs: number; live: number; cells: Array<{ key: string; claim: string; entries: unknown[] }>; slots: Record<string, string> }>('hedging-experiment-get', { groupId });
    expect(d.runs).toBe(16);
    expect(d.live).toBe(0);
    expect(d.cells.map((x) => x.key)).toEqual(['cost:K1:c0.002', 'cost:K1:c0.004', 'cost:K1:c0.006', 'cost:K1:c0.008']);
    expect(d.cells.every((x) => x.entries.length === 4)).toBe(true);
    expect(Object.keys(d.slots)).toHaveLength(16);
    const list = await ok<{ experiments: Array<{ groupId: string; runs: number }>; presets: Array<{ id: string; unavailable?: string }> }>('hedging-experiments', {});
    expect(list.experiments.find((x) => x.groupId === groupId)?.runs).toBe(16);
    expect(list.presets.find((p) => p.id === 'E4')).toMatchObject({ needsPathSet: true });
  }, 120_000);

  it('splits training over two threads when asked, with the same result as one thread', async () => {
    ws = await openWorkstation();
    const cfg = { ...small, epochs: 2, label: 'threads' };
    const results: unknown[] = [];
    for (const threads of ['1', '2']) {
      process.env.HEDGE_TRAIN_THREADS = threads;
      try {
        const { runId } = await ok<{ runId: string }>('hedging-start', cfg);
        await waitFor('run-finished', runId);
        const run = ws.runs.get(runId)!;
        const m = run.metrics as { entropic: number; es90: number; mean: number; training: { threads: number } };
        expect(m.training.threads).toBe(Number(threads));
        results.push({ entropic: m.entropic, es90: m.es90, mean: m.mean });
      } finally {
        delete process.env.HEDGE_TRAIN_THREADS;
      }
    }
    expect(results[1]).toEqual(results[0]);
  }, 120_000);
});
