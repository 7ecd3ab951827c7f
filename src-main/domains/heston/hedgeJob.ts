import { type HestonHedgeMetrics } from '../../../src-shared/heston/hedge';
import { type JobRunner } from '../../jobs/runner';
import { hedgeCells, hedgePathSet } from '../../engine/heston/hedgeRun';
import { hedgeHeston, type HestonHedgeOutcome, type HestonHedgeProblem } from '../../engine/heston/hedge';
import { type HestonHedgeRunConfig } from '../../../src-shared/heston/hedgeContract';
import { openDb } from '../../store/db';
import { runQueries } from '../../store/queries/runs';
import { bookGreeksOf, hestonHedgeIssues, hestonHedgeProblem, hestonSolveData, instrumentInfo, type HestonSolveData } from './hedgeProblem';

/**
 * Run array of the relative PnLs, cells x paths, cell-major (cell = strategy index x R count + R index). Not
 * 'pnl': the generic 'runs-distribution' would read all cells as one sample.
 */
export const PNL_ARRAY = 'pnl.cells';

/** Read a finished 'heston-solve' run (and its network arrays when the hedge uses them) from the store. */
export function readHestonSolve(dataDir: string, solveRunId: string, withNetworks: boolean): HestonSolveData {
  const db = openDb({ dataDir });
  try {
    const runs = runQueries(db);
    return hestonSolveData(runs.get(solveRunId), solveRunId, withNetworks, (name) => runs.getArray(solveRunId, name));
  } finally {
    db.close();
  }
}

/**
 * A 'heston-hedge' run: simulate `paths` paths on the solve's grid (seed), hedge them with every strategy x R
 * (hedge.ts, common random numbers), store the relative PnLs (PNL_ARRAY) and the
 * statistics table. Progress: grid dates done of N + 1; cancellable between dates.
 */
export const runHestonHedgeJob: JobRunner<'heston-hedge'> = (c, ctx) => {
  const t0 = performance.now();
  const solve = readHestonSolve(ctx.dataDir, c.solveRunId, c.greeks === 'network');
  const issues = hestonHedgeIssues(solve, c);
  if (issues.length) throw new Error(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  ctx.started('js-float64');
  const problem = hestonHedgeProblem(solve, c, null, ctx.hooks);
  const set = hedgePathSet(problem, c.paths, c.seed);
  const out = hedgeHeston(problem, set, { hooks: ctx.hooks });
  return { metrics: hestonHedgeMetrics(c, solve, problem, out, performance.now() - t0), arrays: { [PNL_ARRAY]: out.pnl } };
};

/** A run's stored metrics from its outcome (the local job's, or the merge of its cluster parts). */
export function hestonHedgeMetrics(c: HestonHedgeRunConfig, solve: HestonSolveData, problem: Pick<HestonHedgeProblem, 'strategies' | 'rebalance'> & { source: { steps: number } }, out: Omit<HestonHedgeOutcome, 'schedules'>, totalMs: number): HestonHedgeMetrics {
  return {
    solveRunId: c.solveRunId,
    greeks: bookGreeksOf(solve, c.greeks),
    steps: solve.steps,
    horizon: solve.horizon,
    paths: c.paths,
    seed: c.seed,
    v0: out.v0,
    strategies: c.strategies,
    rebalance: c.rebalance,
    cells: hedgeCells(problem, out, c.paths),
    earlyExercise: out.earlyExercised / c.paths,
    instruments: instrumentInfo(c),
    timing: { totalMs, bookGreeksMs: out.timing.bookGreeksMs, instrumentGreeksMs: out.timing.instrumentGreeksMs },
  };
}
