import { solveBook } from '../../engine/bsde/solve';
import { chooseBackend } from '../../engine/tensor/backend';
import { type JobRunner } from '../../jobs/runner';

/**
 * A solve in a job worker: pick the best tfjs backend (tfjs-node-gpu > tfjs-node > wasm > cpu), train,
 * and return the t = 0 results as metrics and every trained network as the `weights` array.
 * With `ctx.checkpoints` (a cluster worker) the state after every backward time step is saved to it and a
 * retried attempt resumes after the last solved step (engine/bsde/stepState.ts); local runs are not resumable.
 */
export const runBsdeJob: JobRunner<'bsde-solve'> = async (c, ctx) => {
  const backend = await chooseBackend();
  ctx.started(backend.name);
  const channel = ctx.checkpoints;
  const { metrics, weights } = solveBook(c.book, c.solver, ctx.hooks, channel ? { resume: channel.latest(), onStepDone: (s) => channel.save(s) } : undefined);
  return { metrics, arrays: { weights } };
};
