import { type AppError, toAppError } from '../../src-shared/api/errors';
import { CancelledError, type JobHooks } from '../engine/cancel';
import { type WireJob } from '../jobs/protocol';
import { type RunQueries } from '../store/queries/runs';
import { type JobResult } from './payload';
import { type ClusterBackend, type ClusterJobEvents } from './types';

/**
 * Runs split across cluster jobs (issue 17: "rebalancing runs split their paths across jobs"). A kind whose
 * worker would read this machine's store (a hedge reads its solve's networks) registers a FAN-OUT: on the HOST,
 * `plan` waits for what the run needs, reads it from the store and returns K part jobs (a worker-only wire kind
 * whose payload carries that data) and a `merge` that turns the parts' results, in order, into the run's ONE
 * result. `withFanOut` wraps the cluster backend so the job manager sees one run as before: one `started`, the
 * progress summed over the parts, one result (stored once by the manager), cancel reaching every part, and the
 * first part that fails for good (after BullMQ's retries) failing the run with its reason.
 */
export interface FanOutPart {
  job: WireJob;
  /** Share of the run's work (e.g. its paths): weighs the part's progress. */
  weight: number;
  /** What the part covers, for messages ("paths 0–2047"). */
  label: string;
}

export interface FanOutPlan {
  parts: FanOutPart[];
  /** The run's result from every part's result (in the order of `parts`); throws when they do not fit together. */
  merge(results: JobResult[], wallMs: number): JobResult;
}

export interface FanOutContext {
  /** The host's store (read only: the run's inputs). */
  runs: RunQueries;
  /** shouldCancel: the run was cancelled while planning; onProgress: waiting messages (detail) before the parts run. */
  hooks: JobHooks;
}

export interface ClusterFanOut {
  /** The stored run kind it splits ('bsde-hedge'). */
  kind: string;
  plan(config: unknown, ctx: FanOutContext): Promise<FanOutPlan>;
}

/** The cluster job id of part i of a run (a run id plus "-p<i>": still a valid run id for the payload check). */
export const partJobId = (runId: string, i: number): string => `${runId}-p${i}`;

interface Split {
  runId: string;
  events: ClusterJobEvents;
  ended: boolean;
  cancelRequested: boolean;
  plan: FanOutPlan | null;
  /** Parts submitted and not ended yet. */
  live: Set<number>;
  results: Array<JobResult | null>;
  fraction: number[];
  startedAt: number | null;
}

/**
 * The backend the job manager uses when it has fan-outs: runs of a fan-out kind are planned here and sent as
 * their parts; every other run goes to `base` as it is.
 */
