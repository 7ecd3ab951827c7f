import { type JobHooks } from '../engine/cancel';
import { type StoredArray } from '../store/queries/runs';

/** What a job runner gets inside the worker. */
export interface JobContext {
  /** Progress (throttled unless it carries a detail) and cooperative cancellation. */
  hooks: JobHooks;
  /** Name the compute backend doing the work (recorded on the run); call once, before the heavy part. */
  started(backend: string): void;
  /** The store's folder, for the few jobs that write more than a result (e.g. an order-book import). */
  dataDir: string;
  runId: string;
}

/** A job's result: metrics (JSON) and typed arrays, stored with the run in one transaction. */
export interface JobOutput {
  metrics: unknown;
  arrays?: Record<string, StoredArray>;
}

/** Runs one kind of job in a worker. Throw `CancelledError` when `hooks.shouldCancel()` says so. */
export type JobRunner = (config: unknown, ctx: JobContext) => JobOutput | Promise<JobOutput>;
