/**
 * Benchmark of the cluster (issue 17): `npm run bench:cluster` (options: --skip-2, --trips N).
 *
 * Starts its own redis-server (a random password, a free loopback port, no persistence) and, on this machine:
 * 1. E1 at quick scale (8 runs: 2 strikes x BSDH, DHMLP, DHNTB, DHLNN; 8 epochs x 2,000 training paths, 10,000
 *    test paths) sent to the cluster with 1 worker process, then again with 2 fresh worker processes (each
 *    `tsx src-main/cluster/workerMain.ts --concurrency 1`, as `npm run worker` starts it). Printed: wall time of
 *    each (dispatch to the last run stored), their ratio, and every run's compute time as the worker reported it.
 *    On this 2-core machine the host, Redis and the workers share the cores, so 2 workers cannot give 2x.
 * 2. Queue overhead per job: a trivially small job (BSDH on 1,000 paths x 30 steps) sent `--trips` times
 *    (default 10) one after another, each after `--gap-ms` (default 8,000) of idle time, to 1 idle worker; overhead = its round trip (dispatch until the host has stored
 *    the result and pushed run-finished) minus its compute (the run's wallMs, measured in the worker). Median and
 *    max are printed, and the same for a local worker thread as the reference; split at the run's startedAt into
 *    "until started" (queue, a worker taking the job and starting its job thread) and the rest besides the compute
 *    (tensor backend start inside the run, the result back, the store write). Either way a job gets a fresh job
 *    thread (tsx + engine load), which on a loaded machine is most of the overhead.
 * 3. Largest payload: while the jobs run, the queue's keys in Redis are polled (every 200 ms) and the largest job
 *    data (BullMQ's `data` field) and returned value / result (`returnvalue` field, and any other value stored
 *    under the queue's prefix, e.g. checkpoints) in bytes are kept.
 * 4. A paper estimate for E2 and E5 at full scale on a 16-GPU cluster: each run's time at full scale is its model's
 *    measured quick time (1-worker E1) scaled by epochs x training paths (trained models: full epochs x 10,000 /
 *    (8 x 2,000)) or by test paths (BSDH: 100,000 / 10,000); E5's lookback runs are assumed to cost what the
 *    European runs cost. The makespan on 16 workers is max(sum / 16, longest run) in this CPU's seconds; the GPU
 *    speed-up g over this CPU's wasm backend is NOT measured here and left as a factor (divide by g). On a loaded
 *    machine run times include waits for a core: the worker's CPU seconds / the summed run times is printed as the
 *    factor that turns them into idle-core times.
 * Prints the machine and its load average. Writes bench/results/cluster.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { type AnyRun } from '../src-shared/api/runs';
import { EXPERIMENTS, planExperiment, type PlannedRun } from '../src-shared/hedging/experiments';
import { type HedgeConfig } from '../src-shared/hedging/config';
import { dispatch } from '../src-main/host/dispatch';
import { createWorkstation, type Workstation } from '../src-main/workstation';
import { startRedis } from '../test/helpers/redis';

const ROOT = join(__dirname, '..');
const WORKER_MAIN = join(ROOT, 'src-main', 'cluster', 'workerMain.ts');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const TRIPS = Math.max(1, Math.min(100, Number(flag('trips', '10'))));
/** Idle time before each small job: a worker loads its next job thread ahead, which takes seconds on a loaded machine. */
const GAP_MS = Math.max(0, Math.min(60_000, Number(flag('gap-ms', '8000'))));
const RUN_TIMEOUT_MS = 3 * 3600_000;
const GPUS = 16;

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `n` worker processes, as `npm run worker -- --redis URL --concurrency 1 --queue Q --name bench-wK` starts them. */
function startWorkers(n: number, url: string, queue: string, tag: string): ChildProcess[] {
  return Array.from({ length: n }, (_, k) =>
    spawn(TSX, [WORKER_MAIN, '--redis', url, '--concurrency', '1', '--queue', queue, '--name', `bench-${tag}-w${k + 1}`], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true, // its own process group: tsx's node child goes with it
    }),
  );
}

/**
 * CPU seconds (user + system, every thread) of the processes in the workers' process groups so far, from
 * /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s); null where /proc is not there.
 */
