import { afterEach, describe, expect, it } from 'vitest';
import { type EventName } from '../../../src-shared/api/contract';
import { DEFAULT_HEDGE_CONFIG } from '../../../src-shared/hedging/config';
import { JobManager } from '../../../src-main/jobs/manager';
import { openDb, type Db } from '../../../src-main/store/db';
import { runQueries } from '../../../src-main/store/queries/runs';
import { SOURCE_WORKER } from '../../helpers/paths';
import { tempDir } from '../../helpers/tmp';
import { ScriptedCluster } from '../../helpers/scriptedCluster';

/**
 * The job manager's cluster routing with a scripted backend (no Redis): which jobs go to the cluster, that they
 * take no local slot, that a result delivered twice is stored once, cancel, and reattach after a restart.
 */
const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

function manager(dataDir = tempDir(), concurrency = 1) {
  const db = openDb({ dataDir });
  dbs.push(db);
  const runs = runQueries(db);
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const jobs = new JobManager({ runs, workerPath: SOURCE_WORKER, dataDir, emit: (event, payload) => events.push({ event, payload }), concurrency });
  return { db, runs, jobs, events, dataDir };
}

const hedge = { kind: 'hedge' as const, config: { ...DEFAULT_HEDGE_CONFIG, paths: 500 } };
const meta = { model: 'bsdh', label: 'cluster test', total: 500 };
/** A manager on a scripted cluster with one hedge run submitted and handed over; `ev` are its backend events. */
async function oneClusterRun() {
  const m = manager();
  const b = new ScriptedCluster();
  m.jobs.useCluster(b);
  const id = m.jobs.submit(hedge, meta);
  await Promise.resolve();
  return { ...m, b, id, ev: b.submitted.get(id)!.events };
}

const out = () => ({ wallMs: 12, metrics: { mean: -0.01 }, arrays: { pnl: new Float64Array([1, 2, 3]) } });

describe('JobManager on a cluster backend', () => {
  it('sends every job the backend takes to it, without a local slot, and records compute cluster', async () => {
    const { jobs, runs } = manager(undefined, 1);
    const b = new ScriptedCluster();
    jobs.useCluster(b);
    const ids = [1, 2, 3].map(() => jobs.submit(hedge, meta));
    await Promise.resolve();
    // concurrency 1 locally, yet all three were handed to the cluster at once
    expect([...b.submitted.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(runs.get(id)).toMatchObject({ status: 'queued', compute: 'cluster' });
    for (const id of ids) {
      const ev = b.submitted.get(id)!.events;
      ev.started('wasm', 'w1');
      ev.result(out());
    }
    await jobs.idle();
    for (const id of ids) expect(runs.get(id)).toMatchObject({ status: 'done', backend: 'wasm', compute: 'cluster' });
  });

  it('stores a result delivered twice once: same row, same arrays, one run-finished', async () => {
    const { runs, events, id, ev } = await oneClusterRun();
    ev.started('js-float64', 'w1');
    ev.result(out());
    const first = runs.get(id)!;
    ev.result({ wallMs: 99, metrics: { mean: 5 }, arrays: { pnl: new Float64Array([9]), other: new Float64Array([1]) } });
    // the store itself refuses a second result quietly (a second process attached to the same run)
    expect(runs.finish(id, { wallMs: 77, metrics: { mean: 7 }, arrays: { pnl: new Float64Array([7]) } })).toBe(false);
    const after = runs.get(id)!;
    expect(after).toEqual(first);
    expect(after.metrics).toEqual({ mean: -0.01 });
    expect(Array.from(runs.getArray(id, 'pnl')!)).toEqual([1, 2, 3]);
    expect(runs.getArray(id, 'other')).toBeNull();
    expect(events.filter((e) => e.event === 'run-finished')).toHaveLength(1);
  });

  it('runs a kind the backend refuses on this machine, recording compute local', async () => {
    const { jobs, runs } = manager();
    const b = new ScriptedCluster((job) => (job.kind === 'hedge' ? 'needs the store (test)' : null));
    jobs.useCluster(b);
    const id = jobs.submit(hedge, meta);
    expect(b.submitted.size).toBe(0);
    expect(runs.get(id)!.compute).toBe('local');
    await jobs.idle();
    expect(runs.get(id)).toMatchObject({ status: 'done', compute: 'local', backend: 'js-float64' });
  }, 60_000);

  it('cancels through the backend; a late result is not stored', async () => {
    const { jobs, runs, events, b, id, ev } = await oneClusterRun();
    ev.started('wasm', 'w1');
    expect(jobs.cancel(id)).toBe(true);
    await jobs.idle();
    expect(b.cancelled).toEqual([id]);
    expect(runs.get(id)!.status).toBe('cancelled');
    ev.result(out());
    expect(runs.get(id)!.status).toBe('cancelled');
    expect(runs.getArray(id, 'pnl')).toBeNull();
    expect(events.filter((e) => e.event === 'run-cancelled')).toHaveLength(1);
  });

  it('keeps cluster runs through a restart (not interrupted) and reattaches them when a backend is set', async () => {
    const dataDir = tempDir();
    const a = manager(dataDir);
    const b1 = new ScriptedCluster();
    a.jobs.useCluster(b1);
    const remoteId = a.jobs.submit(hedge, meta);
    await Promise.resolve();
    b1.submitted.get(remoteId)!.events.started('wasm', 'w1');
    // the app quits: local runs would be cancelled, the cluster run is left to the cluster
    await a.jobs.shutdown();
    expect(b1.closed).toBe(1);
    expect(a.runs.get(remoteId)!.status).toBe('running');
    // a local run left live by a dead process, to compare with
    a.runs.create({ id: 'local-left-1', kind: 'hedge', model: 'bsdh', label: 'l', config: hedge.config, seed: 1, total: 1 });
    a.db.prepare(`UPDATE runs SET owner_pid = 999999999`).run();

    const again = manager(dataDir);
    expect(again.runs.markInterrupted()).toEqual(['local-left-1']);
    expect(again.runs.get(remoteId)!.status).toBe('running');
    expect(again.runs.liveCluster()).toEqual([remoteId]);
    const b2 = new ScriptedCluster();
    again.jobs.useCluster(b2);
    expect(b2.reattached).toEqual([remoteId]);
    expect(again.jobs.isLive(remoteId)).toBe(true);
    b2.submitted.get(remoteId)!.events.result(out());
    await again.jobs.idle();
    expect(again.runs.get(remoteId)).toMatchObject({ status: 'done', compute: 'cluster' });
  });

  it('leaves cluster runs waiting when the backend is cleared, and reattaches them to the next one', async () => {
    const { jobs, runs } = manager();
    const b1 = new ScriptedCluster();
    jobs.useCluster(b1);
    const id = jobs.submit(hedge, meta);
    await Promise.resolve();
    jobs.useCluster(null);
    expect(b1.closed).toBe(1);
    expect(jobs.isLive(id)).toBe(false);
    // events of the detached backend are dropped
    b1.submitted.get(id)!.events.failed({ type: 'job', code: 'X', message: 'late' });
    expect(runs.get(id)!.status).toBe('queued');
    const b2 = new ScriptedCluster();
    jobs.useCluster(b2);
    expect(b2.reattached).toEqual([id]);
    b2.submitted.get(id)!.events.failed({ type: 'job', code: 'JOB_FAILED', message: 'boom' });
    await jobs.idle();
    expect(runs.get(id)).toMatchObject({ status: 'failed', error: { code: 'JOB_FAILED', message: 'boom' } });
  });
});
