import { fieldLabel } from '../../../src-shared/api/fieldLabels';
import { appError } from '../../../src-shared/api/errors';
import { readFinishedRun } from '../../../src-shared/api/jobs';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { DEFAULT_HESTON_HEDGE, type HestonHedgeRunConfig } from '../../../src-shared/heston/hedgeContract';
import { type HestonHedgeSchedule } from '../../../src-shared/heston/hedge';
import { hedgeHeston } from '../../engine/heston/hedge';
import { hedgePathSet, onePath } from '../../engine/heston/hedgeRun';
import { pnlDistribution } from '../../engine/risk/distribution';
import { fieldSummary } from '../../host/dispatch';
import { type JobManager } from '../../jobs/manager';
import { type RunQueries } from '../../store/queries/runs';
import { PNL_ARRAY } from './hedgeJob';
import { bookGreeksOf, greekSourceOf, hestonHedgeIssues, hestonHedgeProblem, hestonSolveData, instrumentInfo, type HestonSolveData } from './hedgeProblem';
import { type HestonGreekSource } from '../../../src-shared/heston/types';

type HestonHedgeHandlers = Pick<HandlerTable, 'heston-hedge' | 'heston-hedge-schedule' | 'heston-hedge-distribution'>;

const invalid = (raw: Array<{ field: string; message: string; value: unknown }>) => {
  const fields = raw.map((f) => ({ ...f, label: fieldLabel(f.field) }));
  return appError('validation', 'INVALID_INPUT', `invalid heston-hedge request — ${fieldSummary(fields)}`, fields);
};

const GREEKS_TEXT = { osm: 'OSM', rdbdp: 'RDBDP', pde: 'PDE (ADI)', 'semi-analytic': 'semi-analytic' } as const;

/**
 * Heston hedging along paths: 'heston-hedge' starts a run of kind 'heston-hedge' on a finished 'heston-solve'
 * run (every strategy x R on the same paths), 'heston-hedge-schedule' replays one path of one cell of a
 * finished hedge run (same seed, same paths, same numbers) and returns its schedule.
 */
export function hestonHedgeHandlers(deps: { runs: RunQueries; jobs: JobManager }): HestonHedgeHandlers {
  const { runs, jobs } = deps;
  // The last few Greek sources the schedule replays used: a PDE source costs a PDE solve (seconds), so clicking
  // through paths of one run solves it once.
  const sources = new Map<string, HestonGreekSource>();
  const sourceOf = (solve: HestonSolveData, solveRunId: string, greeks: HestonHedgeRunConfig['greeks']): HestonGreekSource => {
    const key = `${solveRunId}|${greeks}`;
    let src = sources.get(key);
    if (!src) {
      src = greekSourceOf(solve, greeks);
      if (sources.size >= 2) sources.delete(sources.keys().next().value!);
      sources.set(key, src);
    }
    return src;
  };
  const solveOf = (id: string, withNetworks: boolean) => hestonSolveData(runs.get(id), id, withNetworks, (name) => runs.getArray(id, name));
  return {
    'heston-hedge': ({ label, ...req }) => {
      const cfg: HestonHedgeRunConfig = {
        solveRunId: req.solveRunId,
        greeks: req.greeks ?? DEFAULT_HESTON_HEDGE.greeks,
        strategies: req.strategies ?? DEFAULT_HESTON_HEDGE.strategies,
        rebalance: req.rebalance ?? DEFAULT_HESTON_HEDGE.rebalance,
        paths: req.paths ?? DEFAULT_HESTON_HEDGE.paths,
        seed: req.seed ?? DEFAULT_HESTON_HEDGE.seed,
        instruments: req.instruments ?? DEFAULT_HESTON_HEDGE.instruments,
      };
      const solve = solveOf(cfg.solveRunId, false);
      const issues = hestonHedgeIssues(solve, cfg);
      if (issues.length) throw invalid(issues);
      const greeks = GREEKS_TEXT[bookGreeksOf(solve, cfg.greeks)];
      const text = label?.trim() || `Heston hedge · ${greeks} Greeks · ${cfg.strategies.length} strategies · R=${cfg.rebalance.join(',')} · ${cfg.paths} paths`;
      const runId = jobs.submit({ kind: 'heston-hedge', config: cfg }, { model: greeks, label: text.slice(0, 120), total: solve.steps + 1, seed: cfg.seed });
      return { runId };
    },
    'heston-hedge-schedule': ({ runId, strategy, rebalance, path }): HestonHedgeSchedule => {
      const run = runs.get(runId);
      if (!run || run.kind !== 'heston-hedge') throw appError('not-found', 'RUN_NOT_FOUND', `heston hedge run ${runId} does not exist`);
      const { config: c, metrics } = readFinishedRun(run, 'heston-hedge');
      const cell = metrics.cells.find((x) => x.strategy === strategy && x.rebalance === rebalance);
      if (!cell) {
        throw invalid([{ field: 'strategy', message: `the run has no cell ${strategy} at R = ${rebalance}; its strategies are ${c.strategies.join(', ')} and R ${c.rebalance.join(', ')}`, value: strategy }]);
      }
      const index = typeof path === 'number' ? path : cell.pathIndex[path];
      if (index >= c.paths) throw invalid([{ field: 'path', message: `path ${index} does not exist: the run has ${c.paths} paths (0..${c.paths - 1})`, value: index }]);
      const solve = solveOf(c.solveRunId, c.greeks === 'network');
      const problem = hestonHedgeProblem(solve, c, { strategy, rebalance }, undefined, sourceOf(solve, c.solveRunId, c.greeks));
      const set = onePath(hedgePathSet(problem, c.paths, c.seed), index);
      const out = hedgeHeston(problem, set, { recordPath: 0 });
      return {
        runId,
        path: index,
        pick: typeof path === 'number' ? null : path,
        strategy,
        rebalance,
        pnl: out.pnl[0],
        assets: ['S'],
        instruments: instrumentInfo(c).slice(0, out.schedules![0][0]?.weights.length ?? 0).map((i) => i.label),
        rows: out.schedules![0],
      };
    },
    'heston-hedge-distribution': ({ runId, rebalance, bins }) => {
      const run = runs.get(runId);
      if (!run || run.kind !== 'heston-hedge') throw appError('not-found', 'RUN_NOT_FOUND', `heston hedge run ${runId} does not exist`);
      const { config: c } = readFinishedRun(run, 'heston-hedge');
      const r = c.rebalance.indexOf(rebalance);
      if (r < 0) throw invalid([{ field: 'rebalance', message: `the run has no R = ${rebalance}; it has R ${c.rebalance.join(', ')}`, value: rebalance }]);
      const pnl = runs.getArray(runId, PNL_ARRAY);
      if (!(pnl instanceof Float64Array) || pnl.length !== c.strategies.length * c.rebalance.length * c.paths) {
        throw appError('conflict', 'RUN_HAS_NO_PNL', `hedge run ${run.label || runId} has no stored PnL cells; run it again`);
      }
      return {
        runId,
        rebalance,
        strategies: c.strategies.map((strategy, s) => {
          const cell = s * c.rebalance.length + r;
          return { strategy, dist: pnlDistribution([{ runId, label: strategy, pnl: pnl.subarray(cell * c.paths, (cell + 1) * c.paths) }], bins ?? 60) };
        }),
      };
    },
  };
}
