import { type HedgeConfig } from '../../../src-shared/hedging/config';
import { runBsdh } from '../../engine/hedging/bsdh';
import { type JobRunner } from '../../jobs/runner';

/** A single-option hedging run in a worker. BSDH needs no tensors: a float64 kernel, exact to double precision. */
export const runHedgeJob: JobRunner = (config, ctx) => {
  ctx.started('js-float64');
  const { pnl, cost, metrics } = runBsdh(config as HedgeConfig, ctx.hooks);
  return { metrics, arrays: { pnl, cost } };
};
