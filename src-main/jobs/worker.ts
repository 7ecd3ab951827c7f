import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { toAppError } from '../../src-shared/api/errors';
import { CancelledError, type JobHooks } from '../engine/cancel';
import { chooseBackend } from '../engine/tensor/backend';
import { type FromWorker, type ToWorker } from './protocol';
import { type JobRunnerTable, type Runner } from './runner';
import { type CheckpointChannel } from '../cluster/types';

/**
 * The job worker's loop: runs one job off the main thread; plain progress at most every 100 ms. The runners
 * come from the composition root (src-main/app/worker.ts is the worker's entry script), so jobs/ knows no domain.
 */
const PROGRESS_INTERVAL_MS = 100;

function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(msg, transfer);
}

function hooksFor(cancelFlag: Int32Array): JobHooks {
  let last = 0;
  return {
    onProgress(done, total, detail) {
      const now = performance.now();
      if (detail !== undefined || done >= total || now - last >= PROGRESS_INTERVAL_MS) {
        last = now;
        post(detail === undefined ? { type: 'progress', done, total } : { type: 'progress', done, total, detail });
      }
    },
    shouldCancel: () => Atomics.load(cancelFlag, 0) === 1,
  };
}

/** The runner registered for a wire kind, or undefined (own properties only: no `toString`, `__proto__`). */
function runnerFor(runners: JobRunnerTable, kind: string): Runner<unknown, unknown> | undefined {
  return Object.prototype.hasOwnProperty.call(runners, kind) ? (runners as unknown as Record<string, Runner<unknown, unknown>>)[kind] : undefined;
}

/**
 * The checkpoint channel of a job started with `checkpoint`: `latest()` is the state the earlier attempt saved,
 * `save` posts it to the parent, which keeps it (in Redis, on the cluster). Posted without a transfer list:
 * structured clone copies the state at once, so the runner may keep using (and mutating) its arrays.
 */
function checkpointChannel(resume: unknown): CheckpointChannel {
  return {
    latest: () => resume ?? null,
    save: (state) => post({ type: 'checkpoint', state }),
  };
}

async function start(runner: Runner<unknown, unknown>, msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  let t0 = performance.now();
  let announced = false;
  const out = await runner(msg.job.config, {
    hooks: hooksFor(new Int32Array(msg.cancelFlag)),
    started(backend) {
      if (announced) return;
      announced = true;
      t0 = performance.now();
      post({ type: 'started', backend });
    },
    dataDir: msg.dataDir,
    runId: msg.runId,
    ...(msg.checkpoint ? { checkpoints: checkpointChannel(msg.checkpoint.resume) } : {}),
  });
  if (!announced) post({ type: 'started', backend: 'js-float64' });
  const wallMs = performance.now() - t0;
  const arrays = out.arrays ?? {};
  const buffers = [...new Set(Object.values(arrays).map((a) => a.buffer as ArrayBuffer))];
  post({ type: 'result', wallMs, metrics: out.metrics, arrays }, buffers);
}

/** Serve one start (or probe) message on this worker thread with the given runners. */
export function serveJobWorker(runners: JobRunnerTable): void {
  parentPort!.once('message', (msg: ToWorker) => {
    if (msg.type === 'probe') {
      chooseBackend().then(
        (c) => post({ type: 'probe', backend: c.name, notes: c.notes }),
        (e) => post({ type: 'probe', backend: 'cpu', notes: [`backend probe failed: ${String(e)}`] }),
      );
      return;
    }
    const runner = runnerFor(runners, msg.job.kind);
    const run = runner ? start(runner, msg) : Promise.reject(new Error(`no job runner for kind "${msg.job.kind}"`));
    run.catch((e) => {
      if (e instanceof CancelledError) post({ type: 'cancelled' });
      else post({ type: 'error', error: { ...toAppError(e), type: 'job', code: 'JOB_FAILED' } });
    });
  });
}
