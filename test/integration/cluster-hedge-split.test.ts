import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOLVER_PRESETS } from '../../src-shared/bsde/config';
import { type BsdeHedgeMetrics, DEFAULT_INSTRUMENTS } from '../../src-shared/bsde/hedge';
import { presetBook } from '../../src-shared/portfolio/presets';
import { type HestonHedgeMetrics } from '../../src-shared/heston/hedge';
import { H1_MARKET } from '../../src-shared/heston/types';
import { createClusterBackend } from '../../src-main/cluster/backend';
import { bullConnection, parseRedisUrl } from '../../src-main/cluster/connection';
import { partJobId } from '../../src-main/cluster/fanout';
import { PREFIX } from '../../src-main/cluster/keys';
import { type Workstation } from '../../src-main/workstation';
import { openWorkstation } from '../helpers/host';
import { startRedis, startWorkerProcess, type TestRedis, type WorkerProcess, until } from '../helpers/redis';
import { rpc } from '../helpers/rpc';

/**
 * A 'bsde-hedge' run split across cluster jobs (issue 17: "rebalancing runs split their paths across jobs"):
 * a real redis-server with a password, two worker PROCESSES, a host workstation. The host waits for the solve,
 * reads its networks from its store and sends K part jobs (wire kind 'bsde-hedge-part') over path ranges; the
 * merged result is stored as the one run's result and equals a local run of the same settings bit for bit
 * (each path has its own random stream). Cancel reaches every part. Everything started is stopped in afterAll.
 */
const QUEUE = `split-${process.pid}`;
const FAST = ['--lock-ms', '5000', '--stalled-ms', '2500'];
const PART_PATHS = 400;

let redis: TestRedis;
let ws: Workstation;
let queue: Queue;
const workers: WorkerProcess[] = [];


const { ok } = rpc(() => ws);
const solver = { ...SOLVER_PRESETS.tiny.config, steps: 4, iterationsLast: 150, iterationsOther: 40, samplesT0: 8192, seed: 1 };
const hedge = { strategy: 'delta-gamma', greeks: 'network', rebalance: 4, paths: 1100, steps: null, instruments: DEFAULT_INSTRUMENTS, seed: 5 };
const allOutput = (): string => workers.map((w) => w.output()).join('\n');
const count = (re: RegExp): number => (allOutput().match(re) ?? []).length;

/** Metrics without the wall-clock and memory figures, which differ between any two runs. */
function withoutTimes(m: BsdeHedgeMetrics): unknown {
  const { timing: _t, peakRssBytes: _p, ...rest } = m;
  return rest;
}

let solveRunId: string;

beforeAll(async () => {
  process.env.BSDE_HEDGE_PART_PATHS = String(PART_PATHS);
  process.env.HESTON_HEDGE_PART_PATHS = '30';
  redis = await startRedis();
  for (const name of ['w1', 'w2']) workers.push(startWorkerProcess(['--redis', redis.url, '--queue', QUEUE, ...FAST], name));
  ws = await openWorkstation();
  queue = new Queue(QUEUE, { connection: bullConnection(parseRedisUrl(redis.url)), prefix: PREFIX });
  // the solve runs here (no cluster yet), while the workers start
  const { bookId } = await ok<{ bookId: string }>('portfolio-save', { bookId: null, baseVersion: null, book: { ...presetBook('B1', { assets: 2 }), name: 'split test' } });
  solveRunId = (await ok<{ runId: string }>('bsde-solve', { bookId, scheme: 'osm', ...solver })).runId;
  await ws.jobs.idle();
  expect(ws.runs.get(solveRunId)!.status).toBe('done');
  await Promise.all(workers.map((w) => w.waitFor(/ready/, 90_000)));
}, 150_000);

afterAll(async () => {
  delete process.env.BSDE_HEDGE_PART_PATHS;
  delete process.env.HESTON_HEDGE_PART_PATHS;
  await ws?.close().catch(() => {});
  await queue?.close().catch(() => {});
  await Promise.all(workers.map((w) => w.stop(5000)));
  await redis?.stop();
}, 60_000);