function workersCpuSeconds(ps: ChildProcess[]): number | null {
  const groups = new Set(ps.map((p) => p.pid).filter((x): x is number => x !== undefined));
  let ticks = 0;
  try {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
      if (groups.has(Number(f[2]))) ticks += Number(f[11]) + Number(f[12]); // pgrp = field 5, utime 14, stime 15
    }
  } catch {
    return null;
  }
  return ticks / 100;
}

async function stopWorkers(ps: ChildProcess[]): Promise<void> {
  await Promise.all(
    ps.map(async (p) => {
      if (p.exitCode !== null || p.pid === undefined) return;
      const gone = new Promise((r) => p.once('exit', r));
      // tsx passes SIGTERM on to its node child (signalling the whole group would deliver it twice: "exiting now").
      process.kill(p.pid, 'SIGTERM');
      await Promise.race([gone, sleep(15_000)]);
      if (p.exitCode === null) process.kill(-p.pid, 'SIGKILL');
    }),
  );
}

async function waitWorkers(ws: Workstation, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const s = await ws.cluster.status();
    if (s.workers === n) return;
    await sleep(100);
  }
  throw new Error(`${n} worker(s) did not appear on the queue within 60 s`);
}

/** Resolves with each run once it has ended (run-finished/failed/cancelled pushed), or rejects after the timeout. */
function waitRuns(ws: Workstation, runIds: string[], timeoutMs: number): Promise<Map<string, number>> {
  const ended = new Map<string, number>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${runIds.length - ended.size} of ${runIds.length} runs did not end within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const off = ws.subscribe((event, payload) => {
      const id = (payload as { runId?: string }).runId;
      if (!id || !runIds.includes(id) || (event !== 'run-finished' && event !== 'run-failed' && event !== 'run-cancelled')) return;
      ended.set(id, performance.now());
      if (ended.size === runIds.length) {
        clearTimeout(timer);
        off();
        resolve(ended);
      }
    });
  });
}

