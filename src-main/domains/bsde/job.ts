import { chooseBackend } from '../../engine/tensor/backend';
import { type JobRunner } from '../../jobs/runner';
import { solveBookThreaded } from './threads';

/**
 * A solve in a job worker: pick the best tfjs backend (tfjs-node-gpu > tfjs-node > wasm > cpu), train
 * (every Adam step's batch split over two threads when a core is free, see threads.ts), and return the
 * t = 0 results as metrics and every trained network as the `weights` array.
 */
export const runBsdeJob: JobRunner<'bsde-solve'> = async (c, ctx) => {
  const backend = await chooseBackend();
  ctx.started(backend.name);
  const { metrics, weights } = await solveBookThreaded(c.book, c.solver, ctx.hooks);
  return { metrics, arrays: { weights } };
};
