import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type AppError, appError } from '../../src-shared/api/errors';
import { type RunQueries } from '../store/queries/runs';
import { type JobKind, type JobSpec } from '../../src-shared/api/jobs';
import { type ClusterBackend } from '../cluster/types';
import { type ClusterFanOut } from '../cluster/fanout';
import { type FromWorker, type WireJob } from './protocol';
import { ClusterRuns } from './clusterRuns';
import { type Emit, type Outcome, persist, recordOutcome, reportProgress, storeWriteError } from './runEvents';

export type { Emit } from './runEvents';

export interface JobManagerOptions {
  runs: RunQueries;
  /** out/main/worker.js in the bundle, src-main/app/worker.ts from source (run through tsx). */
  workerPath: string;
  /** The store's folder, passed to job runners that write more than a result. */
  dataDir: string;
  emit: Emit;
  /** Jobs running at once; the rest wait as `queued`. Default: cores - 1 (at least 1), keeping a core for the UI. */
  concurrency?: number;
  /** A cancelled job that has not stopped after this long is terminated. */
  cancelGraceMs?: number;
  /** Most jobs waiting to run (not counting running ones); a submit beyond it is refused. Default 20. */
  maxQueued?: number;
  /**
   * Kinds that run on the cluster split into part jobs (src-main/cluster/fanout.ts): the host plans them from
   * its store and merges the parts' results into the run's one result. From the composition root.
   */
  fanOuts?: ClusterFanOut[];
}

interface Active {
  runId: string;
  worker: Worker | null;
  cancelFlag: Int32Array;
  startedAt: number;
  lastDbWrite: number;
  cancelRequested: boolean;
  settle: () => void;
}

/**
 * Runs jobs in worker_threads, one worker per job, so the main process (and the UI it serves) never blocks.
 * One job = one run row: queued -> running -> done | failed | cancelled. Progress is pushed as
 * `run-progress` (already throttled by the worker) and written to the store at most twice a second.
 * Runs sent to a cluster are followed by its ClusterRuns (clusterRuns.ts).
 */
export class JobManager {
  private readonly queue: Array<{ runId: string; job: WireJob }> = [];
  private readonly active = new Map<string, Active>();
  private readonly concurrency: number;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly cluster: ClusterRuns;

  constructor(private readonly opts: JobManagerOptions) {
    this.concurrency = opts.concurrency ?? Math.max(1, availableParallelism() - 1);
    this.cluster = new ClusterRuns({ runs: opts.runs, emit: opts.emit, fanOuts: opts.fanOuts, onSettled: () => this.notifyIdle() });
  }

  /**
   * Refuse (QUEUE_FULL) when `n` more jobs would take the queue past its cap. A group (an experiment, a
   * comparison) asks for all its runs at once so it starts whole or not at all; a group bigger than the cap
   * may start only on an empty queue.
   */
  assertRoom(n = 1): void {
    const max = this.opts.maxQueued ?? 20;
    const waiting = this.queue.length;
    if (waiting > 0 && waiting + n > Math.max(max, n)) {
      throw appError(
        'conflict',
        'QUEUE_FULL',
        `${waiting} job${waiting === 1 ? ' is' : 's are'} already waiting to run (the limit is ${max}${n > 1 ? `; this starts ${n}` : ''}); wait for some to finish or cancel some, then try again`,
      );
    }
  }

