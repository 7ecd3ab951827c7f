import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SOLVER_PRESETS } from '../../src-shared/bsde/config';
import { presetBook } from '../../src-shared/portfolio/presets';
import { type PathsMetrics } from '../../src-shared/orderbook/contract';
import { estimateHedging, pathSetWindows } from '../../src-shared/limits/estimate';
import { loadWorkGuard } from '../../src-main/limits/guard';
import { type Workstation } from '../../src-main/workstation';
import { ROOT } from '../helpers/host';
import { rpc } from '../helpers/rpc';
import { tempDir } from '../helpers/tmp';

/**
 * Issue 13 item 4: every job's work, time and disk are estimated before it starts; a request over the limits
 * is refused with the estimate in the message unless it says `allowLong: true`; the queue is capped; limits
 * come from limits.json in the data folder, the environment and flags. Before, `hedging-start` with 5,000
 * epochs x 200k paths and a 300-job burst were accepted.
 */

let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});

const open = async (opts: { flags?: Record<string, unknown>; concurrency?: number } = {}): Promise<{ w: Workstation; call: ReturnType<typeof rpc>['call']; dataDir: string }> => {
  const dataDir = tempDir('hw-limits-');
  const guard = loadWorkGuard({ dataDir, env: {}, flags: opts.flags });
  const { createWorkstation } = await import('../../src-main/workstation');
  const { SOURCE_WORKER, testFilePolicy } = await import('../helpers/host');
  const w = await createWorkstation({ dataDir, workerPath: SOURCE_WORKER, transport: 'browser', appVersion: 'test', probe: false, guard, concurrency: opts.concurrency, files: testFilePolicy(dataDir) });
  ws = w;
  return { w, call: rpc(() => w).call, dataDir };
};

const huge = { model: 'mlp', option: 'european', strike: 1, sigma: 0.2, drift: 0, days: 30, steps: 5, cost: 0.002, paths: 10_000, seed: 1, epochs: 5000, trainPaths: 200_000 };

