import { type AppError } from '../../src-shared/api/errors';
import { type StoredArray } from '../store/queries/runs';

/**
 * Messages between the job manager (main thread) and a job worker. One worker runs one job. Cancellation
 * is cooperative: the manager sets cell 0 of the shared Int32Array to 1, the engine checks it between chunks.
 */
export interface WireJob {
  /** A stored job kind (src-shared/api/jobs.ts) or a helper kind, registered in src-main/app/jobRunners.ts. */
  kind: string;
  /** Already validated by the handler that submitted it (typed by the kind at `JobManager.submit`). */
  config: unknown;
}

export type ToWorker =
  | { type: 'start'; runId: string; job: WireJob; cancelFlag: SharedArrayBuffer; dataDir: string }
  /** Load tfjs and report which backend this machine gets (the worker then exits). */
  | { type: 'probe' };

export type FromWorker =
  | { type: 'started'; backend: string }
  | { type: 'progress'; done: number; total: number; detail?: unknown }
  | { type: 'result'; wallMs: number; metrics: unknown; arrays: Record<string, StoredArray> }
  | { type: 'cancelled' }
  | { type: 'error'; error: AppError }
  | { type: 'probe'; backend: string; notes: string[] };
