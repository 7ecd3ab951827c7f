import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { toAppError } from '../../src-shared/api/errors';
import { CancelledError, type JobHooks } from '../engine/cancel';
import { runBsdh } from '../engine/hedging/bsdh';
import { chooseBackend } from '../engine/tensor/backend';
import { type FromWorker, type JobSpec, type ToWorker } from './protocol';

/** Job worker: runs one engine job off the main thread and reports progress at most every 100 ms. */
const PROGRESS_INTERVAL_MS = 100;

function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(msg, transfer);
}

function hooksFor(cancelFlag: Int32Array): JobHooks {
  let last = 0;
  return {
    onProgress(done, total) {
      const now = performance.now();
      if (done >= total || now - last >= PROGRESS_INTERVAL_MS) {
        last = now;
        post({ type: 'progress', done, total });
      }
    },
    shouldCancel: () => Atomics.load(cancelFlag, 0) === 1,
  };
}

function run(job: JobSpec, hooks: JobHooks): void {
  switch (job.kind) {
    case 'hedge': {
      // BSDH needs no tensors: a float64 JavaScript kernel, exact to double precision.
      post({ type: 'started', backend: 'js-float64' });
      const t0 = performance.now();
      const { pnl, cost, metrics } = runBsdh(job.config, hooks);
      const wallMs = performance.now() - t0;
      post({ type: 'result', wallMs, metrics, arrays: { pnl, cost } }, [pnl.buffer as ArrayBuffer, cost.buffer as ArrayBuffer]);
      return;
    }
  }
}

parentPort!.once('message', (msg: ToWorker) => {
  if (msg.type === 'probe') {
    chooseBackend().then(
      (c) => post({ type: 'probe', backend: c.name, notes: c.notes }),
      (e) => post({ type: 'probe', backend: 'cpu', notes: [`backend probe failed: ${String(e)}`] }),
    );
    return;
  }
  try {
    run(msg.job, hooksFor(new Int32Array(msg.cancelFlag)));
  } catch (e) {
    if (e instanceof CancelledError) post({ type: 'cancelled' });
    else post({ type: 'error', error: { ...toAppError(e), type: 'job', code: 'JOB_FAILED' } });
  }
});
