import { appError } from '../../../src-shared/api/errors';
import { fieldLabel } from '../../../src-shared/api/fieldLabels';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { readFinishedRun } from '../../../src-shared/api/jobs';
import { type HestonSolveRunConfig, type HestonSurface, surfaceArrayName } from '../../../src-shared/heston/contract';
import { HESTON_SOLVER_PRESETS, hestonSolveConfigSchema } from '../../../src-shared/heston/config';
import { estimateHestonSolve } from '../../../src-shared/heston/estimate';
import { claimText } from '../../../src-shared/heston/market';
import { type JobManager } from '../../jobs/manager';
import { type WorkGuard } from '../../limits/guard';
import { type RunQueries } from '../../store/queries/runs';
import { hestonJobTotal } from './solveJob';

type HestonHandlers = Pick<HandlerTable, 'heston-solve' | 'heston-surface'>;

/**
 * Heston solve runs (kind 'heston-solve'): the request's market and claim with the chosen solver preset (steps
 * and seed may override it) make the full solver config; it is checked with the engine's schema (exercise dates
 * on the grid among others), each problem naming its field, and the work estimate against the limits, before a
 * run row is written and the job queued. `heston-surface` reads a finished run's stored Greek surfaces.
 */
export function hestonHandlers(deps: { runs: RunQueries; jobs: JobManager; guard?: WorkGuard }): HestonHandlers {
  return {
    'heston-solve': ({ market, claim, scheme, solver, steps, seed, label, allowLong }) => {
      const preset = HESTON_SOLVER_PRESETS[solver];
      const full = { ...preset.config, market, claim, scheme, seed: seed ?? 1, ...(steps !== undefined ? { steps } : {}) };
      const parsed = hestonSolveConfigSchema.safeParse(full);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => {
          const path = i.path.map(String);
          const value = path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), full);
          return { field: path.join('.'), label: fieldLabel(path, { domain: 'heston' }), message: i.message, value };
        });
        throw appError('validation', 'INVALID_INPUT', `invalid heston-solve request — ${fields.map((f) => `${f.label}: ${f.message} (got ${JSON.stringify(f.value)})`).join('; ')}`, fields);
      }
      const cfg = parsed.data;
      deps.guard?.check(estimateHestonSolve(cfg), allowLong);
      const { market: m, claim: c, ...rest } = cfg;
      const config: HestonSolveRunConfig = { market: m, claim: c, solver: { ...rest, preset: solver } };
      const text = label?.trim() || `${scheme.toUpperCase()} · Heston · ${claimText(c)} · N=${cfg.steps} · ${solver}`;
      const runId = deps.jobs.submit({ kind: 'heston-solve', config }, { model: scheme, label: text.slice(0, 120), total: hestonJobTotal(cfg), seed: cfg.seed });
      return { runId };
    },
    'heston-surface': ({ runId, date, greek }): HestonSurface => {
      const run = deps.runs.get(runId);
      if (!run || run.kind !== 'heston-solve') throw appError('not-found', 'RUN_NOT_FOUND', `Heston solve run ${runId} does not exist`);
      const { metrics } = readFinishedRun(run, 'heston-solve');
      const info = metrics.surfaces;
      if (!info || info.dates.length === 0) throw appError('conflict', 'NO_SURFACES', `run ${run.label || runId} stored no Greek surfaces`);
      if (date >= info.dates.length) {
        throw appError('validation', 'INVALID_INPUT', `date: the run stored ${info.dates.length} dates; choose 0 to ${info.dates.length - 1}`, [
          { field: 'date', message: `must be < ${info.dates.length}`, value: date },
        ]);
      }
      const d = info.dates[date]!;
      const size = d.S.length * d.nu.length;
      const offset = info.dates.slice(0, date).reduce((a, x) => a + x.S.length * x.nu.length, 0);
      const slice = (source: 'network' | 'pde'): number[] | null => {
        const a = deps.runs.getArray(runId, surfaceArrayName(source, greek));
        return a ? Array.from(a.subarray(offset, offset + size)) : null;
      };
      const network = slice('network');
      if (!network) throw appError('conflict', 'NO_SURFACES', `run ${run.label || runId} has no stored ${greek} surface`);
      return { runId, greek, n: d.n, t: d.t, S: d.S, nu: d.nu, network, pde: info.pde ? slice('pde') : null };
    },
  };
}
