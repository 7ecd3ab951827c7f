import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAppError } from '../../src-shared/api/errors';
import { type AnyRun } from '../../src-shared/api/runs';
import { DEFAULT_HEDGE_CONFIG, type HedgeRunConfig, hedgeConfigSchema } from '../../src-shared/hedging/config';
import { type ExperimentDetail } from '../../src-shared/hedging/contract';
import { createClusterBackend } from '../../src-main/cluster/backend';
import { bullConnection, parseRedisUrl } from '../../src-main/cluster/connection';
import { PREFIX } from '../../src-main/cluster/keys';
import { failureOf } from '../../src-main/cluster/payload';
import { type ClusterBackend } from '../../src-main/cluster/types';
import { type Workstation } from '../../src-main/workstation';
import { openWorkstation, tempDir } from '../helpers/host';
import { rmSync } from 'node:fs';
import { makeTestCerts, startRedis, startWorkerProcess, type TestRedis, type WorkerProcess, until } from '../helpers/redis';
import { rpc } from '../helpers/rpc';

/**
 * The cluster end to end (issue 17): a real redis-server with a password on a free loopback port, two worker
 * PROCESSES (src-main/cluster/workerMain.ts, short lock and stalled check so a killed worker's job is retried
 * within seconds), and host workstations that send their jobs to the queue. Everything started is stopped in
 * afterAll; every wait is bounded.
 */
const QUEUE = `test-${process.pid}`;
const FAST = ['--lock-ms', '5000', '--stalled-ms', '2500'];

let redis: TestRedis;
const workers: WorkerProcess[] = [];
const stations: Workstation[] = [];
const backends: ClusterBackend[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

function worker(name: string, args: string[] = []): WorkerProcess {
  const w = startWorkerProcess(['--redis', redis.url, '--queue', QUEUE, ...FAST, ...args], name);
  workers.push(w);
  return w;
}
async function station(dataDir?: string): Promise<Workstation> {
  const ws = await openWorkstation(dataDir ? { dataDir } : {});
  stations.push(ws);
  return ws;
}
async function backend(): Promise<ClusterBackend> {
  const b = await createClusterBackend({ redisUrl: redis.url, queue: QUEUE });
  backends.push(b);
  return b;
}
const alive = (w: WorkerProcess): boolean => w.child.exitCode === null && w.child.signalCode === null;


/** Metrics without wall-clock figures (seconds per epoch), which differ between any two runs. */
function withoutTimes(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutTimes);
  if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) {
    return Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'seconds' && k !== 'secondsPerEpoch').map(([k, v]) => [k, withoutTimes(v)]));
  }
  return x;
}

beforeAll(async () => {
  redis = await startRedis();
  const w1 = worker('w1');
  const w2 = worker('w2');
  await Promise.all([w1.waitFor(/ready/, 90_000), w2.waitFor(/ready/, 90_000)]);
}, 120_000);

afterAll(async () => {
  for (const ws of stations) await ws.close().catch(() => {});
  for (const b of backends) await b.close().catch(() => {});
  for (const c of cleanups) await c().catch(() => {});
  await Promise.all(workers.map((w) => w.stop(5000)));
  await redis?.stop();
}, 60_000);

describe('cluster: connection checks', () => {
  it('refuses a wrong or missing password (CLUSTER_AUTH), nothing listening (CLUSTER_UNREACHABLE), never echoing the password', async () => {
    const wrong = await createClusterBackend({ redisUrl: `redis://:not-the-password-42@127.0.0.1:${redis.port}`, queue: QUEUE }).then(
      () => null,
      (e: unknown) => toAppError(e),
    );
    expect(wrong?.code).toBe('CLUSTER_AUTH');
    expect(wrong?.message).toMatch(/refused the user name or password/);
    expect(wrong?.message).not.toContain('not-the-password-42');
    const none = await createClusterBackend({ redisUrl: `redis://127.0.0.1:${redis.port}`, queue: QUEUE }).then(() => null, toAppError);
    expect(none?.code).toBe('CLUSTER_AUTH');
    expect(none?.message).toMatch(/needs a password/);
    const spare = await startRedis();
    const port = spare.port;
    await spare.stop();
    const refused = await createClusterBackend({ redisUrl: `redis://:x@127.0.0.1:${port}`, queue: QUEUE }).then(() => null, toAppError);
    expect(refused?.code).toBe('CLUSTER_UNREACHABLE');
    expect(refused?.message).toMatch(/connection refused/);
  });

  it('a worker (and the host) refuse a Redis without a password unless --insecure', async () => {
    const open = await startRedis({ password: null });
    cleanups.push(() => open.stop());
    const host = await createClusterBackend({ redisUrl: open.url, queue: QUEUE }).then(() => null, toAppError);
    expect(host?.code).toBe('CLUSTER_INSECURE');
    const refusing = startWorkerProcess(['--redis', open.url, '--queue', QUEUE], 'w-open');
    workers.push(refusing);
    await until(() => !alive(refusing), 60_000, 'the worker to exit');
    expect(refusing.child.exitCode).toBe(1);
    expect(refusing.output()).toMatch(/accepts connections without a password.*--insecure.*\[CLUSTER_INSECURE\]/s);
    const allowed = startWorkerProcess(['--redis', open.url, '--queue', QUEUE, '--insecure'], 'w-insecure');
    workers.push(allowed);
    await allowed.waitFor(/ready/, 60_000);
    expect(await allowed.stop(30_000), allowed.output()).toBe(0);
  }, 150_000);
});

