import { type AppError } from '../../src-shared/api/errors';
import { type HedgeConfig, type HedgeMetrics } from '../../src-shared/hedging/config';

/**
 * Messages between the job manager (main thread) and a job worker. One worker runs one job. Cancellation
 * is cooperative: the manager sets cell 0 of the shared Int32Array to 1, the engine checks it between chunks.
 */
export type JobSpec = { kind: 'hedge'; config: HedgeConfig };

export type ToWorker =
  | { type: 'start'; runId: string; job: JobSpec; cancelFlag: SharedArrayBuffer }
  /** Load tfjs and report which backend this machine gets (the worker then exits). */
  | { type: 'probe' };

export type FromWorker =
  | { type: 'started'; backend: string }
  | { type: 'progress'; done: number; total: number }
  | {
      type: 'result';
      wallMs: number;
      metrics: HedgeMetrics;
      arrays: Record<string, Float64Array>;
    }
  | { type: 'cancelled' }
  | { type: 'error'; error: AppError }
  | { type: 'probe'; backend: string; notes: string[] };