describe('work limits', () => {
  it('refuses hedging-start over 2 h of estimated work with the estimate, and starts it with allowLong', async () => {
    const { w, call } = await open();
    const est = estimateHedging({ model: 'mlp', steps: 5, paths: 10_000, epochs: 5000, trainPaths: 200_000 });
    expect(est.seconds / 3600).toBeGreaterThan(2);
    const r = await call('hedging-start', huge);
    if (r.ok) throw new Error('accepted');
    expect(r.error).toMatchObject({ type: 'validation', code: 'TOO_MUCH_WORK' });
    expect(r.error.message).toContain(`≈ ${(est.seconds / 3600).toFixed(1)} h of work is over the limit of 2.0 h`);
    expect(r.error.message).toMatch(/path-steps/);
    expect(r.error.message).toMatch(/allowLong/);
    expect(w.runs.list('hedge')).toHaveLength(0);

    const forced = await call<{ runId: string }>('hedging-start', { ...huge, allowLong: true });
    if (!forced.ok) throw new Error(forced.error.message);
    expect(w.runs.get(forced.result.runId)?.config).not.toHaveProperty('allowLong');
    w.jobs.cancel(forced.result.runId);
  });

  it('refuses a BSDE solve of ~1e9 Adam iterations, naming the estimate', async () => {
    const { w, call } = await open();
    const saved = await call<{ bookId: string }>('portfolio-save', { bookId: null, baseVersion: null, book: { ...presetBook('B1', { assets: 2 }), name: 'limits book' } });
    if (!saved.ok) throw new Error(saved.error.message);
    const solve = { bookId: saved.result.bookId, scheme: 'osm', seed: 1, ...SOLVER_PRESETS.tiny.config, steps: 500, iterationsLast: 1_000_000, iterationsOther: 1_000_000 };
    const r = await call('bsde-solve', solve);
    if (r.ok) throw new Error('accepted');
    expect(r.error.code).toBe('TOO_MUCH_WORK');
    expect(r.error.message).toMatch(/BSDE solve \(osm\) is too big to start: ≈ [\d.]+ days of work/);
    expect(w.runs.list('bsde-solve')).toHaveLength(0);
    const small = await call('bsde-solve', { ...solve, steps: 2, iterationsLast: 10, iterationsOther: 10, samplesT0: 1024 });
    expect(small.ok).toBe(true);
  });

  it('estimates a path set exactly (windows) and refuses one over the disk limit unless allowLong', async () => {
    // 1 kB of disk allowed: the sample's path set (tens of kB) is over it.
    const { w, call } = await open({ flags: { maxDiskGB: 1e-6 } });
    const imp = await call<{ runId: string }>('orderbook-import', { path: join(ROOT, 'resources', 'samples', 'orderbook', 'book_train.csv') });
    if (!imp.ok) throw new Error(imp.error.message);
    await w.jobs.idle();
    const datasetId = (w.runs.get(imp.result.runId)?.metrics as { datasetId: string }).datasetId;
    const cfg = { datasetId, steps: 30, intervalSeconds: 10, windows: 'rolling', stride: 7 };
    const r = await call('orderbook-build-paths', cfg);
    if (r.ok) throw new Error('accepted');
    expect(r.error.code).toBe('TOO_MUCH_WORK');
    expect(r.error.message).toMatch(/path set is too big to start: ≈ [\d.]+ kB on disk is over the limit of 1\.0 kB/);
    const built = await call<{ runId: string }>('orderbook-build-paths', { ...cfg, allowLong: true });
    if (!built.ok) throw new Error(built.error.message);
    await w.jobs.idle();
    const m = w.runs.get(built.result.runId)?.metrics as PathsMetrics;
    const ds = await call<{ bucketSeconds: number; stocksTable: Array<{ buckets: number }> }>('orderbook-dataset-get', { datasetId });
    if (!ds.ok) throw new Error(ds.error.message);
    const est = pathSetWindows({ steps: 30, stride: 7, intervalSeconds: 10, bucketSeconds: ds.result.bucketSeconds, rolling: true, bucketsPerStock: ds.result.stocksTable.map((s) => s.buckets) });
    // Every window the estimate counts is cut: stored in train or test, or dropped for straddling the cut.
    expect(m.train + m.test + m.dropped).toBe(est);
    expect(m.dropped).toBeGreaterThan(0);
  });

  it('caps the queue: the request past maxQueued is refused with QUEUE_FULL, groups start whole or not at all', async () => {
    const { w, call } = await open({ flags: { maxQueued: 3 }, concurrency: 1 });
    const bsdh = { model: 'bsdh', option: 'european', strike: 1, sigma: 0.2, drift: 0, days: 30, steps: 30, cost: 0.002, paths: 1000, seed: 1 };
    const accepted: string[] = [];
    let refused: { code: string; message: string } | null = null;
    for (let i = 0; i < 10 && !refused; i++) {
      const r = await call<{ runId: string }>('hedging-start', { ...bsdh, seed: i });
      if (r.ok) accepted.push(r.result.runId);
      else refused = r.error;
    }
    expect(refused?.code).toBe('QUEUE_FULL');
    expect(refused?.message).toMatch(/3 jobs are already waiting to run \(the limit is 3\)/);
    expect(accepted.length).toBeGreaterThanOrEqual(3);
    expect(accepted.length).toBeLessThanOrEqual(4); // 3 queued + at most 1 already running
    const group = await call('hedging-compare', { ...bsdh, model: 'mlp', epochs: 1, trainPaths: 16 });
    expect(group.ok ? 'ok' : group.error.code).toBe('QUEUE_FULL');
    expect(w.runs.list('hedge')).toHaveLength(accepted.length);
    for (const id of accepted) w.jobs.cancel(id);
  });
});

describe('limit settings', () => {
  it('reads limits.json, then the environment, then flags; reports bad entries', () => {
    const dataDir = tempDir('hw-limits-set-');
    writeFileSync(join(dataDir, 'limits.json'), JSON.stringify({ maxHours: 5, maxDiskGB: 'lots', colour: 'red' }));
    const g = loadWorkGuard({ dataDir, env: { HEDGE_MAX_QUEUED: '7' }, flags: { maxDiskGB: '0.5' } });
    expect(g.limits).toEqual({ maxSeconds: 5 * 3600, maxDiskBytes: 0.5e9, maxQueued: 7 });
    expect(g.problems).toEqual(['limits.json: maxDiskGB must be a number > 0 (got "lots")', 'limits.json: unknown setting "colour" (known: maxHours, maxDiskGB, maxQueued)']);
    expect(loadWorkGuard({ dataDir: tempDir(), env: {} }).limits).toEqual({ maxSeconds: 7200, maxDiskBytes: 2e9, maxQueued: 20 });
  });
  it('HEDGE_FORCE=1 (CLI --force) lets everything through', () => {
    const g = loadWorkGuard({ dataDir: tempDir(), env: { HEDGE_FORCE: '1' } });
    expect(() => g.check(estimateHedging({ model: 'mlp', steps: 5, paths: 10_000, epochs: 5000, trainPaths: 200_000 }), false)).not.toThrow();
    const strict = loadWorkGuard({ dataDir: tempDir(), env: {} });
    expect(() => strict.check(estimateHedging({ model: 'mlp', steps: 5, paths: 10_000, epochs: 5000, trainPaths: 200_000 }), false)).toThrow(/too big to start/);
  });
});
