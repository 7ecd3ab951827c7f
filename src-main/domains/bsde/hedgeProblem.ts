import { type BsdeHedgeRunConfig } from '../../../src-shared/bsde/contract';
import { type HedgeSettings, type HedgeSchedule } from '../../../src-shared/bsde/hedge';
import { type BsdeMetrics, type StoredSolution } from '../../../src-shared/bsde/result';
import { type BookContent } from '../../../src-shared/portfolio/book';
import { appError } from '../../../src-shared/api/errors';
import { readFinishedRun, readStoredRun, type JobRun } from '../../../src-shared/api/jobs';
import { type AnyRun } from '../../../src-shared/api/runs';
import { closedFormIssue, closedFormSource, networkSource } from '../../engine/bsde/greekSource';
import { buildGrid } from '../../engine/bsde/grid';
import { type HedgeGrid, type HedgeProblem, hedgeAlongPaths, hedgeGridIssue } from '../../engine/bsde/hedgePaths';

/**
 * The hedging problem of a solve run (shared by the 'bsde-hedge' job, the schedule replay and the CLI):
 * the book copied into the solve run, the path grid and the Greek source.
 * - network Greeks: the solve's own grid (its networks exist only there);
 * - closed form: the grid N = settings.steps (default the solve's N) over the solve's horizon.
 */
export interface SolveRunData {
  run: JobRun<'bsde-solve'>;
  metrics: BsdeMetrics;
  weights: Float32Array;
}

/**
 * What hedging reads of a solve: its book, the stored solution (grid, networks' layout) and the weights. A
 * SolveRunData is one; a cluster part job ('bsde-hedge-part') builds one from its payload without a store.
 */
export interface HedgeSolve {
  run: { config: { book: BookContent } };
  metrics: { solution: StoredSolution };
  weights: Float32Array;
}

export function gridOf(solve: HedgeSolve, settings: Pick<HedgeSettings, 'greeks' | 'steps'>): HedgeGrid {
  const sol = solve.metrics.solution;
  if (settings.greeks === 'network') {
    return {
      steps: sol.steps,
      horizon: sol.horizon,
      dt: sol.dt,
      maturityIndex: sol.options.map((o) => o.maturityIndex),
      exercise: sol.options.map((o) => {
        const e = new Uint8Array(sol.steps + 1);
        for (const n of o.exercise) if (n > 0 && n < o.maturityIndex) e[n] = 1;
        return e;
      }),
    };
  }
  const book = solve.run.config.book;
  const g = buildGrid(book, settings.steps ?? sol.steps, sol.horizon);
  return { steps: g.steps, horizon: g.horizon, dt: g.dt, maturityIndex: g.maturityIndex, exercise: g.exercise };
}

/**
 * Problems with hedging settings on a solve run, each naming the field (empty when fine): network Greeks
 * need the solve's grid; closed forms need a book that has them; R must divide N; T~ must exceed T.
 */
export function hedgeSettingsIssues(solve: HedgeSolve, s: HedgeSettings): Array<{ field: string; message: string; value: unknown }> {
  const sol = solve.metrics.solution;
  const book = solve.run.config.book;
  const out: Array<{ field: string; message: string; value: unknown }> = [];
  if (s.greeks === 'network' && s.steps !== null && s.steps !== sol.steps) {
    out.push({ field: 'steps', message: `network Greeks exist only on the solve's grid N = ${sol.steps}; leave steps empty or use closed-form Greeks`, value: s.steps });
    return out;
  }
  if (s.greeks === 'closed-form') {
    const issue = closedFormIssue(book);
    if (issue) {
      out.push({ field: 'greeks', message: issue, value: s.greeks });
      return out;
    }
  }
  let grid: HedgeGrid;
  try {
    grid = gridOf(solve, s);
  } catch (e) {
    out.push({ field: 'steps', message: (e as Error).message, value: s.steps });
    return out;
  }
  const issue = hedgeGridIssue(grid, s.rebalance, null);
  if (issue) out.push({ field: 'rebalance', message: issue, value: s.rebalance });
  if (s.strategy === 'delta-gamma' && !(s.instruments.maturity >= grid.horizon)) {
    out.push({ field: 'instruments.maturity', message: `must be at least the horizon T = ${grid.horizon} y (gamma instruments that expire before T have no Gamma at later dates)`, value: s.instruments.maturity });
  }
  if (s.strategy === 'delta-gamma' && s.greeks === 'network' && sol.scheme === 'rdbdp' && !sol.t0.hessX) {
    out.push({ field: 'strategy', message: 'this RDBDP solve has no Gamma at t = 0 (one time step); use delta hedging', value: s.strategy });
  }
  return out;
}

export function hedgeProblemOf(solve: HedgeSolve, s: HedgeSettings, maxRows: number): HedgeProblem {
  const book = solve.run.config.book;
  const grid = gridOf(solve, s);
  const source = s.greeks === 'network' ? networkSource(solve.metrics.solution, solve.weights, maxRows) : closedFormSource(book, grid.dt);
  return { book, grid, source, settings: s };
}

/** A finished solve run's data, or an error saying why there is none. */
export function solveRunData(run: AnyRun | null, runId: string, weights: unknown): SolveRunData {
  if (!run || run.kind !== 'bsde-solve') throw appError('not-found', 'RUN_NOT_FOUND', `solve run ${runId} does not exist`);
  const solve = readStoredRun(run, 'bsde-solve');
  if (solve.status !== 'done' || !solve.metrics || !(weights instanceof Float32Array)) {
    throw appError('conflict', 'RUN_NOT_DONE', `solve run ${run.label || runId} has no trained networks (status: ${run.status}); wait for it to finish or solve again`);
  }
  return { run: solve, metrics: solve.metrics, weights };
}

/** Settings of a hedge run's config. */
export const settingsOf = (c: BsdeHedgeRunConfig): HedgeSettings => ({
  strategy: c.strategy,
  greeks: c.greeks,
  rebalance: c.rebalance,
  paths: c.paths,
  steps: c.steps,
  instruments: c.instruments,
  seed: c.seed,
});

/** Replay one path of a finished hedge run (same stream, same numbers) and return its schedule. */
export function replaySchedule(hedgeRun: AnyRun, solve: SolveRunData, path: number | 'median' | 'worst' | 'best'): HedgeSchedule {
  const { metrics, config: cfg } = readFinishedRun(hedgeRun, 'bsde-hedge');
  const index = typeof path === 'number' ? path : metrics.pathIndex[path];
  if (index >= cfg.paths) {
    throw appError('validation', 'INVALID_INPUT', `path ${index} does not exist: the run has ${cfg.paths} paths (0..${cfg.paths - 1})`, [{ field: 'path', message: `must be < ${cfg.paths}`, value: index }]);
  }
  const problem = hedgeProblemOf(solve, settingsOf(cfg), 1);
  const out = hedgeAlongPaths(problem, { pathIds: Int32Array.of(index), record: true });
  return {
    runId: hedgeRun.id,
    path: index,
    pick: typeof path === 'number' ? null : path,
    pnl: out.pnl[0],
    assets: metrics.assets,
    instruments: out.instruments.map((i) => i.label),
    rows: out.schedules![0],
  };
}
