import { performance } from 'node:perf_hooks';
import { type QlbsConfig } from '../../../src-shared/qlbs/config';
import { type QlbsSweepConfig, type QlbsSweepMetrics, type SweepSeries } from '../../../src-shared/qlbs/sweep';
import { type JobHooks } from '../cancel';
import { runQlbs } from './qlbs';

/**
 * A sweep: the whole QLBS run (qlbs.ts) for every value of one parameter, `repeats` times with seeds
 * seed, seed + 1, …; per value the mean and standard deviation over the repeats of the DP price, the hedge
 * cost in and out of sample and the FQI price. An eta sweep always runs FQI (eta affects nothing else).
 *
 * Progress: one unit per backward step of every run; after each run a detail with the partial results
 * (`QlbsSweepMetrics`, `done` runs so far) so the view can draw the points as they arrive.
 */

export interface SweepOutput {
  metrics: QlbsSweepMetrics;
  /** Per run, values x repeats row-major (value i, repeat r at i * repeats + r). */
  arrays: { dpPrice: Float64Array; dpHedgeCost: Float64Array; dpHedgeCostOos: Float64Array; fqiPrice: Float64Array | null };
}

/** The run config of one point. */
export function sweepPointConfig(s: QlbsSweepConfig, value: number, repeat: number): QlbsConfig {
  const method = s.param === 'eta' ? 'fqi' : s.base.method;
  return { ...s.base, method, [s.param]: value, seed: s.base.seed + repeat, label: undefined };
}

const series = (x: Float64Array, values: number, repeats: number, done: boolean[]): SweepSeries => {
  const mean: Array<number | null> = [];
  const sd: Array<number | null> = [];
  for (let i = 0; i < values; i++) {
    if (!done[i]) {
      mean.push(null);
      sd.push(null);
      continue;
    }
    const row = x.subarray(i * repeats, (i + 1) * repeats);
    const m = row.reduce((s, v) => s + v, 0) / repeats;
    mean.push(m);
    sd.push(repeats > 1 ? Math.sqrt(row.reduce((s, v) => s + (v - m) ** 2, 0) / (repeats - 1)) : 0);
  }
  return { mean, sd };
};

/** JSON has no NaN: non-finite entries become null. */
const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);
const jsonSafe = (x: SweepSeries): SweepSeries => ({ mean: x.mean.map(finiteOrNull), sd: x.sd.map(finiteOrNull) });

/** Run the sweep `s` (validated by `qlbsSweepSchema`). Throws CancelledError when the hooks ask. */
export function runSweep(s: QlbsSweepConfig, hooks?: JobHooks): SweepOutput {
  const t0 = performance.now();
  const nv = s.values.length;
  const R = s.repeats;
  const withFqi = s.param === 'eta' || s.base.method === 'fqi';
  const unitsOf = (c: QlbsConfig): number => c.steps + (c.method === 'fqi' && c.fqiSteps !== c.steps ? c.fqiSteps : 0);
  const total = s.values.reduce((sum, v) => sum + R * unitsOf(sweepPointConfig(s, v, 0)), 0);

  const dpPrice = new Float64Array(nv * R);
  const dpHedgeCost = new Float64Array(nv * R);
  const dpHedgeCostOos = new Float64Array(nv * R);
  const dpStdErr = new Float64Array(nv * R);
  const fqiPrice = withFqi ? new Float64Array(nv * R) : null;
  const bsPrice = new Array<number>(nv).fill(NaN);
  const computed = new Array<boolean>(nv).fill(false);
  let offset = 0;
  let doneRuns = 0;

  const snapshot = (): QlbsSweepMetrics => ({
    kind: 'qlbs-sweep',
    param: s.param,
    values: s.values,
    repeats: R,
    done: doneRuns,
    bsPrice: bsPrice.map(finiteOrNull),
    dpPrice: jsonSafe(series(dpPrice, nv, R, computed)),
    dpHedgeCost: jsonSafe(series(dpHedgeCost, nv, R, computed)),
    dpHedgeCostOos: jsonSafe(series(dpHedgeCostOos, nv, R, computed)),
    dpHedgeCostStdErr: series(dpStdErr, nv, R, computed).mean.map(finiteOrNull),
    fqiPrice: fqiPrice ? jsonSafe(series(fqiPrice, nv, R, computed)) : null,
    computed: [...computed],
    wallMs: performance.now() - t0,
  });

  hooks?.onProgress?.(0, total, snapshot());
  for (let i = 0; i < nv; i++) {
    for (let r = 0; r < R; r++) {
      const c = sweepPointConfig(s, s.values[i], r);
      const base = offset;
      const inner: JobHooks = {
        shouldCancel: hooks?.shouldCancel,
        onProgress: (done) => hooks?.onProgress?.(base + done, total),
      };
      const m = runQlbs(c, { hooks: inner }).metrics;
      const idx = i * R + r;
      dpPrice[idx] = m.dpPrice;
      dpHedgeCost[idx] = m.dpHedgeCost;
      dpHedgeCostOos[idx] = m.dpHedgeCostOos;
      dpStdErr[idx] = m.dpHedgeCostStdErr;
      if (fqiPrice) fqiPrice[idx] = m.fqiPrice ?? NaN;
      bsPrice[i] = m.bsPrice;
      offset += unitsOf(c);
      doneRuns++;
      if (r === R - 1) computed[i] = true;
      hooks?.onProgress?.(offset, total, snapshot());
    }
  }
  return { metrics: snapshot(), arrays: { dpPrice, dpHedgeCost, dpHedgeCostOos, fqiPrice } };
}
