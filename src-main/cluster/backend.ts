import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { type AppError, appError } from '../../src-shared/api/errors';
import { type WireJob } from '../jobs/protocol';
import { bullConnection, checkRedis, clusterError, redisOptions } from './connection';
import { DEFAULT_QUEUE, PREFIX, RESULT_TTL_S, type ClusterProgress } from './keys';
import { PAYLOAD_VERSION, type ClusterPayload, decodeResult, failureOf, isCancelledReason, refusalOf } from './payload';
import { type ClusterBackend, type ClusterJobEvents, type ClusterSettings, type ClusterStatus } from './types';
import { publishCancel } from './worker';

/**
 * The host's side of the cluster: a BullMQ Queue to add jobs (jobId = runId, so adding a run twice is a no-op)
 * and QueueEvents to hear their progress and end. Each run's events end with exactly one of result / failed /
 * cancelled per submit or reattach; besides the event stream, live runs are polled every few seconds so an event
 * missed during a reconnect still ends the run.
 */
export interface BackendOptions {
  /** Times a job runs again after its worker crashed or its thread died (not after a runner error). Default 3. */
  attempts?: number;
  /** How often live runs are looked up in Redis besides the event stream. Default 5 s. */
  pollMs?: number;
  /** Results and failures are kept in Redis this long. Default 7 days. */
  resultTtlS?: number;
}

interface Listener {
  events: ClusterJobEvents;
  ended: boolean;
  /** Being added to the queue: the poll leaves it alone (the job may not exist yet). */
  adding: boolean;
}

/** A queue.add that has not answered after this long (Redis down) fails the run instead of leaving it queued. */
const ADD_TIMEOUT_MS = 20_000;