export function withFanOut(base: ClusterBackend, fanOuts: ClusterFanOut[], runs: RunQueries): ClusterBackend {
  const byKind = new Map(fanOuts.map((f) => [f.kind, f]));
  const splits = new Map<string, Split>();

  const end = (s: Split, f: (ev: ClusterJobEvents) => void): void => {
    if (s.ended) return;
    s.ended = true;
    if (splits.get(s.runId) === s) splits.delete(s.runId);
    f(s.events);
  };
  const cancelLive = (s: Split): void => {
    for (const i of [...s.live]) base.cancel(partJobId(s.runId, i)).catch(() => {});
  };
  /** End the run (failed, or cancelled from outside), then stop its other parts: their events are ignored now. */
  const abort = (s: Split, f: (ev: ClusterJobEvents) => void): void => {
    end(s, f);
    cancelLive(s);
  };
  /** After a part ended: a cancelled run ends once none of its parts is left. */
  const settleCancel = (s: Split): void => {
    if (s.cancelRequested && s.live.size === 0) end(s, (ev) => ev.cancelled());
  };
  const runTotal = (runId: string): number => runs.get(runId)?.progress.total ?? 1;

  const partEvents = (s: Split, i: number, plan: FanOutPlan): ClusterJobEvents => {
    const K = plan.parts.length;
    const totalWeight = plan.parts.reduce((w, p) => w + p.weight, 0) || 1;
    const what = `part ${i + 1} of ${K} (${plan.parts[i].label})`;
    /** The run's progress in its own units: the parts' fractions weighted by their share of the work. */
    const report = (): void => {
      const f = plan.parts.reduce((x, p, k) => x + p.weight * s.fraction[k], 0) / totalWeight;
      const t = runTotal(s.runId);
      s.events.progress(Math.min(t, Math.floor(f * t)), t);
    };
    return {
      started(backend, worker) {
        if (s.ended || s.startedAt !== null) return;
        s.startedAt = Date.now();
        s.events.started(backend, worker);
      },
      progress(done, total) {
        if (s.ended || !(total > 0)) return;
        s.fraction[i] = Math.min(1, done / total);
        report();
      },
      result(out) {
        if (s.ended) return;
        s.live.delete(i);
        s.results[i] = out;
        s.fraction[i] = 1;
        if (s.cancelRequested) return settleCancel(s);
        report();
        if (s.results.some((r) => r === null)) return;
        let merged: JobResult;
        try {
          merged = plan.merge(s.results as JobResult[], Date.now() - (s.startedAt ?? Date.now()));
        } catch (e) {
          const err: AppError = { type: 'job', code: 'CLUSTER_MERGE', message: `the ${K} parts of run ${s.runId} could not be merged: ${(e as Error).message}` };
          return end(s, (ev) => ev.failed(err));
        }
        end(s, (ev) => ev.result(merged));
      },
      failed(error) {
        if (s.ended) return;
        s.live.delete(i);
        if (s.cancelRequested) return settleCancel(s);
        abort(s, (ev) => ev.failed({ ...error, message: `${what} failed: ${error.message}` }));
      },
      cancelled() {
        if (s.ended) return;
        s.live.delete(i);
        if (s.cancelRequested) return settleCancel(s);
        // cancelled by someone else (removed from the queue by hand): the run cannot finish
        abort(s, (ev) => ev.cancelled());
      },
    };
  };

  /** Plan the run on this machine, then queue its parts (adding a part that exists already is a no-op). */
  const start = (fan: ClusterFanOut, runId: string, job: WireJob, events: ClusterJobEvents): void => {
    const s: Split = { runId, events, ended: false, cancelRequested: false, plan: null, live: new Set(), results: [], fraction: [], startedAt: null };
    const prev = splits.get(runId);
    if (prev) prev.ended = true; // replaced (a reattach after a submit in the same process)
    splits.set(runId, s);
    const hooks: JobHooks = {
      shouldCancel: () => s.cancelRequested || s.ended,
      onProgress: (done, total, detail) => {
        if (!s.ended) s.events.progress(done, total, detail);
      },
    };
    void (async () => {
      let plan: FanOutPlan;
      try {
        plan = await fan.plan(job.config, { runs, hooks });
      } catch (e) {
        if (s.cancelRequested || e instanceof CancelledError) return end(s, (ev) => ev.cancelled());
        const err = toAppError(e);
        return end(s, (ev) => ev.failed({ ...err, type: 'job', message: `run ${runId} could not be split into cluster jobs: ${err.message}` }));
      }
      if (s.ended) return;
      if (s.cancelRequested) return end(s, (ev) => ev.cancelled());
      s.plan = plan;
      s.results = plan.parts.map(() => null);
      s.fraction = plan.parts.map(() => 0);
      for (const [i, part] of plan.parts.entries()) {
        if (s.ended) return;
        if (s.cancelRequested) return settleCancel(s);
        s.live.add(i);
        try {
          await base.submit(partJobId(runId, i), part.job, partEvents(s, i, plan));
        } catch (e) {
          s.live.delete(i);
          const err = toAppError(e);
          return abort(s, (ev) => ev.failed({ ...err, message: `part ${i + 1} of ${plan.parts.length} could not be sent to the cluster: ${err.message}` }));
        }
      }
    })();
  };

  return {
    refuses: (job) => (byKind.has(job.kind) ? null : base.refuses(job)),

    async submit(runId, job, events) {
      const fan = byKind.get(job.kind);
      if (!fan) return base.submit(runId, job, events);
      start(fan, runId, job, events);
    },

    async cancel(runId) {
      const s = splits.get(runId);
      if (!s) return base.cancel(runId);
      if (s.cancelRequested) return;
      s.cancelRequested = true;
      if (!s.plan) return; // still planning: the plan stops at its next check and ends the run cancelled
      cancelLive(s);
      settleCancel(s);
    },

    async reattach(runId, events) {
      const run = runs.get(runId);
      const fan = run ? byKind.get(run.kind) : undefined;
      // a split run is planned again from the store (its solve is done by now) and its parts queued again: parts
      // that exist are not added twice and deliver their stored results; parts never sent (the app closed while
      // planning) or expired are run now
      if (run && fan) start(fan, runId, { kind: run.kind, config: run.config }, events);
      else await base.reattach(runId, events);
    },

    status: () => base.status(),

    async close() {
      for (const s of splits.values()) s.ended = true;
      splits.clear();
      await base.close();
    },
  };
}
