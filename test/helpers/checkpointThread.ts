import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Worker } from 'node:worker_threads';
import { spawnWorker } from '../../src-main/jobs/manager';
import { type FromWorker, type ToWorker } from '../../src-main/jobs/protocol';
import { SOURCE_WORKER } from './paths';
import { tempDir } from './tmp';

/** What one attempt of a job in a real job worker thread (src-main/app/worker.ts) sent back. */
export interface ThreadAttempt {
  outcome: 'result' | 'cancelled' | 'error' | 'killed';
  result?: Extract<FromWorker, { type: 'result' }>;
  error?: Extract<FromWorker, { type: 'error' }>['error'];
  /** Every 'checkpoint' message's state, in order. */
  checkpoints: unknown[];
  progress: Array<Extract<FromWorker, { type: 'progress' }>>;
}

/**
 * A data folder no store can be opened in (its parent is a regular file, so `mkdir` fails): a runner given
 * it proves it never touched the store.
 */
export function unusableDataDir(): string {
  const file = join(tempDir('hw-nostore-'), 'not-a-folder');
  writeFileSync(file, 'a file, so no store can be created below it');
  return join(file, 'store');
}

/**
 * Run one job attempt the way a cluster worker does: a job worker thread started with `checkpoint: { resume }`.
 * `cancelWhen` sees every message and sets the worker's cancel flag when it returns true (the job then stops
 * cooperatively, with its checkpoints posted so far); `killWhen` instead terminates the thread at once, as a
 * killed worker process stops (outcome 'killed'; only the checkpoints that arrived before count). The worker
 * is terminated when the attempt ends; the whole attempt is bounded by `timeoutMs`.
 */
export function runAttempt(opts: {
  kind: string;
  config: unknown;
  resume: unknown;
  cancelWhen?: (msg: FromWorker, checkpoints: unknown[]) => boolean;
  killWhen?: (msg: FromWorker, checkpoints: unknown[]) => boolean;
  timeoutMs?: number;
}): Promise<ThreadAttempt> {
  const shared = new SharedArrayBuffer(4);
  const flag = new Int32Array(shared);
  const out: ThreadAttempt = { outcome: 'error', checkpoints: [], progress: [] };
  let worker: Worker;
  return new Promise<ThreadAttempt>((resolve, reject) => {
    worker = spawnWorker(SOURCE_WORKER);
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`job attempt did not end within ${opts.timeoutMs ?? 120_000} ms`));
    }, opts.timeoutMs ?? 120_000);
    let ended = false;
    const end = (outcome: ThreadAttempt['outcome']): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      out.outcome = outcome;
      void worker.terminate().then(() => resolve(out));
    };
    worker.on('message', (msg: FromWorker) => {
      if (ended) return;
      if (msg.type === 'checkpoint') out.checkpoints.push(msg.state);
      if (msg.type === 'progress') out.progress.push(msg);
      if (opts.cancelWhen?.(msg, out.checkpoints)) Atomics.store(flag, 0, 1);
      if (opts.killWhen?.(msg, out.checkpoints)) return end('killed');
      if (msg.type === 'result') {
        out.result = msg;
        end('result');
      } else if (msg.type === 'cancelled') end('cancelled');
      else if (msg.type === 'error') {
        out.error = msg.error;
        end('error');
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    const start: ToWorker = { type: 'start', runId: 'checkpoint-test', job: { kind: opts.kind, config: opts.config }, cancelFlag: shared, dataDir: unusableDataDir(), checkpoint: { resume: opts.resume } };
    worker.postMessage(start);
  });
}
