import { solveBook } from '../../engine/bsde/solve';
import { chooseBackend } from '../../engine/tensor/backend';
import { type JobRunner } from '../../jobs/runner';

/**
 * A solve in a job worker: pick the best tfjs backend (tfjs-node-gpu > tfjs-node > wasm > cpu), train,
 * and return the t = 0 results as metrics and every trained network as the `weights` array.
 */
export const runBsdeJob: JobRunner<'bsde-solve'> = async (c, ctx) => {
  const backend = await chooseBackend();
  ctx.started(backend.name);
  const { metrics, weights } = solveBook(c.book, c.solver, ctx.hooks);
  return { metrics, arrays: { weights } };
};
