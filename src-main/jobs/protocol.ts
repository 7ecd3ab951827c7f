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
  | {
      type: 'start';
      runId: string;
      job: WireJob;
      cancelFlag: SharedArrayBuffer;
      dataDir: string;
      /**
       * Present when the job runs with a CheckpointChannel (a cluster worker, src-main/cluster/types.ts): the
       * runner's context then has `checkpoints`, whose `latest()` is `resume` (the state an earlier attempt saved,
       * null/undefined on a first attempt) and whose `save` posts a 'checkpoint' message. Absent for local runs,
       * which keep their checkpoints in the store as before.
       */
      checkpoint?: { resume: unknown };
    }
  /** Load tfjs and report which backend this machine gets (the worker then exits). */
  | { type: 'probe' };

export type FromWorker =
  | { type: 'started'; backend: string }
  | { type: 'progress'; done: number; total: number; detail?: unknown }
  | { type: 'result'; wallMs: number; metrics: unknown; arrays: Record<string, StoredArray> }
  | { type: 'cancelled' }
  /** A runner's resumable state after a unit of work (only when 'start' had `checkpoint`); the newest replaces the older. */
  | { type: 'checkpoint'; state: unknown }
  | { type: 'error'; error: AppError }
  | { type: 'probe'; backend: string; notes: string[] };
