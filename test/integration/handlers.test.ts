import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/host/dispatch';
import { type Workstation } from '../../src-main/workstation';
import { type EventName } from '../../src-shared/api/contract';
import { DEFAULT_HEDGE_CONFIG } from '../../src-shared/hedging/config';
import { ROOT, openWorkstation } from '../helpers/host';
import { tempDir } from '../helpers/tmp';

let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});

const call = async (method: string, args: unknown) => {
  const r = await dispatch(ws!.handlers, 1, method, args);
  return r;
};
const small = { ...DEFAULT_HEDGE_CONFIG, paths: 20_000, label: 'small' };

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

describe('hedging and runs handlers through the contract', () => {
  it('starts a run, pushes progress, stores metrics and the PnL sample', async () => {
    ws = await openWorkstation();
    const events: string[] = [];
    ws.subscribe((e) => events.push(e));
    const r = await call('hedging-start', small);
    expect(r.ok).toBe(true);
    const { runId } = (r as { result: { runId: string } }).result;
    await waitFor('run-finished', runId);
    expect(events).toContain('run-progress');
    const got = await call('runs-get', { runId });
    const run = (got as { result: { status: string; backend: string; metrics: Record<string, number>; wallMs: number } }).result;
    expect(run.status).toBe('done');
    expect(run.backend).toBe('js-float64');
    expect(run.wallMs).toBeGreaterThan(0);
    for (const k of ['mean', 'std', 'entropic', 'var90', 'var95', 'var99', 'es90', 'es95', 'es99', 'indifferencePrice']) {
      expect(Number.isFinite(run.metrics[k])).toBe(true);
    }
    expect(run.metrics.es99).toBeGreaterThanOrEqual(run.metrics.es90);
    const list = (await call('runs-list', {})) as { result: Array<{ id: string }> };
    expect(list.result.map((x) => x.id)).toContain(runId);
    const dist = (await call('runs-distribution', { runIds: [runId], bins: 50 })) as { ok: true; result: { edges: number[]; series: Array<{ density: number[] }> } };
    expect(dist.ok).toBe(true);
    expect(dist.result.edges).toHaveLength(51);
    expect(dist.result.series[0].density).toHaveLength(50);
  });

  it('is deterministic: the same seed gives the same metrics', async () => {
    ws = await openWorkstation();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = (await call('hedging-start', small)) as { result: { runId: string } };
      ids.push(r.result.runId);
    }
    await ws.jobs.idle();
    const [a, b] = ids.map((id) => ws!.runs.get(id)!.metrics!);
    expect(a).toEqual(b);
  });

  it.each([
    ['sigma', -0.1, /volatility σ must be > 0/],
    ['sigma', 0, /volatility σ must be > 0/],
    ['sigma', 'abc', /volatility σ must be a number/],
    ['strike', 0, /strike K must be > 0/],
    ['steps', 0, /rebalancing steps must be >= 1/],
    ['steps', 2.5, /whole number/],
    ['paths', 50_000_000, /memory-safe limit/],
    ['option', 'asian', /option must be european or lookback/],
  ])('rejects %s = %j naming the field and value, and writes nothing', async (field, value, msg) => {
    ws = await openWorkstation();
    const r = await call('hedging-start', { ...small, [field]: value });
    expect(r.ok).toBe(false);
    const err = (r as { error: { type: string; message: string; fields: Array<{ field: string; message: string; value: unknown }> } }).error;
    expect(err.type).toBe('validation');
    expect(err.fields[0].field).toBe(field);
    expect(err.fields[0].message).toMatch(msg);
    expect(err.fields[0].value).toEqual(value);
    expect(err.message).toContain(JSON.stringify(value));
    expect(ws.runs.list()).toHaveLength(0);
  });

  it('rejects NaN (sent as null over JSON), unknown fields, unknown methods and non-object args', async () => {
    ws = await openWorkstation();
    const nan = await call('hedging-start', { ...small, strike: null });
    expect(nan.ok).toBe(false);
    const extra = await call('hedging-start', { ...small, rogue: 1 });
    expect(extra.ok || (extra as { error: { message: string } }).error.message).toMatch(/unknown field "rogue"/);
    const unknown = await call('hedging-explode', {});
    expect(unknown).toMatchObject({ ok: false, error: { type: 'protocol', code: 'UNKNOWN_METHOD' } });
    const notObject = await call('runs-get', 42);
    expect(notObject.ok).toBe(false);
    expect(ws.runs.list()).toHaveLength(0);
  });

  it('cancels a running job promptly and records it as cancelled', async () => {
    ws = await openWorkstation();
    const r = (await call('hedging-start', { ...small, paths: 2_000_000, steps: 100 })) as { result: { runId: string } };
    const { runId } = r.result;
    await waitFor('run-progress', runId);
    const t0 = Date.now();
    const c = await call('runs-cancel', { runId });
    expect(c.ok).toBe(true);
    await waitFor('run-cancelled', runId);
    expect(Date.now() - t0).toBeLessThan(1500);
    const run = ws.runs.get(runId)!;
    expect(run.status).toBe('cancelled');
    expect(ws.runs.getArray(runId, 'pnl')).toBeNull();
    const del = await call('runs-delete', { runIds: [runId] });
    expect(del).toMatchObject({ ok: true, result: { deleted: 1 } });
    expect(await call('runs-get', { runId })).toMatchObject({ ok: false, error: { code: 'RUN_NOT_FOUND' } });
  });

  it('refuses to delete a run in progress', async () => {
    ws = await openWorkstation();
    const r = (await call('hedging-start', { ...small, paths: 2_000_000, steps: 100 })) as { result: { runId: string } };
    const del = await call('runs-delete', { runIds: [r.result.runId] });
    expect(del).toMatchObject({ ok: false, error: { code: 'RUN_IN_PROGRESS' } });
    await call('runs-cancel', { runId: r.result.runId });
    await ws.jobs.idle();
  });

  it('a crashing job leaves its run failed with the error, and the app keeps working', async () => {
    ws = await openWorkstation({ workerPath: join(ROOT, 'test', 'fixtures', 'crashing-worker.mjs') });
    const r = (await call('hedging-start', small)) as { result: { runId: string } };
    const failed = (await waitFor('run-failed', r.result.runId)) as { error: { code: string; message: string } };
    expect(failed.error.code).toBe('WORKER_EXIT');
    const run = ws.runs.get(r.result.runId)!;
    expect(run.status).toBe('failed');
    expect(run.error!.message).toMatch(/exited \(code 3\)/);
    expect((await call('runs-list', {})).ok).toBe(true);
  });

  it('seeds the example run once on a fresh store and reports system info', async () => {
    const dataDir = tempDir();
    ws = await openWorkstation({ dataDir, seedExample: true });
    const runs = ws.runs.list();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'done', model: 'bsdh', config: { option: 'european', strike: 1, sigma: 0.1, steps: 30, cost: 0.002 } });
    const info = (await call('system-info', {})) as { result: { dataDir: string } };
    expect(info.result.dataDir).toBe(dataDir);
    await ws.close();
    ws = await openWorkstation({ dataDir, seedExample: true });
    expect(ws.runs.list()).toHaveLength(1);
  });
});