  /**
   * Create the run row and queue the job; returns at once. Jobs of a group were admitted by assertRoom. The
   * config's type is the kind's (src-shared/api/jobs.ts), so a handler cannot queue a config its kind's runner
   * does not take.
   */
  submit<K extends JobKind>(job: JobSpec<K>, meta: { model: string; label: string; total: number; seed?: number; groupId?: string | null }): string {
    const cluster = this.cluster.backendFor(job);
    const onCluster = cluster !== null;
    if (!meta.groupId && !onCluster) this.assertRoom(1);
    const runId = randomUUID();
    this.opts.runs.create({
      id: runId,
      kind: job.kind,
      model: meta.model,
      label: meta.label,
      config: job.config,
      seed: meta.seed ?? seedOf(job.config) ?? 0,
      total: meta.total,
      groupId: meta.groupId ?? null,
      compute: onCluster ? 'cluster' : 'local',
    });
    if (onCluster) {
      this.cluster.send(cluster, runId, job);
      this.opts.emit('runs-changed', { runIds: [runId] });
      return runId;
    }
    this.queue.push({ runId, job });
    this.opts.emit('runs-changed', { runIds: [runId] });
    this.pump();
    return runId;
  }

  /**
   * Send jobs to a cluster (BullMQ workers on Redis) from now on, or stop doing so (null). While set, every job
   * whose kind the backend does not refuse goes to the cluster: its run records compute 'cluster' and takes no
   * local slot; a refused kind (it needs this machine's store) runs here as before and records compute 'local'.
   * Kinds with a fan-out (options.fanOuts: 'bsde-hedge', 'heston-hedge') are not refused: the backend is wrapped
   * (cluster/fanout.ts) so such a run is planned here from the store and sent as part jobs over its paths.
   * Setting a backend reattaches to the store's cluster runs still queued or running (results that arrived while
   * the app was closed are stored now). The manager owns the backend it is given: replacing or clearing it, and
   * shutdown, close it; cluster runs then stay queued/running in the store, waiting for the cluster.
   */
  useCluster(given: ClusterBackend | null): void {
    this.cluster.use(given);
  }

  /** The cluster backend in use, or null (jobs run on this machine). */
  clusterBackend(): ClusterBackend | null {
    return this.cluster.backend();
  }

