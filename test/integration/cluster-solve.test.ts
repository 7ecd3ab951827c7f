import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SolverConfig } from '../../src-shared/bsde/config';
import { presetBook } from '../../src-shared/portfolio/presets';
import { createClusterBackend } from '../../src-main/cluster/backend';
import { type Workstation } from '../../src-main/workstation';
import { openWorkstation } from '../helpers/host';
import { startRedis, startWorkerProcess, type TestRedis, type WorkerProcess } from '../helpers/redis';
import { rpc } from '../helpers/rpc';

/**
 * A deep-BSDE solve is one cluster job, and a worker killed (-9) mid-solve hands it to another worker that resumes
 * after the last solved time step (issue 17): two worker processes on a real redis-server, the solve of book B1
 * (spec portfolio-bsde.md, d = 2) on the cluster compared with the same solve on this machine. The solver is
 * smaller than the `tiny` preset (N = 5, 16 x 2) so that each solve takes seconds.
 */
const QUEUE = `solve-${process.pid}`;
const solver: SolverConfig = {
  scheme: 'osm',
  seed: 3,
  steps: 5,
  horizon: null,
  width: 16,
  depth: 2,
  batch: 256,
  iterationsLast: 300,
  iterationsOther: 150,
  learningRate: 5e-3,
  learningRateEnd: 1e-4,
  refit: true,
  samplesT0: 16_384,
};

let redis: TestRedis;
const workers: WorkerProcess[] = [];
const stations: Workstation[] = [];
const alive = (w: WorkerProcess): boolean => w.child.exitCode === null && w.child.signalCode === null;

/** Metrics without wall-clock figures (ms of every step, timing) and the tfjs memory peak. */
function withoutTimes(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutTimes);
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x)) return x;
  return Object.fromEntries(
    Object.entries(x)
      .filter(([k]) => k !== 'ms' && k !== 'timing' && k !== 'peakTensorBytes')
      .map(([k, v]) => [k, withoutTimes(v)]),
  );
}

beforeAll(async () => {
  redis = await startRedis();
  for (const name of ['s1', 's2']) workers.push(startWorkerProcess(['--redis', redis.url, '--queue', QUEUE, '--lock-ms', '5000', '--stalled-ms', '2500'], name));
  await Promise.all(workers.map((w) => w.waitFor(/ready/, 90_000)));
}, 120_000);

afterAll(async () => {
  for (const ws of stations) await ws.close().catch(() => {});
  await Promise.all(workers.map((w) => w.stop(5000)));
  await redis?.stop();
}, 60_000);

describe('a deep-BSDE solve on the cluster', () => {
  it('survives kill -9 of its worker mid-solve, resumes after the last solved time step, and equals the solve on this machine', async () => {
    const local = await openWorkstation();
    const remote = await openWorkstation();
    stations.push(local, remote);
    remote.jobs.useCluster(await createClusterBackend({ redisUrl: redis.url, queue: QUEUE }));
    const book = { ...presetBook('B1', { assets: 2 }), name: 'cluster solve' };
    const start = async (ws: Workstation): Promise<string> => {
      const { ok } = rpc(() => ws);
      const saved = await ok<{ bookId: string }>('portfolio-save', { bookId: null, baseVersion: null, book });
      return (await ok<{ runId: string }>('bsde-solve', { bookId: saved.bookId, ...solver })).runId;
    };
    // kill the worker once it trains step n = 2 (steps 4 and 3 are solved and saved)
    let atStep2 = false;
    remote.subscribe((event, payload) => {
      const d = (payload as { detail?: { phase?: string; n?: number } }).detail;
      if (event === 'run-progress' && d?.phase === 'train' && d.n === 2) atStep2 = true;
    });
    const remoteId = await start(remote);
    const localId = await start(local);
    expect(remote.runs.get(remoteId)!.compute).toBe('cluster');
    for (let i = 0; i < 900 && !atStep2; i++) await new Promise((r) => setTimeout(r, 200));
    expect(atStep2).toBe(true);
    const victim = workers.find((w) => w.output().includes(`start run ${remoteId}`))!;
    const gone = new Promise((r) => victim.child.once('exit', r));
    victim.child.kill('SIGKILL');
    await gone;
    await Promise.all([remote.jobs.idle(), local.jobs.idle()]);

    const survivor = workers.find((w) => w !== victim && alive(w))!;
    const resumed = new RegExp(`start run ${remoteId} bsde-solve \\(attempt \\d+, from its checkpoint with time steps (\\d)\\.\\.4 of 5 solved\\)`).exec(survivor.output());
    expect(resumed, survivor.output()).not.toBeNull();
    expect(Number(resumed![1])).toBeLessThanOrEqual(3); // at least steps 4 and 3 were not trained again
    const r = remote.runs.get(remoteId)!;
    const l = local.runs.get(localId)!;
    expect(r).toMatchObject({ status: 'done', compute: 'cluster' });
    expect(l).toMatchObject({ status: 'done', compute: 'local' });
    // same engine, seed and machine; the resumed solve continues the random stream where it stopped: bit for bit
    expect(withoutTimes(r.metrics)).toEqual(withoutTimes(l.metrics));
    const a = remote.runs.getArray(remoteId, 'weights')!;
    const b = local.runs.getArray(localId, 'weights')!;
    expect(a.length).toBeGreaterThan(0);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  }, 300_000);
});
