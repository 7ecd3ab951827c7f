import { type AppError } from '../../src-shared/api/errors';
import { type StoredArray } from '../store/queries/runs';

/**
 * Messages between the job manager (main thread) and a job worker. One worker runs one job. Cancellation
 * is cooperative: the manager sets cell 0 of the shared Int32Array to 1, the engine checks it between chunks.
 */
export interface JobSpec {
  /** A key of JOB_RUNNERS (src-main/jobs/runners.ts); also the run's `kind`. */
  kind: string;
  /** Already validated by the handler that submitted it. */
  config: unknown;
}

export type ToWorker =
  | { type: 'start'; runId: string; job: JobSpec; cancelFlag: SharedArrayBuffer; dataDir: string }
  /** Load tfjs and report which backend this machine gets (the worker then exits). */
  | { type: 'probe' };

export type FromWorker =
  | { type: 'started'; backend: string }
  | { type: 'progress'; done: number; total: number; detail?: unknown }
  | { type: 'result'; wallMs: number; metrics: unknown; arrays: Record<string, StoredArray> }
  | { type: 'cancelled' }
  | { type: 'error'; error: AppError }
  | { type: 'probe'; backend: string; notes: string[] };
