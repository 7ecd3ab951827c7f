import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Worker as Thread } from 'node:worker_threads';
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type AppError } from '../../src-shared/api/errors';
import { type FromWorker, type ToWorker } from '../jobs/protocol';
import { workerEntry } from '../entry';
import { spawnWorker } from '../jobs/manager';
import { decodeCheckpoint, encodeCheckpoint } from './checkpointCodec';
import { bullConnection, checkRedis, redisOptions } from './connection';
import { CANCEL_TTL_S, CHECKPOINT_TTL_S, DEFAULT_QUEUE, PREFIX, type ClusterProgress, cancelChannel, cancelKey, checkpointKey } from './keys';
import { CANCELLED_REASON, type ClusterPayload, type EncodedResult, type JobResult, checkPayload, encodeResult, failureMessage, failureOf } from './payload';

/**
 * A cluster worker: takes jobs from the BullMQ queue and runs each in a job worker thread with the SAME runner
 * table as the app (src-main/app/worker.ts through spawnWorker, as the job manager does), in a temp folder of its
 * own (no store). Progress goes to job.updateProgress, checkpoints to a Redis key beside the job (passed back as
 * `checkpoint.resume` when the job runs again after a crash), the result is the job's return value.
 */
export interface ClusterWorkerOptions {
  redisUrl: string;
  insecure?: boolean;
  queue?: string;
  /** Jobs at once (each in its own thread). Default 1. */
  concurrency?: number;
  /** Shown in the app's run ("computed on …") and in `status().workers`. Default host-pid. */
  name?: string;
  /**
   * A job's lock lasts this long and is renewed every half of it while the worker lives; a worker killed with
   * -9 stops renewing and its job is taken again once the lock expired and a stalled check ran. Default 10 s.
   */
  lockDurationMs?: number;
  /** How often each worker looks for stalled jobs. Default 5 s. */
  stalledIntervalMs?: number;
  /** Times a job may stall (its worker died) before it fails for good. Default 3. */
  maxStalledCount?: number;
  /** A cancelled job whose thread has not stopped after this long is terminated. Default 5 s. */
  cancelGraceMs?: number;
  /** Entry of the job worker thread (default: worker.js beside a bundle, else src-main/app/worker.ts through tsx). */
  workerPath?: string;
  /** Keep one job thread loaded ahead of the next job (default true). */
  prewarm?: boolean;
  /** One line per job start and end (default: stdout). Never given anything secret. */
  log?: (line: string) => void;
}

export interface ClusterWorkerHandle {
  name: string;
  /** Stop taking jobs; a running job is handed back to the queue (another worker resumes it) and the worker closes. */
  close(): Promise<void>;
}

interface Running {
  flag: Int32Array;
  thread: Thread | null;
  cancel(): void;
  /** Worker shutting down: stop the thread, hand the job back. */
  stop(): void;
}

const PROGRESS_EVERY_MS = 250;

