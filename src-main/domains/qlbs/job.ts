import { runQlbs } from '../../engine/qlbs/qlbs';
import { runSweep } from '../../engine/qlbs/sweep';
import { type JobRunner } from '../../jobs/runner';
import { type StoredArray } from '../../store/queries/runs';

/**
 * QLBS jobs in a worker (float64 JavaScript, no tensors). A run stores its learned model (knots and the
 * DP/FQI coefficients, from which the view evaluates hedge curves and Q grids at any time step), the
 * per-date spot quantiles, the values by time step and the portfolio samples Pi_0 as typed-array blobs.
 */
export const runQlbsJob: JobRunner<'qlbs'> = (config, ctx) => {
  ctx.started('js-float64');
  const r = runQlbs(config, { hooks: ctx.hooks });
  const arrays: Record<string, StoredArray> = {
    knots: r.model.basis.knots,
    phiDp: r.model.phiDp,
    omegaDp: r.model.omegaDp,
    sQuantiles: r.model.sQuantiles,
    valueDp: r.dp.value,
    pi0Dp: r.pi0Dp,
  };
  if (r.fqi && r.model.phiFqi && r.model.wFqi && r.model.omegaDpFqiGrid && r.pi0Fqi && r.fqi.valueF) {
    arrays.phiFqi = r.model.phiFqi;
    arrays.wFqi = r.model.wFqi;
    arrays.omegaDpFqi = r.model.omegaDpFqiGrid;
    arrays.valueFqi = r.fqi.valueF;
    arrays.valueDpFqi = r.fqi.value;
    arrays.pi0Fqi = r.pi0Fqi;
  }
  return { metrics: r.metrics, arrays };
};

/** A sweep: every point's prices as (values x repeats) arrays, per-value summaries in the metrics. */
export const runQlbsSweepJob: JobRunner<'qlbs-sweep'> = (config, ctx) => {
  ctx.started('js-float64');
  const out = runSweep(config, ctx.hooks);
  const arrays: Record<string, StoredArray> = {
    dpPrice: out.arrays.dpPrice,
    dpHedgeCost: out.arrays.dpHedgeCost,
    dpHedgeCostOos: out.arrays.dpHedgeCostOos,
  };
  if (out.arrays.fqiPrice) arrays.fqiPrice = out.arrays.fqiPrice;
  return { metrics: out.metrics, arrays };
};