describe('cluster: TLS', () => {
  it('rediss:// with an unknown certificate authority is refused (CLUSTER_TLS); a worker trusting the CA connects', async () => {
    const certs = makeTestCerts();
    cleanups.push(async () => rmSync(certs.dir, { recursive: true, force: true }));
    const tls = await startRedis({ tls: certs });
    cleanups.push(() => tls.stop());
    expect(tls.url).toMatch(/^rediss:\/\/:[^@]+@localhost:\d+$/);
    const untrusted = await createClusterBackend({ redisUrl: tls.url, queue: QUEUE }).then(() => null, toAppError);
    expect(untrusted?.code).toBe('CLUSTER_TLS');
    expect(untrusted?.message).toMatch(/NODE_EXTRA_CA_CERTS/);
    const plain = await createClusterBackend({ redisUrl: tls.url.replace(/^rediss/, 'redis'), queue: QUEUE }).then(() => null, toAppError);
    expect(plain?.code).toBe('CLUSTER_UNREACHABLE');
    const trusting = startWorkerProcess(['--redis', tls.url, '--queue', QUEUE], 'w-tls', { NODE_EXTRA_CA_CERTS: certs.ca });
    workers.push(trusting);
    await trusting.waitFor(/ready/, 60_000);
    expect(await trusting.stop(30_000), trusting.output()).toBe(0);
  }, 120_000);
});