export async function startClusterWorker(opts: ClusterWorkerOptions): Promise<ClusterWorkerHandle> {
  const target = await checkRedis(opts);
  const queue = opts.queue ?? DEFAULT_QUEUE;
  const name = opts.name ?? `${hostname()}-${process.pid}`;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const workerPath = opts.workerPath ?? workerEntry(__dirname);
  const grace = opts.cancelGraceMs ?? 5000;
  const baseDir = mkdtempSync(join(tmpdir(), 'hw-cluster-worker-'));
  const redis = new Redis(redisOptions(target));
  redis.on('error', () => {}); // reconnects on its own; a job that needs it fails with the command's error
  const sub = new Redis(redisOptions(target));
  sub.on('error', () => {});
  const running = new Map<string, Running>();
  let closing = false;

  const cancelRun = (runId: string): void => running.get(runId)?.cancel();
  await sub.subscribe(cancelChannel(queue));
  sub.on('message', (_channel: string, runId: string) => cancelRun(runId));
  // Backup for a cancel published while this worker was reconnecting: the cancel key, looked at every 2 s.
  const poll = setInterval(() => {
    for (const runId of running.keys()) {
      redis.exists(cancelKey(queue, runId)).then(
        (n) => n > 0 && cancelRun(runId),
        () => {},
      );
    }
  }, 2000);
  poll.unref();

  // One spare job thread, spawned ahead so the next job does not wait for the engine's modules to load (a thread
  // serves one job, as in the app). Replaced as soon as it is taken; dropped if it dies while waiting.
  let spare: Thread | null = null;
  const dropSpare = (t: Thread) => (): void => {
    if (spare === t) spare = null;
  };
  const warm = (): void => {
    if (closing || spare || opts.prewarm === false) return;
    try {
      const t = spawnWorker(workerPath);
      t.once('error', dropSpare(t));
      t.once('exit', dropSpare(t));
      spare = t;
    } catch {
      spare = null; // spawned on demand instead
    }
  };
  const takeThread = (): Thread => {
    const t = spare;
    spare = null;
    setImmediate(warm);
    if (t) {
      t.removeAllListeners();
      return t;
    }
    return spawnWorker(workerPath);
  };

  const runThread = (job: Job, p: ClusterPayload, resume: unknown, dir: string): Promise<JobResult> =>
    new Promise<JobResult>((resolve, reject) => {
      const shared = new SharedArrayBuffer(4);
      const r: Running = { flag: new Int32Array(shared), thread: null, cancel: () => {}, stop: () => {} };
      let ended = false;
      let chain: Promise<unknown> = Promise.resolve();
      const later = (f: () => Promise<unknown>): void => {
        chain = chain.then(f).catch(() => {});
      };
      const end = (outcome: { ok: JobResult } | { err: Error }): void => {
        if (ended) return;
        ended = true;
        running.delete(p.runId);
        void r.thread?.terminate();
        // progress and checkpoints posted before the end are written before the job completes
        void chain.then(() => ('ok' in outcome ? resolve(outcome.ok) : reject(outcome.err)));
      };
      let cancelled = false;
      let stopping = false;
      r.cancel = () => {
        if (cancelled) return;
        cancelled = true;
        Atomics.store(r.flag, 0, 1);
        setTimeout(() => end({ err: new UnrecoverableError(CANCELLED_REASON) }), grace).unref();
      };
      r.stop = () => {
        stopping = true;
        end({ err: new Error('the worker was stopped; the job goes back to the queue') });
      };
      running.set(p.runId, r);
      let thread: Thread;
      try {
        thread = takeThread();
      } catch (e) {
        end({ err: new Error(`could not start a job thread: ${String(e)}`) });
        return;
      }
      r.thread = thread;
      let lastProgress = 0;
      thread.on('message', (msg: FromWorker) => {
        switch (msg.type) {
          case 'started': {
            const rec: ClusterProgress = { type: 'started', backend: msg.backend, worker: name, attempt: job.attemptsStarted, resumed: resume !== null };
            later(() => job.updateProgress(rec));
            break;
          }
          case 'progress': {
            const now = Date.now();
            if (msg.detail === undefined && msg.done < msg.total && now - lastProgress < PROGRESS_EVERY_MS) break;
            lastProgress = now;
            const rec: ClusterProgress = msg.detail === undefined ? { type: 'progress', done: msg.done, total: msg.total } : { type: 'progress', done: msg.done, total: msg.total, detail: msg.detail };
            later(() => job.updateProgress(rec));
            break;
          }
          case 'checkpoint': {
            const bytes = encodeCheckpoint(msg.state);
            later(() => redis.set(checkpointKey(queue, p.runId), bytes, 'EX', CHECKPOINT_TTL_S));
            break;
          }
          case 'result':
            end(cancelled ? { err: new UnrecoverableError(CANCELLED_REASON) } : { ok: { wallMs: msg.wallMs, metrics: msg.metrics, arrays: msg.arrays } });
            break;
          case 'cancelled':
            end({ err: new UnrecoverableError(CANCELLED_REASON) });
            break;
          case 'error': {
            // the runner threw: the same config would throw again, so no retry
            const e: AppError = msg.error;
            end({ err: new UnrecoverableError(failureMessage(e)) });
            break;
          }
        }
      });
      thread.on('error', (e) => end({ err: cancelled ? new UnrecoverableError(CANCELLED_REASON) : new Error(`the job thread crashed: ${e.message}`) }));
      thread.on('exit', (code) => {
        if (cancelled) end({ err: new UnrecoverableError(CANCELLED_REASON) });
        else if (!stopping) end({ err: new Error(`the job thread exited (code ${code}) before finishing`) });
      });
      const start: ToWorker = { type: 'start', runId: p.runId, job: { kind: p.kind, config: p.config }, cancelFlag: shared, dataDir: dir, checkpoint: { resume } };
      thread.postMessage(start);
    });

  const processor = async (job: Job, token?: string): Promise<EncodedResult> => {
    const check = checkPayload(job.data);
    if (!check.ok || check.payload.runId !== job.id) {
      const reason = check.ok ? `the payload's runId ${check.payload.runId} is not the job's id ${job.id}` : check.reason;
      log(`[${name}] refused job ${job.id}: ${reason}`);
      throw new UnrecoverableError(failureMessage({ type: 'validation', code: 'CLUSTER_PAYLOAD', message: `a cluster worker refused the job: ${reason}` }));
    }
    const p = check.payload;
    if ((await redis.exists(cancelKey(queue, p.runId))) > 0) {
      log(`[${name}] skip run ${p.runId} ${p.kind}: cancelled before it started`);
      throw new UnrecoverableError(CANCELLED_REASON);
    }
    const saved = await redis.getBuffer(checkpointKey(queue, p.runId));
    let resume: unknown;
    try {
      resume = saved ? decodeCheckpoint(saved) : null;
    } catch (e) {
      await redis.del(checkpointKey(queue, p.runId)).catch(() => 0);
      throw new UnrecoverableError(failureMessage({ type: 'job', code: 'CHECKPOINT_UNREADABLE', message: (e as Error).message }));
    }
    const t0 = Date.now();
    const attempt = job.attemptsStarted;
    const from = resume === null ? '' : `, from its checkpoint ${whereResumed(resume)}`;
    log(`[${name}] start run ${p.runId} ${p.kind} (attempt ${attempt}${from})`);
    const dir = join(baseDir, p.runId);
    mkdirSync(dir, { recursive: true });
    const secs = (): string => ((Date.now() - t0) / 1000).toFixed(1);
    try {
      const out = await runThread(job, p, resume, dir);
      const encoded = encodeResult(out);
      await redis.del(checkpointKey(queue, p.runId)).catch(() => 0);
      log(`[${name}] end run ${p.runId} ${p.kind}: done in ${secs()} s (${encoded.data.length} bytes of result)`);
      return encoded;
    } catch (e) {
      const err = e as Error;
      if (closing && !(err instanceof UnrecoverableError) && token) {
        log(`[${name}] end run ${p.runId} ${p.kind}: handed back to the queue after ${secs()} s (worker stopping)`);
        await job.moveToWait(token);
        throw new WaitingError();
      }
      const what = err.message === CANCELLED_REASON ? 'cancelled' : err instanceof UnrecoverableError ? 'failed' : 'failed, will be retried';
      if (err instanceof UnrecoverableError) await redis.del(checkpointKey(queue, p.runId)).catch(() => 0);
      const why = err.message === CANCELLED_REASON ? '' : `: ${failureOf(err.message).message.slice(0, 300)}`;
      log(`[${name}] end run ${p.runId} ${p.kind}: ${what} after ${secs()} s${why}`);
      throw err;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const worker = new Worker(queue, processor, {
    connection: bullConnection(target),
    prefix: PREFIX,
    name,
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockDurationMs ?? 10_000,
    stalledInterval: opts.stalledIntervalMs ?? 5_000,
    maxStalledCount: opts.maxStalledCount ?? 3,
    autorun: false,
  });
  worker.on('error', (e) => log(`[${name}] queue error: ${e.message}`));
  // This worker's stalled check found jobs of a dead worker and put them back in the queue (any worker takes them).
  worker.on('stalled', (jobId) => log(`[${name}] run ${jobId} stalled (its worker stopped renewing the lock): queued again`));
  worker.on('lockRenewalFailed', (ids) => log(`[${name}] could not renew the lock of ${ids.join(', ')}: another worker may take them again`));
  void worker.run().catch((e: Error) => log(`[${name}] stopped: ${e.message}`));
  await worker.waitUntilReady();
  warm();

  let closed: Promise<void> | null = null;
  return {
    name,
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(poll);
        const idle = spare;
        spare = null;
        await idle?.terminate();
        for (const r of [...running.values()]) r.stop();
        await worker.close();
        await sub.quit().catch(() => sub.disconnect());
        await redis.quit().catch(() => redis.disconnect());
        rmSync(baseDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

/** Where a saved state stands, for the worker's log: "after epoch 3" (hedging), "with time steps 7..29 of 30 solved" (BSDE, Heston, solved backwards). */
function whereResumed(state: unknown): string {
  const s = state as { epoch?: unknown; n?: unknown; steps?: unknown };
  if (typeof s?.epoch === 'number') return `after epoch ${s.epoch}`;
  if (typeof s?.n === 'number' && typeof s.steps === 'number') return `with time steps ${s.n}..${s.steps - 1} of ${s.steps} solved`;
  return 'saved last';
}

/** Ask the workers on a queue to stop a run (used by the host's backend; here so both sides share the names). */
export async function publishCancel(redis: Redis, queue: string, runId: string): Promise<void> {
  await redis.set(cancelKey(queue, runId), '1', 'EX', CANCEL_TTL_S);
  await redis.publish(cancelChannel(queue), runId);
}