export async function createClusterBackend(settings: ClusterSettings, opts: BackendOptions = {}): Promise<ClusterBackend> {
  const target = await checkRedis(settings);
  const name = settings.queue ?? DEFAULT_QUEUE;
  const ttl = opts.resultTtlS ?? RESULT_TTL_S;
  const connection = bullConnection(target);
  const queue = new Queue(name, {
    connection,
    prefix: PREFIX,
    streams: { events: { maxLen: 2000 } },
    defaultJobOptions: { attempts: opts.attempts ?? 3, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: { age: ttl }, removeOnFail: { age: ttl } },
  });
  const queueEvents = new QueueEvents(name, { connection, prefix: PREFIX });
  const redis = new Redis(redisOptions(target));
  let lastError: string | undefined;
  const noteError = (e: Error): void => {
    lastError = clusterError(e, target).appError.message;
  };
  queue.on('error', noteError);
  queueEvents.on('error', noteError);
  redis.on('error', noteError);
  try {
    await Promise.all([queue.waitUntilReady(), queueEvents.waitUntilReady()]);
  } catch (e) {
    await Promise.allSettled([queueEvents.close(), queue.close()]);
    redis.disconnect();
    throw clusterError(e, target);
  }

  const listeners = new Map<string, Listener>();
  /** End a run's events once: the first of result / failed / cancelled wins, later ones are dropped. */
  const finish = (runId: string, f: (ev: ClusterJobEvents) => void): void => {
    const l = listeners.get(runId);
    if (!l || l.ended) return;
    l.ended = true;
    listeners.delete(runId);
    f(l.events);
  };
  const deliverResult = (runId: string, returnvalue: unknown): void => {
    let out;
    try {
      out = decodeResult(returnvalue);
    } catch (e) {
      const err: AppError = { type: 'job', code: 'CLUSTER_RESULT', message: `the result of run ${runId} could not be read: ${(e as Error).message}` };
      finish(runId, (ev) => ev.failed(err));
      return;
    }
    finish(runId, (ev) => ev.result(out));
  };
  const deliverFailure = (runId: string, reason: string | undefined): void => {
    if (isCancelledReason(reason)) finish(runId, (ev) => ev.cancelled());
    else finish(runId, (ev) => ev.failed(failureOf(reason)));
  };

  queueEvents.on('progress', ({ jobId, data }) => {
    const l = listeners.get(jobId);
    if (!l || l.ended) return;
    const p = data as ClusterProgress | null;
    if (p && typeof p === 'object' && p.type === 'started') l.events.started(p.backend, p.worker);
    else if (p && typeof p === 'object' && p.type === 'progress') l.events.progress(p.done, p.total, p.detail);
  });
  queueEvents.on('completed', ({ jobId, returnvalue }) => {
    if (listeners.has(jobId)) deliverResult(jobId, returnvalue);
  });
  queueEvents.on('failed', ({ jobId, failedReason }) => {
    if (listeners.has(jobId)) deliverFailure(jobId, failedReason);
  });
  queueEvents.on('removed', ({ jobId }) => {
    // removed while waiting (cancel) or by hand: nothing more will come
    finish(jobId, (ev) => ev.cancelled());
  });

  /** Look a run's job up and end its events if it already ended (a missed event, or a reattach). */
  const settleFromStore = async (runId: string): Promise<void> => {
    const job = await Job.fromId(queue, runId);
    if (!job) {
      finish(runId, (ev) =>
        ev.failed({
          type: 'job',
          code: 'CLUSTER_JOB_LOST',
          message: `the cluster no longer has run ${runId} (its result expired after ${Math.round(ttl / 86400)} days, or Redis was emptied); run it again`,
        }),
      );
      return;
    }
    const state = await job.getState();
    if (state === 'completed') deliverResult(runId, job.returnvalue);
    else if (state === 'failed') deliverFailure(runId, job.failedReason);
  };

  const poll = setInterval(() => {
    for (const [runId, l] of [...listeners]) if (!l.adding) settleFromStore(runId).catch((e: Error) => noteError(e));
  }, opts.pollMs ?? 5000);
  poll.unref();

  const listen = (runId: string, events: ClusterJobEvents, adding = false): Listener => {
    // an earlier listener of the same run is replaced (a reattach after a submit in the same process)
    const l: Listener = { events, ended: false, adding };
    listeners.set(runId, l);
    return l;
  };

  let closed: Promise<void> | null = null;
  const backend: ClusterBackend = {
    refuses: (job: WireJob) => refusalOf(job),

    async submit(runId, job, events) {
      const refusal = refusalOf(job);
      if (refusal) throw clusterRefusal(job.kind, refusal);
      // listening before the add: the first progress of a worker quick to take the job is not missed
      const l = listen(runId, events, true);
      const payload: ClusterPayload = { runId, kind: job.kind, config: job.config, v: PAYLOAD_VERSION };
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          queue.add(job.kind, payload, { jobId: runId }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(Object.assign(new Error('timed out adding the job'), { code: 'ETIMEDOUT' })), ADD_TIMEOUT_MS);
          }),
        ]);
        l.adding = false;
      } catch (e) {
        if (listeners.get(runId) === l) listeners.delete(runId);
        throw clusterError(e, target);
      } finally {
        clearTimeout(timer);
      }
    },

    async cancel(runId) {
      try {
        await publishCancel(redis, name, runId);
        // a job still waiting is removed at once (an active one is locked: remove says 0, the worker stops it)
        const removed = await queue.remove(runId);
        if (removed === 1) finish(runId, (ev) => ev.cancelled());
      } catch (e) {
        throw clusterError(e, target);
      }
    },

    async reattach(runId, events) {
      listen(runId, events);
      try {
        await settleFromStore(runId);
      } catch (e) {
        listeners.delete(runId);
        throw clusterError(e, target);
      }
    },

    async status(): Promise<ClusterStatus> {
      try {
        const [workers, counts] = await Promise.all([queue.getWorkers(), queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active')]);
        return {
          connected: true,
          workers: workers.length,
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
          active: counts.active ?? 0,
          where: target.where,
        };
      } catch (e) {
        return { connected: false, workers: 0, waiting: 0, active: 0, error: clusterError(e, target).appError.message ?? lastError, where: target.where };
      }
    },

    close() {
      closed ??= (async () => {
        clearInterval(poll);
        listeners.clear();
        await Promise.allSettled([queueEvents.close(), queue.close(), redis.quit()]);
      })();
      return closed;
    },
  };
  return backend;
}

const clusterRefusal = (kind: string, reason: string) => appError('conflict', 'CLUSTER_REFUSED', `${kind} jobs run on this machine, not on the cluster: ${reason}`);
