import { type JobConfig, type JobKind, type JobMetrics } from '../../src-shared/api/jobs';
import { type JobHooks } from '../engine/cancel';
import { type StoredArray } from '../store/queries/runs';
import { type CheckpointChannel } from '../cluster/types';

/** What a job runner gets inside the worker. */
export interface JobContext {
  /** Progress (throttled unless it carries a detail) and cooperative cancellation. */
  hooks: JobHooks;
  /** Name the compute backend doing the work (recorded on the run); call once, before the heavy part. */
  started(backend: string): void;
  /** The store's folder, for the few jobs that write more than a result (e.g. an order-book import). */
  dataDir: string;
  runId: string;
  /**
   * Given when the job runs where a killed attempt is retried elsewhere (a cluster worker): runners that can
   * resume ('hedge' training, 'bsde-solve', 'heston-solve') save their state after every unit of work and start
   * from `latest()`, and must not open the store (a cluster worker has none). Absent for local runs.
   */
  checkpoints?: CheckpointChannel;
}

/** A job's result: metrics (JSON) and typed arrays, stored with the run in one transaction. */
export interface JobOutput<M = unknown> {
  metrics: M;
  arrays?: Record<string, StoredArray>;
}

/** Runs one job in a worker: config C in, metrics M out. Throw `CancelledError` when `hooks.shouldCancel()` says so. */
export type Runner<C, M> = (config: C, ctx: JobContext) => JobOutput<M> | Promise<JobOutput<M>>;

/** The runner of a stored job kind (src-shared/api/jobs.ts), typed by the kind's config and metrics. */
export type JobRunner<K extends JobKind> = Runner<JobConfig<K>, JobMetrics<K>>;

/** One runner per stored job kind: a kind without a runner is a type error. */
export type JobRunnerTable = { [K in JobKind]: JobRunner<K> };