/** Polls the queue's keys and keeps the largest job data and result values seen (bytes). */
function payloadWatch(url: string, queue: string): { stop(): Promise<PayloadFigures> } {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  r.on('error', () => {});
  const fig: PayloadFigures = { jobDataBytes: 0, jobDataKey: null, resultBytes: 0, resultKey: null, otherBytes: 0, otherKey: null, polls: 0 };
  let running = true;
  const shape = (k: string) => k.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<runId>').replace(/:\d+$/, ':<n>');
  const poll = async (): Promise<void> => {
    let cursor = '0';
    for (let i = 0; i < 1000; i++) {
      const [next, keys] = await r.scan(cursor, 'MATCH', `*${queue}*`, 'COUNT', 500);
      for (const key of keys) {
        const type = await r.type(key);
        if (type === 'hash') {
          const [data, rv] = await Promise.all([r.hstrlen(key, 'data'), r.hstrlen(key, 'returnvalue')]);
          if (data > fig.jobDataBytes) Object.assign(fig, { jobDataBytes: data, jobDataKey: shape(key) });
          if (rv > fig.resultBytes) Object.assign(fig, { resultBytes: rv, resultKey: shape(key) });
        } else if (type === 'string') {
          const n = await r.strlen(key);
          if (n > fig.otherBytes) Object.assign(fig, { otherBytes: n, otherKey: shape(key) });
        }
      }
      cursor = next;
      if (cursor === '0') break;
    }
    fig.polls++;
  };
  const loop = (async () => {
    while (running) {
      await poll().catch(() => {});
      await sleep(200);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await poll().catch(() => {});
      r.disconnect();
      return fig;
    },
  };
}

interface PayloadFigures {
  jobDataBytes: number;
  jobDataKey: string | null;
  resultBytes: number;
  resultKey: string | null;
  otherBytes: number;
  otherKey: string | null;
  polls: number;
}

interface E1Result {
  workers: number;
  wallSeconds: number;
  hostCpuSeconds: number;
  /** CPU seconds of the worker processes during the run (all threads), null without /proc. */
  workersCpuSeconds: number | null;
  runs: Array<{ label: string; model: string; compute: string | undefined; status: string; computeSeconds: number | null; queuedSeconds: number | null }>;
  payload: PayloadFigures;
}

async function runE1(ws: Workstation, url: string, queue: string, procs: ChildProcess[]): Promise<E1Result> {
  const workers = procs.length;
  const payload = payloadWatch(url, queue);
  const wcpu0 = workersCpuSeconds(procs);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const started = await dispatch(ws.handlers, 1, 'hedging-experiment', { id: 'E1', scale: 'quick', seed: 1 });
  if (!started.ok) throw new Error(`E1 did not start: ${started.error.message}`);
  const { runIds } = started.result as { runIds: string[] };
  await waitRuns(ws, runIds, RUN_TIMEOUT_MS);
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const wcpu1 = workersCpuSeconds(procs);
  const runs = runIds.map((id) => ws.runs.get(id) as AnyRun & { compute?: string });
  const bad = runs.filter((r) => r.status !== 'done');
  if (bad.length) throw new Error(`E1 on ${workers} worker(s): ${bad.length} run(s) did not finish: ${bad.map((r) => `${r.label}: ${r.status} ${r.error?.message ?? ''}`).join('; ')}`);
  const local = runs.filter((r) => r.compute !== 'cluster');
  if (local.length) throw new Error(`E1 on ${workers} worker(s): ${local.length} run(s) computed locally, not on the cluster (${local.map((r) => r.label).join(', ')})`);
  return {
    workers,
    wallSeconds,
    hostCpuSeconds: (cpu.user + cpu.system) / 1e6,
    workersCpuSeconds: wcpu0 === null || wcpu1 === null ? null : wcpu1 - wcpu0,
    runs: runs.map((r) => ({
      label: r.label,
      model: r.model,
      compute: r.compute,
      status: r.status,
      computeSeconds: r.wallMs === null ? null : r.wallMs / 1000,
      queuedSeconds: r.startedAt === null ? null : (r.startedAt - r.createdAt) / 1000,
    })),
    payload: await payload.stop(),
  };
}

/** Round trip minus compute of a trivially small job, `TRIPS` times in a row. */
async function overhead(ws: Workstation): Promise<{
  trips: number;
  medianMs: number;
  maxMs: number;
  medianRoundTripMs: number;
  medianComputeMs: number;
  /** Median of startedAt − createdAt: until the run was reported started (queue, a worker taking it, its thread's start). */
  medianToStartMs: number;
  /** Median of finishedAt − startedAt − compute: the rest (thread and tensor backend start inside the run, result back, store write). */
  medianAfterStartMs: number;
  compute: string[];
}> {
  const cfg = { model: 'bsdh', option: 'european', strike: 1, sigma: 0.1, drift: 0, cost: 0.002, days: 30, steps: 30, paths: 1000, seed: 7 };
  const over: number[] = [];
  const trips: number[] = [];
  const computes: number[] = [];
  const where: string[] = [];
  const toStart: number[] = [];
  const afterStart: number[] = [];
  for (let i = 0; i < TRIPS; i++) {
    await sleep(GAP_MS);
    const t0 = performance.now();
    const started = await dispatch(ws.handlers, 1, 'hedging-start', { ...cfg, seed: 7 + i, label: `bench overhead ${i}` });
    if (!started.ok) throw new Error(`small job did not start: ${started.error.message}`);
    const { runId } = started.result as { runId: string };
    const ended = await waitRuns(ws, [runId], 120_000);
    const trip = ended.get(runId)! - t0;
    const run = ws.runs.get(runId) as AnyRun & { compute?: string };
    if (run.status !== 'done' || run.wallMs === null) throw new Error(`small job ${i} ended ${run.status}: ${run.error?.message ?? ''}`);
    trips.push(trip);
    computes.push(run.wallMs);
    over.push(trip - run.wallMs);
    where.push(run.compute ?? '?');
    if (run.startedAt !== null && run.finishedAt !== null) {
      toStart.push(run.startedAt - run.createdAt);
      afterStart.push(run.finishedAt - run.startedAt - run.wallMs);
    }
  }
  return {
    trips: TRIPS,
    medianMs: median(over),
    maxMs: Math.max(...over),
    medianRoundTripMs: median(trips),
    medianComputeMs: median(computes),
    medianToStartMs: median(toStart),
    medianAfterStartMs: median(afterStart),
    compute: [...new Set(where)],
  };
}

/** Seconds of one planned full-scale run from the quick per-model times (see the header for the scaling). */
function fullRunSeconds(r: PlannedRun, quickByModel: Record<string, number>, quickEpochs: number): number {
  const c = r.config as HedgeConfig & { epochs?: number; trainPaths?: number };
  const q = quickByModel[r.model];
  if (q === undefined) throw new Error(`no quick time for model ${r.model}`);
  if (r.model === 'bsdh') return q * (c.paths / 10_000);
  return q * (((c.epochs ?? 0) * (c.trainPaths ?? 0)) / (quickEpochs * 2_000));
}

function paperEstimate(e1: E1Result) {
  // On a loaded machine a run's wall time holds waits for a core; the worker's CPU seconds over the summed run
  // times says how much of it was compute (1 on an idle machine).
  const sumCompute = e1.runs.reduce((a, r) => a + (r.computeSeconds ?? 0), 0);
  const cpuShare = e1.workersCpuSeconds === null || sumCompute === 0 ? null : Math.min(1, e1.workersCpuSeconds / sumCompute);
  const byModel: Record<string, number[]> = {};
  for (const r of e1.runs) (byModel[r.model] ??= []).push(r.computeSeconds ?? NaN);
  const quickByModel = Object.fromEntries(Object.entries(byModel).map(([m, xs]) => [m, median(xs)]));
  const quickEpochs = planExperiment({ id: 'E1', scale: 'quick', seed: 1 }).runs.find((r) => r.model !== 'bsdh')!.config as HedgeConfig & { epochs: number };
  const out = (['E2', 'E5'] as const).map((id) => {
    const plan = planExperiment({ id, scale: 'full', seed: 1 });
    const secs = plan.runs.map((r) => fullRunSeconds(r, quickByModel, quickEpochs.epochs));
    const total = secs.reduce((a, b) => a + b, 0);
    const longest = Math.max(...secs);
    return {
      id,
      title: EXPERIMENTS[id].title,
      runs: plan.runs.length,
      cells: plan.cells.length,
      cpuSecondsTotal: total,
      perCellSeconds: total / plan.cells.length,
      longestRunSeconds: longest,
      makespanSecondsOn16: Math.max(total / GPUS, longest),
    };
  });
  return { quickSecondsByModel: quickByModel, quickEpochs: quickEpochs.epochs, cpuShare, experiments: out };
}

const fmtS = (s: number): string => (s >= 3600 ? `${(s / 3600).toFixed(2)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(2)} s`);

async function main(): Promise<void> {
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), memGB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGB} GB, Node ${machine.node}; load average ${load()}`);
  const redis = await startRedis();
  const queue = `bench-cluster-${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'hw-bench-cluster-'));
  const ws = await createWorkstation({ dataDir, workerPath: join(ROOT, 'src-main', 'app', 'worker.ts'), transport: 'browser', appVersion: 'bench', probe: false, clusterQueue: queue });
  const started: ChildProcess[] = [];
  const results: Record<string, unknown> = { machine, queue };
  try {
    // Local reference for the overhead: the same small jobs on a worker thread of this process.
    console.log(`\n[overhead, local worker thread] ${TRIPS} small jobs, ${GAP_MS} ms apart · load ${load()}`);
    const localOver = await overhead(ws);
    console.log(`  round trip − compute: median ${localOver.medianMs.toFixed(1)} ms, max ${localOver.maxMs.toFixed(1)} ms (round trip ${localOver.medianRoundTripMs.toFixed(1)} ms, compute ${localOver.medianComputeMs.toFixed(1)} ms; until started ${Math.round(localOver.medianToStartMs)} ms, after start besides compute ${Math.round(localOver.medianAfterStartMs)} ms)`);

    const one = startWorkers(1, redis.url, queue, 'a');
    started.push(...one);
    await ws.cluster.useOnce({ redisUrl: redis.url });
    await waitWorkers(ws, 1);
    console.log(`\n[E1 quick, 1 worker] load ${load()}`);
    const e1a = await runE1(ws, redis.url, queue, one);
    console.log(`  wall ${fmtS(e1a.wallSeconds)} · CPU: host process ${e1a.hostCpuSeconds.toFixed(1)} s, worker ${e1a.workersCpuSeconds?.toFixed(1) ?? '—'} s`);
    for (const r of e1a.runs) console.log(`    ${r.label.padEnd(36)} compute ${fmtS(r.computeSeconds ?? NaN)} · waited ${fmtS(r.queuedSeconds ?? NaN)}`);

    console.log(`\n[overhead, cluster: 1 idle worker] ${TRIPS} small jobs, ${GAP_MS} ms apart · load ${load()}`);
    const clusterOver = await overhead(ws);
    console.log(`  round trip − compute: median ${clusterOver.medianMs.toFixed(1)} ms, max ${clusterOver.maxMs.toFixed(1)} ms (round trip ${clusterOver.medianRoundTripMs.toFixed(1)} ms, compute ${clusterOver.medianComputeMs.toFixed(1)} ms; until started ${Math.round(clusterOver.medianToStartMs)} ms, after start besides compute ${Math.round(clusterOver.medianAfterStartMs)} ms; computed on: ${clusterOver.compute.join(', ')})`);
    await stopWorkers(one);

    let e1b: E1Result | null = null;
    if (!args.includes('--skip-2')) {
      const two = startWorkers(2, redis.url, queue, 'b');
      started.push(...two);
      await waitWorkers(ws, 2);
      console.log(`\n[E1 quick, 2 workers] load ${load()}`);
      e1b = await runE1(ws, redis.url, queue, two);
      console.log(`  wall ${fmtS(e1b.wallSeconds)} · CPU: host process ${e1b.hostCpuSeconds.toFixed(1)} s, workers ${e1b.workersCpuSeconds?.toFixed(1) ?? '—'} s`);
      for (const r of e1b.runs) console.log(`    ${r.label.padEnd(36)} compute ${fmtS(r.computeSeconds ?? NaN)} · waited ${fmtS(r.queuedSeconds ?? NaN)}`);
      console.log(`  ratio wall(1 worker) / wall(2 workers) = ${(e1a.wallSeconds / e1b.wallSeconds).toFixed(2)} (2 cores shared by the host, Redis and the workers)`);
      await stopWorkers(two);
    }

    const pay = [e1a.payload, e1b?.payload].filter((p): p is PayloadFigures => !!p);
    const largest = {
      jobDataBytes: Math.max(...pay.map((p) => p.jobDataBytes)),
      resultBytes: Math.max(...pay.map((p) => p.resultBytes)),
      otherBytes: Math.max(...pay.map((p) => p.otherBytes)),
      keys: pay.map((p) => ({ data: p.jobDataKey, result: p.resultKey, other: p.otherKey, polls: p.polls })),
    };
    console.log(`\n[payload] largest job data ${largest.jobDataBytes.toLocaleString()} B · largest returned value ${largest.resultBytes.toLocaleString()} B · largest other value under the queue ${largest.otherBytes.toLocaleString()} B (${largest.keys[0]?.other ?? '—'})`);

    const paper = paperEstimate(e1a);
    console.log(`\n[paper estimate] quick per-run compute by model (1 worker, E1 quick, ${paper.quickEpochs} epochs x 2,000 paths): ${Object.entries(paper.quickSecondsByModel).map(([m, s]) => `${m} ${s.toFixed(1)} s`).join(', ')}`);
    console.log('  full scale = quick x (epochs x 10,000) / (quick epochs x 2,000) for trained runs, x 10 (test paths) for BSDH; lookback = European cost (assumed)');
    if (paper.cpuShare !== null) {
      console.log(`  the worker's CPU seconds were ${(100 * paper.cpuShare).toFixed(0)}% of the summed run times (the rest waited for a core at load ${load()}): on an idle core the times below would be about × ${paper.cpuShare.toFixed(2)}`);
    }
    for (const e of paper.experiments) {
      console.log(
        `  ${e.id} (${e.title}): ${e.runs} runs in ${e.cells} cells · ${fmtS(e.cpuSecondsTotal)} on one worker of this CPU · per cell ${fmtS(e.perCellSeconds)} · on ${GPUS} workers ≈ ${fmtS(e.makespanSecondsOn16)} / g (longest run ${fmtS(e.longestRunSeconds)} / g; g = a GPU's speed-up over this CPU's wasm backend, not measured here)`,
      );
    }

    Object.assign(results, {
      loadAverageEnd: loadavg(),
      e1: { oneWorker: e1a, twoWorkers: e1b, ratio: e1b ? e1a.wallSeconds / e1b.wallSeconds : null },
      overhead: { method: 'round trip of a 1,000-path BSDH job minus its compute (run wallMs, measured where it ran), each sent after gapMs idle', gapMs: GAP_MS, local: localOver, cluster: clusterOver },
      largestPayload: largest,
      paper: { ...paper, gpus: GPUS, gpuSpeedup: 'not measured: divide the makespans by g', scaling: 'trained: x (epochs x 10,000)/(quick epochs x 2,000); BSDH: x 10; lookback = European' },
    });
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'cluster.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log('\nwrote bench/results/cluster.json');
  } finally {
    await stopWorkers(started);
    await ws.close();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
