import { appError } from '../../../src-shared/api/errors';
import { readStoredRun } from '../../../src-shared/api/jobs';
import { type AnyRun } from '../../../src-shared/api/runs';
import { type QlbsConfig, type QlbsMetrics } from '../../../src-shared/qlbs/config';
import { type QlbsSweepConfig } from '../../../src-shared/qlbs/sweep';
import { hedgeCurves, qSurface, type StoredModel } from '../../engine/qlbs/model';
import { sweepPointConfig } from '../../engine/qlbs/sweep';
import { pnlDistribution } from '../../engine/risk/distribution';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { type JobManager } from '../../jobs/manager';
import { type RunQueries } from '../../store/queries/runs';

type QlbsHandlers = Pick<HandlerTable, 'qlbs-start' | 'qlbs-sweep' | 'qlbs-curves' | 'qlbs-qsurface' | 'qlbs-portfolio'>;

/** `DP+FQI put K=100 μ=0.05 σ=0.15 λ=0.001 24/6 steps 10000 paths`. */
export function defaultLabel(c: QlbsConfig): string {
  const method = c.method === 'fqi' ? 'DP+FQI' : 'DP';
  const steps = c.method === 'fqi' ? `${c.steps}/${c.fqiSteps}` : `${c.steps}`;
  return `${method} ${c.option} K=${c.strike} μ=${c.mu} σ=${c.sigma} λ=${c.lambda} ${steps} steps ${c.paths} paths`;
}

const SWEEP_NAMES: Record<QlbsSweepConfig['param'], string> = { lambda: 'λ', mu: 'μ', paths: 'paths', eta: 'η' };

export function defaultSweepLabel(s: QlbsSweepConfig): string {
  const v = s.values;
  return `Sweep ${SWEEP_NAMES[s.param]} ${v[0]}…${v[v.length - 1]} (${v.length} values${s.repeats > 1 ? ` x ${s.repeats}` : ''}) ${s.base.option} K=${s.base.strike}`;
}

/** Progress units of a run: one per backward step (DP steps, plus the FQI grid when separate). */
export const progressTotal = (c: QlbsConfig): number => c.steps + (c.method === 'fqi' && c.fqiSteps !== c.steps ? c.fqiSteps : 0);

/** Start QLBS runs and sweeps; read a finished run's learned hedges, Q grid and portfolio distribution. */
export function qlbsHandlers(deps: { runs: RunQueries; jobs: JobManager }): QlbsHandlers {
  const { runs, jobs } = deps;

  const finishedRun = (runId: string): { run: AnyRun; config: QlbsConfig; metrics: QlbsMetrics } => {
    const run = runs.get(runId);
    if (!run) throw appError('not-found', 'RUN_NOT_FOUND', `run ${runId} does not exist (was it deleted?)`);
    if (run.kind !== 'qlbs') throw appError('conflict', 'NOT_A_QLBS_RUN', `run ${run.label || runId} is a ${run.kind} run, not a QLBS run`);
    const stored = readStoredRun(run, 'qlbs');
    if (stored.status !== 'done' || !stored.metrics) {
      throw appError('conflict', 'RUN_NOT_DONE', `run ${run.label || runId} has no results (status: ${run.status})`);
    }
    return { run, config: stored.config, metrics: stored.metrics };
  };
  const f64 = (runId: string, name: string): Float64Array | null => {
    const a = runs.getArray(runId, name);
    return a instanceof Float64Array ? a : null;
  };
  const model = (runId: string): StoredModel => {
    const need = (name: string): Float64Array => {
      const a = f64(runId, name);
      if (!a) throw appError('conflict', 'RUN_HAS_NO_MODEL', `run ${runId} has no stored "${name}" array (stored by an older version?)`);
      return a;
    };
    return {
      knots: need('knots'),
      phiDp: need('phiDp'),
      omegaDp: need('omegaDp'),
      sQuantiles: need('sQuantiles'),
      phiFqi: f64(runId, 'phiFqi'),
      wFqi: f64(runId, 'wFqi'),
      omegaDpFqi: f64(runId, 'omegaDpFqi'),
    };
  };
  const badField = (field: string, value: unknown, message: string) =>
    appError('validation', 'INVALID_INPUT', `${field}: ${message} (got ${JSON.stringify(value)})`, [{ field, message, value }]);

  return {
    'qlbs-start': (config) => {
      const label = config.label?.trim() || defaultLabel(config);
      const runId = jobs.submit({ kind: 'qlbs', config: { ...config, driftTerm: config.driftTerm ?? false } }, { model: config.method, label, total: progressTotal(config) });
      return { runId };
    },
    'qlbs-sweep': (sweep) => {
      const label = sweep.label?.trim() || defaultSweepLabel(sweep);
      const total = sweep.values.reduce((s, v) => s + sweep.repeats * progressTotal(sweepPointConfig(sweep, v, 0)), 0);
      const runId = jobs.submit({ kind: 'qlbs-sweep', config: sweep }, { model: `sweep-${sweep.param}`, label, total, seed: sweep.base.seed });
      return { runId };
    },
    'qlbs-curves': ({ runId, times, points }) => {
      const { config } = finishedRun(runId);
      times.forEach((t, i) => {
        if (t >= config.steps) throw badField(`times.${i}`, t, `time step must be between 0 and ${config.steps - 1} (the run has ${config.steps} steps)`);
      });
      return { runId, option: config.option, steps: config.steps, curves: hedgeCurves(config, model(runId), times, points) };
    },
    'qlbs-qsurface': ({ runId, t, sPoints, aPoints }) => {
      const { config } = finishedRun(runId);
      if (config.method !== 'fqi') throw appError('conflict', 'RUN_HAS_NO_FQI', 'this run used method dp: Q(S, a) is fitted by FQI; start a run with method fqi');
      if (config.fqiSteps < 2) throw appError('conflict', 'FQI_GRID_TOO_SHORT', 'the FQI grid has one step: Q(S, a) is only known at S0 (use fqiSteps >= 2)');
      if (t < 1 || t >= config.fqiSteps) {
        throw badField('t', t, `t must be an FQI time step between 1 and ${config.fqiSteps - 1} (at t = 0 every path is at S0)`);
      }
      return qSurface(config, model(runId), runId, t, sPoints, aPoints);
    },
    'qlbs-portfolio': ({ runId, bins }) => {
      const { run, metrics } = finishedRun(runId);
      const dp = f64(runId, 'pi0Dp');
      if (!dp) throw appError('conflict', 'RUN_HAS_NO_MODEL', `run ${run.label || runId} has no stored portfolio sample`);
      const fqi = f64(runId, 'pi0Fqi');
      const samples = [{ runId, label: `DP (${metrics.steps} steps)`, pnl: dp }];
      if (fqi) samples.push({ runId, label: `FQI behaviour (${metrics.fqiSteps} steps)`, pnl: fqi });
      return { runId, distribution: pnlDistribution(samples, bins ?? 60), dpMean: metrics.dpHedgeCost, fqiMean: metrics.fqiHedgeCost, bsPrice: metrics.bsPrice };
    },
  };
}