  /** Cancel a queued or running job. Returns false if the run is not live in this process. */
  cancel(runId: string): boolean {
    if (this.cluster.cancel(runId)) return true;
    const qi = this.queue.findIndex((q) => q.runId === runId);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      this.opts.runs.end(runId, 'cancelled', null);
      this.opts.emit('run-cancelled', { runId });
      this.opts.emit('runs-changed', { runIds: [runId] });
      this.notifyIdle();
      return true;
    }
    const a = this.active.get(runId);
    if (!a) return false;
    a.cancelRequested = true;
    Atomics.store(a.cancelFlag, 0, 1);
    const grace = this.opts.cancelGraceMs ?? 5000;
    setTimeout(() => {
      if (this.active.get(runId) === a) void a.worker?.terminate();
    }, grace).unref();
    return true;
  }

  isLive(runId: string): boolean {
    return this.active.has(runId) || this.cluster.has(runId) || this.queue.some((q) => q.runId === runId);
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((res) => this.idleWaiters.push(res));
  }

  /**
   * Cancel every local job and wait for the workers to stop (app quit). Cluster runs go on without this app
   * (their results wait in Redis and are collected at the next start) unless `cancelCluster` (the CLI's Ctrl-C).
   */
  async shutdown(opts: { cancelCluster?: boolean } = {}): Promise<void> {
    for (const q of [...this.queue]) this.cancel(q.runId);
    for (const runId of [...this.active.keys()]) this.cancel(runId);
    if (opts.cancelCluster) {
      this.cluster.cancelAll();
      await this.idle();
    }
    this.useCluster(null);
    await this.idle();
  }

  private isIdle(): boolean {
    return this.active.size === 0 && this.queue.length === 0 && this.cluster.isEmpty();
  }

  private notifyIdle(): void {
    if (this.isIdle()) this.idleWaiters.splice(0).forEach((f) => f());
  }

  private pump(): void {
    while (this.active.size < this.concurrency && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.launch(next.runId, next.job);
    }
  }

  private launch(runId: string, job: WireJob): void {
    const { runs, emit } = this.opts;
    const shared = new SharedArrayBuffer(4);
    const a: Active = {
      runId,
      worker: null,
      cancelFlag: new Int32Array(shared),
      startedAt: Date.now(),
      lastDbWrite: 0,
      cancelRequested: false,
      settle: () => {},
    };
    this.active.set(runId, a);
    let settled = false;
    const settle = (outcome: Outcome, error?: AppError): void => {
      if (settled) return;
      settled = true;
      recordOutcome(runs, emit, runId, outcome, error);
      this.active.delete(runId);
      void a.worker?.terminate();
      this.pump();
      this.notifyIdle();
    };
    a.settle = () => settle('cancelled');

    let worker: Worker;
    try {
      worker = spawnWorker(this.opts.workerPath);
    } catch (e) {
      settle('failed', { type: 'job', code: 'WORKER_START', message: `could not start a job worker: ${String(e)}` });
      return;
    }
    a.worker = worker;
    worker.on('message', (msg: FromWorker) => {
      switch (msg.type) {
        case 'started':
          persist(() => runs.markRunning(runId, msg.backend), `mark run ${runId} running`);
          emit('runs-changed', { runIds: [runId] });
          break;
        case 'progress':
          reportProgress(runs, emit, a, msg.done, msg.total, msg.detail);
          break;
        case 'result':
          if (a.cancelRequested) return settle('cancelled');
          try {
            runs.finish(runId, { wallMs: msg.wallMs, metrics: msg.metrics, arrays: msg.arrays });
            settle('done');
          } catch (e) {
            settle('failed', storeWriteError(e));
          }
          break;
        case 'cancelled':
          settle('cancelled');
          break;
        case 'checkpoint':
          // Only sent when 'start' carried `checkpoint` (a cluster worker keeps it in Redis); a local run keeps
          // its checkpoints in the store, so there is nothing to do here.
          break;
        case 'error':
          settle('failed', msg.error);
          break;
      }
    });
    worker.on('error', (e) => settle('failed', { type: 'job', code: 'WORKER_CRASHED', message: `job worker crashed: ${e.message}` }));
    worker.on('exit', (code) => {
      if (a.cancelRequested) settle('cancelled');
      else settle('failed', { type: 'job', code: 'WORKER_EXIT', message: `job worker exited (code ${code}) before finishing` });
    });
    worker.postMessage({ type: 'start', runId, job, cancelFlag: shared, dataDir: this.opts.dataDir });
  }
}

/** A config's top-level `seed`, if it has a numeric one (most kinds record their seed there). */
function seedOf(config: unknown): number | undefined {
  if (typeof config !== 'object' || config === null || !('seed' in config)) return undefined;
  return typeof config.seed === 'number' ? config.seed : undefined;
}

/**
 * Start a worker on the bundled script, or on the TypeScript source (tests, CLI under tsx) through tsx's
 * require hook — Node 20 does not apply `--import` loader hooks to a worker's entry file.
 */
export function spawnWorker(path: string): Worker {
  if (!path.endsWith('.ts')) return new Worker(path);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(path)});`, { eval: true });
}

/** Ask a short-lived worker which tfjs backend loads here (keeps tfjs out of the main thread). */
export function probeBackend(workerPath: string, timeoutMs = 60_000): Promise<{ backend: string; notes: string[] }> {
  return new Promise((resolve) => {
    const w = spawnWorker(workerPath);
    const timer = setTimeout(() => {
      void w.terminate();
      resolve({ backend: 'cpu', notes: ['backend probe timed out'] });
    }, timeoutMs);
    w.once('message', (m: FromWorker) => {
      clearTimeout(timer);
      void w.terminate();
      resolve(m.type === 'probe' ? { backend: m.backend, notes: m.notes } : { backend: 'cpu', notes: ['unexpected probe reply'] });
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      resolve({ backend: 'cpu', notes: [`backend probe failed: ${e.message}`] });
    });
    w.postMessage({ type: 'probe' });
  });
}