describe('cluster: jobs', () => {
  it('fails a job whose payload does not validate, with the reason, and does not retry it', async () => {
    const t = parseRedisUrl(redis.url);
    const q = new Queue(QUEUE, { connection: bullConnection(t), prefix: PREFIX });
    cleanups.push(() => q.close());
    const runId = 'bad-payload-0001';
    await q.add('hedge', { runId, kind: 'hedge', config: { ...DEFAULT_HEDGE_CONFIG, paths: -5 }, v: 1 }, { jobId: runId, attempts: 3 });
    let job: Job | undefined;
    await until(async () => (job = await Job.fromId(q, runId)) !== undefined && (await job.getState()) === 'failed', 60_000, 'the bad job to fail');
    const err = failureOf(job!.failedReason);
    expect(err.code).toBe('CLUSTER_PAYLOAD');
    expect(err.message).toMatch(/invalid hedge config — config\.paths: paths must be >= 2/);
    expect(job!.attemptsMade).toBe(1); // attempts: 3 allowed, but a payload that fails validation is not retried
    expect(workers.slice(0, 2).some((w) => w.output().includes(`refused job ${runId}`))).toBe(true);
  }, 90_000);

  it('runs an E1 quick experiment on the cluster, survives kill -9 of a worker mid-job (resuming from its checkpoint), every cell stored once, metrics as a local run', async () => {
    const local = await station();
    const remote = await station();
    remote.jobs.useCluster(await backend());
    const progress = new Map<string, number>();
    remote.subscribe((event, payload) => {
      if (event === 'run-progress') {
        const p = payload as { runId: string; done: number };
        progress.set(p.runId, Math.max(progress.get(p.runId) ?? 0, p.done));
      }
    });
    // one strike (4 runs: BSDH, DHMLP, DHNTB, DHLNN, 8 epochs each) keeps the file within minutes on this 2-core machine
    const req = { id: 'E1', scale: 'quick', seed: 11, strikes: [1] };
    const onRemote = await rpc(() => remote).ok<{ groupId: string; runIds: string[] }>('hedging-experiment', req);
    const onLocal = await rpc(() => local).ok<{ groupId: string; runIds: string[] }>('hedging-experiment', req);
    expect(onRemote.runIds).toHaveLength(4);
    for (const id of onRemote.runIds) expect(remote.runs.get(id)!.compute).toBe('cluster');

    // kill -9 the worker running the first trained run (DHMLP, DHNTB or DHLNN) to finish 2 of its 8 epochs
    const slotOf = (r: AnyRun): string => (r.config as HedgeRunConfig).experimentSlot!;
    const trained = onRemote.runIds.filter((id) => remote.runs.get(id)!.model !== 'bsdh');
    let victimRun = '';
    await until(
      () => {
        victimRun = trained.find((id) => (progress.get(id) ?? 0) >= 2 && (progress.get(id) ?? 0) < 7) ?? '';
        return victimRun !== '';
      },
      300_000,
      'a trained run to finish 2 epochs on the cluster',
    );
    const victim = workers.slice(0, 2).find((w) => w.output().includes(`start run ${victimRun}`))!;
    expect(victim).toBeDefined();
    const exited = new Promise((r) => victim.child.once('exit', r));
    victim.child.kill('SIGKILL');
    await exited;
    const survivor = workers.slice(0, 2).find((w) => w !== victim)!;
    const fresh = worker('w3'); // back to two workers for the tests after this one

    await Promise.all([remote.jobs.idle(), local.jobs.idle()]);
    const resumed = new RegExp(`start run ${victimRun} hedge \\(attempt \\d+, from its checkpoint after epoch (\\d+)\\)`).exec(survivor.output() + fresh.output());
    expect(resumed, `no worker resumed ${victimRun}:\n${survivor.output()}\n${fresh.output()}`).not.toBeNull();
    expect(Number(resumed![1])).toBeGreaterThan(0);

    const detail = await rpc(() => remote).ok<ExperimentDetail>('hedging-experiment-get', { groupId: onRemote.groupId });
    expect(detail.runList).toHaveLength(4);
    expect((remote.db.prepare('SELECT COUNT(*) AS n FROM runs WHERE group_id = ?').get(onRemote.groupId) as { n: number }).n).toBe(4);
    for (const cell of detail.cells) for (const e of cell.entries) expect(e.status).toBe('done');
    const localBySlot = new Map(onLocal.runIds.map((id) => [slotOf(local.runs.get(id)!), local.runs.get(id)!]));
    for (const id of onRemote.runIds) {
      const r = remote.runs.get(id)!;
      expect(r).toMatchObject({ status: 'done', compute: 'cluster' });
      const l = localBySlot.get(slotOf(r))!;
      expect(l.status).toBe('done');
      // same engine, same seeds, same machine: bit-identical metrics except the wall-clock seconds
      expect(withoutTimes(r.metrics)).toEqual(withoutTimes(l.metrics));
      for (const name of ['pnl', 'cost', 'pnl@2', 'pnl@8']) {
        const a = remote.runs.getArray(id, name);
        const b = local.runs.getArray(l.id, name);
        if (r.model === 'bsdh' && name.includes('@')) continue; // BSDH has no training snapshots
        expect(a && b && Buffer.from(a.buffer).equals(Buffer.from(b.buffer)), `${r.label}: array ${name} differs`).toBe(true);
      }
    }
    await fresh.waitFor(/ready/, 60_000);
  }, 600_000);

  it('cancel from the host reaches the worker: the job ends cancelled, the run row is cancelled, the worker lives on', async () => {
    const remote = await station();
    const b = await backend();
    remote.jobs.useCluster(b);
    const config = hedgeConfigSchema.parse({ ...DEFAULT_HEDGE_CONFIG, model: 'mlp', epochs: 400, trainPaths: 2000, paths: 2000 });
    const runId = remote.jobs.submit({ kind: 'hedge', config }, { model: 'mlp', label: 'to cancel', total: 401 });
    const live = workers.filter(alive);
    await until(() => live.some((w) => w.output().includes(`start run ${runId}`)), 90_000, 'a worker to take the job');
    const taker = live.find((w) => w.output().includes(`start run ${runId}`))!;
    await until(() => remote.runs.get(runId)!.status === 'running', 60_000, 'the run to be running');
    expect(remote.jobs.cancel(runId)).toBe(true);
    await remote.jobs.idle();
    expect(remote.runs.get(runId)!.status).toBe('cancelled');
    await taker.waitFor(new RegExp(`end run ${runId} hedge: cancelled`), 30_000);
    expect(alive(taker)).toBe(true);
    expect((await b.status()).workers).toBeGreaterThanOrEqual(2);
    const q = new Queue(QUEUE, { connection: bullConnection(parseRedisUrl(redis.url)), prefix: PREFIX });
    cleanups.push(() => q.close());
    const job = await Job.fromId(q, runId);
    expect(job?.attemptsMade).toBe(1); // cancelled, not retried
  }, 150_000);

  it('SIGTERM hands a running job back to the queue: the worker exits 0 and another one finishes the run from its checkpoint', async () => {
    const remote = await station();
    remote.jobs.useCluster(await backend());
    const config = hedgeConfigSchema.parse({ ...DEFAULT_HEDGE_CONFIG, model: 'ntb', epochs: 6, trainPaths: 2000, paths: 2000, monitorPaths: 500 });
    const runId = remote.jobs.submit({ kind: 'hedge', config }, { model: 'ntb', label: 'handed back', total: 7 });
    let done = 0;
    remote.subscribe((event, payload) => {
      const p = payload as { runId: string; done: number };
      if (event === 'run-progress' && p.runId === runId) done = Math.max(done, p.done);
    });
    await until(() => done >= 1, 120_000, 'the first epoch on the cluster');
    const taker = workers.filter(alive).find((w) => w.output().includes(`start run ${runId}`))!;
    const t0 = Date.now();
    expect(await taker.stop(30_000), taker.output()).toBe(0);
    expect(taker.output()).toMatch(new RegExp(`end run ${runId} hedge: handed back to the queue`));
    const handedBackMs = Date.now() - t0;
    await remote.jobs.idle();
    expect(remote.runs.get(runId)!.status).toBe('done');
    const other = workers.filter(alive).map((w) => w.output()).join('\n');
    expect(other).toMatch(new RegExp(`start run ${runId} hedge \\(attempt \\d+, from its checkpoint after epoch [1-9]`));
    // handed back at once, not found stalled after the lock expired
    expect(handedBackMs).toBeLessThan(15_000);
    worker('w4'); // two workers again
  }, 300_000);

  it('results wait in Redis while the app is closed and are stored once when it reconnects; a second delivery is a no-op', async () => {
    const dataDir = tempDir();
    const first = await station(dataDir);
    first.jobs.useCluster(await backend());
    const runId = first.jobs.submit({ kind: 'hedge', config: { ...DEFAULT_HEDGE_CONFIG, paths: 4000 } }, { model: 'bsdh', label: 'while closed', total: 4000 });
    await first.close(); // the app quits: the cluster run goes on
    stations.splice(stations.indexOf(first), 1);
    await until(() => workers.filter(alive).some((w) => w.output().includes(`end run ${runId} hedge: done`)), 90_000, 'a worker to finish the run');

    const again = await station(dataDir);
    expect(again.runs.get(runId)).toMatchObject({ compute: 'cluster' });
    expect(['queued', 'running']).toContain(again.runs.get(runId)!.status); // not interrupted: waiting for the cluster
    again.jobs.useCluster(await backend());
    await again.jobs.idle();
    const done = again.runs.get(runId)!;
    expect(done.status).toBe('done');
    expect(again.runs.getArray(runId, 'pnl')!.length).toBe(4000);

    // the same result delivered again (another backend reattaching, as a second app window would): stored once
    const other = await backend();
    const delivered = await new Promise<{ wallMs: number; metrics: unknown; arrays: Record<string, Float64Array | Float32Array | Int32Array> }>((resolve, reject) => {
      void other.reattach(runId, { started() {}, progress() {}, result: resolve, failed: (e) => reject(new Error(e.message)), cancelled: () => reject(new Error('cancelled')) });
    });
    expect(again.runs.finish(runId, delivered)).toBe(false);
    expect(again.runs.get(runId)).toEqual(done);
    expect((again.db.prepare('SELECT COUNT(*) AS n FROM run_arrays WHERE run_id = ?').get(runId) as { n: number }).n).toBe(Object.keys(delivered.arrays).length);
  }, 150_000);
});