describe('cluster: a BSDE rebalancing run split across jobs', () => {
  it('splits 1,100 paths into 3 parts on 2 workers; the one stored result equals a local run bit for bit', async () => {
    const local = (await ok<{ runId: string }>('bsde-hedge', { solveRunId, ...hedge })).runId;
    await ws.jobs.idle();
    expect(ws.runs.get(local)!).toMatchObject({ status: 'done', compute: 'local' });

    ws.jobs.useCluster(await createClusterBackend({ redisUrl: redis.url, queue: QUEUE }));
    let maxDone = 0;
    let total = 0;
    const off = ws.subscribe((event, payload) => {
      const p = payload as { runId: string; done: number; total: number };
      if (event === 'run-progress' && p.runId === remote) {
        maxDone = Math.max(maxDone, p.done);
        total = p.total;
      }
    });
    const remote = (await ok<{ runId: string }>('bsde-hedge', { solveRunId, ...hedge })).runId;
    expect(ws.runs.get(remote)!.compute).toBe('cluster');
    await ws.jobs.idle();
    off();
    const r = ws.runs.get(remote)!;
    expect(r.status, JSON.stringify(r.error)).toBe('done');
    expect(r.compute).toBe('cluster');

    // three parts (ceil(1100 / 400)), each run once, by the two workers; none stored as a run of its own
    // (a worker's log line may reach this process after the run's result: wait for it, bounded)
    const doneLines = (kind: string): number => [0, 1, 2].filter((i) => count(new RegExp(`end run ${partJobId(remote, i)} ${kind}: done`, 'g')) === 1).length;
    await until(() => doneLines('bsde-hedge-part') === 3, 20_000, 'the workers to log the three parts done');
    expect(count(new RegExp(`start run ${partJobId(remote, 3)}`, 'g'))).toBe(0);
    const takers = workers.filter((w) => w.output().includes(`start run ${remote}-p`));
    expect(takers.length).toBeGreaterThanOrEqual(1);
    expect(ws.runs.list('bsde-hedge').map((x) => x.id).sort()).toEqual([local, remote].sort());
    expect(total).toBe(r.progress.total);
    expect(maxDone).toBe(total);

    const lm = ws.runs.get(local)!.metrics as BsdeHedgeMetrics;
    const rm = r.metrics as BsdeHedgeMetrics;
    expect(withoutTimes(rm)).toEqual(withoutTimes(lm));
    expect(rm.stats.n).toBe(1100);
    expect(rm.lsqr!.solves).toBe(1100 * 4);
    const a = ws.runs.getArray(remote, 'pnl') as Float64Array;
    const b = ws.runs.getArray(local, 'pnl') as Float64Array;
    expect(a).toHaveLength(1100);
    expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))).toBe(true);
    // the schedule replay (on this machine, from the seed) matches the PnL the cluster stored
    const worst = await ok<{ pnl: number; path: number }>('bsde-hedge-schedule', { runId: remote, path: 'worst' });
    expect(worst.pnl).toBe(a[worst.path]);
    console.log(`[split] parts taken by ${takers.map((w) => w.name).join(', ')}; payload of a part ${(await Job.fromId(queue, partJobId(remote, 0)))?.asJSON().data.length} bytes`);
  }, 180_000);

  it('cancel mid-way ends the run cancelled and stops its parts (running ones cancelled, waiting ones never start)', async () => {
    // closed-form Greeks on a 200-step grid: parts of 400 paths take seconds each
    const big = { ...hedge, greeks: 'closed-form', steps: 200, rebalance: 200, paths: 4000 };
    const runId = (await ok<{ runId: string }>('bsde-hedge', { solveRunId, ...big })).runId;
    expect(ws.runs.get(runId)!.compute).toBe('cluster');
    await until(() => count(new RegExp(`start run ${runId}-p`, 'g')) >= 1 && ws.runs.get(runId)!.status === 'running', 60_000, 'a part to start');
    await until(() => ws.runs.get(runId)!.progress.done > 0, 60_000, 'progress');
    expect(ws.jobs.cancel(runId)).toBe(true);
    await ws.jobs.idle();
    expect(ws.runs.get(runId)!.status).toBe('cancelled');
    expect(ws.runs.getArray(runId, 'pnl')).toBeNull();

    const K = 10;
    const states = await Promise.all(Array.from({ length: K }, async (_, i) => {
      const job = await Job.fromId(queue, partJobId(runId, i));
      return job ? { state: await job.getState(), reason: job.failedReason } : { state: 'removed', reason: '' };
    }));
    const started = count(new RegExp(`start run ${runId}-p`, 'g'));
    expect(started).toBeLessThan(K); // the waiting parts were removed before a worker took them
    // nothing left to run: every part is removed (it was waiting), cancelled, or had finished before the cancel
    for (const s of states) expect(['removed', 'failed', 'completed']).toContain(s.state);
    for (const s of states.filter((x) => x.state === 'failed')) expect(s.reason).toMatch(/^CANCELLED/);
    const ended = (): number => count(new RegExp(`end run ${runId}-p\\d+ `, 'g'));
    await until(() => ended() === count(new RegExp(`start run ${runId}-p`, 'g')), 30_000, 'every started part to end');
    expect(count(new RegExp(`end run ${runId}-p\\d+ bsde-hedge-part: cancelled`, 'g'))).toBeGreaterThanOrEqual(1);
    // the workers live on and take the next job
    expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
  }, 180_000);

  it('a heston-hedge run splits the same way: 90 paths in 3 parts, stored once, the local run to rounding', async () => {
    // a stored 'heston-solve' of a European put (semi-analytic Greeks read only its market, claim and grid)
    const hestonSolve = randomUUID();
    const claim = { kind: 'put', strike: 11, maturity: 0.3, exerciseDates: 1 };
    ws.runs.create({ id: hestonSolve, kind: 'heston-solve' as never, model: 'osm', label: 'heston solve', config: { market: H1_MARKET, claim, solver: {} }, seed: 1, total: 1, groupId: null });
    ws.runs.markRunning(hestonSolve, 'js-float64');
    ws.runs.finish(hestonSolve, { wallMs: 1, metrics: { scheme: 'osm', steps: 12, horizon: 0.3, dt: 0.025, solution: null, solutionArrays: [] }, arrays: {} });
    const req = { solveRunId: hestonSolve, greeks: 'semi-analytic', rebalance: [1, 12], paths: 90, seed: 4 };
    const cluster = ws.jobs.clusterBackend();
    ws.jobs.useCluster(null);
    const local = (await ok<{ runId: string }>('heston-hedge', req)).runId;
    await ws.jobs.idle();
    expect(ws.runs.get(local)!).toMatchObject({ status: 'done', compute: 'local' });
    expect(cluster).not.toBeNull();
    ws.jobs.useCluster(await createClusterBackend({ redisUrl: redis.url, queue: QUEUE }));
    const remote = (await ok<{ runId: string }>('heston-hedge', req)).runId;
    await ws.jobs.idle();
    const r = ws.runs.get(remote)!;
    expect(r.status, JSON.stringify(r.error)).toBe('done');
    expect(r.compute).toBe('cluster');
    const doneLines = (): number => [0, 1, 2].filter((i) => count(new RegExp(`end run ${partJobId(remote, i)} heston-hedge-part: done`, 'g')) === 1).length;
    await until(() => doneLines() === 3, 20_000, 'the workers to log the three parts done'); // log lines may arrive after the result
    const a = ws.runs.getArray(remote, 'pnl.cells') as Float64Array;
    const b = ws.runs.getArray(local, 'pnl.cells') as Float64Array;
    expect(a).toHaveLength(10 * 90);
    // the same paths; the semi-analytic Greeks of a smaller batch differ in rounding (see hedgeParts.test.ts)
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    expect(maxDiff).toBeLessThan(1e-8);
    const rm = r.metrics as HestonHedgeMetrics;
    const lm = ws.runs.get(local)!.metrics as HestonHedgeMetrics;
    expect(rm.cells.map((c) => [c.strategy, c.rebalance, c.stats.n, c.cond?.solves])).toEqual(lm.cells.map((c) => [c.strategy, c.rebalance, c.stats.n, c.cond?.solves]));
    rm.cells.forEach((c, i) => expect(Math.abs(c.stats.mean - lm.cells[i].stats.mean)).toBeLessThan(1e-8));
  }, 120_000);

  it('the app closed while the parts run: at the next start the split run is planned again, its parts found in Redis (not run again) and merged once', async () => {
    const big = { ...hedge, greeks: 'closed-form', steps: 40, rebalance: 40, paths: 1200 };
    const runId = (await ok<{ runId: string }>('bsde-hedge', { solveRunId, ...big })).runId;
    const K = 3;
    await until(() => count(new RegExp(`start run ${runId}-p`, 'g')) >= 1, 60_000, 'a part to start');
    const dataDir = dirname(ws.db.name);
    await ws.close(); // the app quits: the parts go on
    await until(() => count(new RegExp(`end run ${runId}-p\\d+ bsde-hedge-part: done`, 'g')) === K, 120_000, 'every part to finish');
    ws = await openWorkstation({ dataDir });
    expect(ws.runs.get(runId)!.compute).toBe('cluster');
    ws.jobs.useCluster(await createClusterBackend({ redisUrl: redis.url, queue: QUEUE }));
    await ws.jobs.idle();
    const r = ws.runs.get(runId)!;
    expect(r.status, JSON.stringify(r.error)).toBe('done');
    expect((ws.runs.getArray(runId, 'pnl') as Float64Array).length).toBe(1200);
    expect((r.metrics as BsdeHedgeMetrics).stats.n).toBe(1200);
    for (let i = 0; i < K; i++) expect(count(new RegExp(`start run ${partJobId(runId, i)} `, 'g'))).toBe(1);
  }, 180_000);
});
