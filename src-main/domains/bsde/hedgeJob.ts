import { type BsdeHedgeRunConfig } from '../../../src-shared/bsde/contract';
import { type BsdeHedgeMetrics } from '../../../src-shared/bsde/hedge';
import { CancelledError } from '../../engine/cancel';
import { hedgeAlongPaths } from '../../engine/bsde/hedgePaths';
import { pnlStats } from '../../engine/risk/pnlStats';
import { type JobRunner } from '../../jobs/runner';
import { openDb } from '../../store/db';
import { runQueries } from '../../store/queries/runs';
import { hedgeProblemOf, hedgeSettingsIssues, settingsOf, solveRunData, type SolveRunData } from './hedgeProblem';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Wait for the solve run to finish (a one-action comparison queues its solves before the hedges), then read
 * its networks. Fails when the solve failed or was cancelled.
 */
async function awaitSolve(dataDir: string, solveRunId: string, ctx: Parameters<JobRunner>[1]): Promise<SolveRunData> {
  const db = openDb({ dataDir });
  try {
    const runs = runQueries(db);
    for (;;) {
      const run = runs.get(solveRunId);
      if (run && (run.status === 'queued' || run.status === 'running')) {
        if (ctx.hooks.shouldCancel?.()) throw new CancelledError();
        ctx.hooks.onProgress?.(0, 1, { phase: 'waiting', message: `waiting for solve run ${run.label || solveRunId} (${run.status}, ${run.progress.done}/${run.progress.total})` });
        await sleep(1000);
        continue;
      }
      if (run && run.status !== 'done') throw new Error(`solve run ${run.label || solveRunId} ended ${run.status}${run.error ? `: ${run.error.message}` : ''}; nothing to hedge with`);
      return solveRunData(run, solveRunId, run ? runs.getArray(solveRunId, 'weights') : null);
    }
  } finally {
    db.close();
  }
}

/** Index of the median, smallest and largest value. */
function picks(x: Float64Array): BsdeHedgeMetrics['pathIndex'] {
  const idx = Array.from(x.keys()).sort((a, b) => x[a] - x[b]);
  return { median: idx[Math.floor((idx.length - 1) / 2)], worst: idx[0], best: idx[idx.length - 1] };
}

/** A 'bsde-hedge' run: hedge every path, store the relative PnL ('pnl') and the statistics. */
export const runBsdeHedgeJob: JobRunner = async (config, ctx) => {
  const c = config as BsdeHedgeRunConfig;
  const s = settingsOf(c);
  const solve = await awaitSolve(ctx.dataDir, c.solveRunId, ctx);
  const issues = hedgeSettingsIssues(solve, s);
  if (issues.length) throw new Error(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  ctx.started('js-float64');
  const t0 = performance.now();
  const problem = hedgeProblemOf(solve, s, 1024);
  let peak = process.memoryUsage.rss();
  const out = hedgeAlongPaths(problem, {
    pathIds: Int32Array.from({ length: s.paths }, (_, p) => p),
    hooks: {
      shouldCancel: ctx.hooks.shouldCancel,
      onProgress: (done, total) => {
        peak = Math.max(peak, process.memoryUsage.rss());
        ctx.hooks.onProgress?.(done, total);
      },
    },
  });
  const sol = solve.metrics.solution;
  const totalMs = performance.now() - t0;
  const metrics: BsdeHedgeMetrics = {
    solveRunId: c.solveRunId,
    strategy: s.strategy,
    greeks: s.greeks,
    scheme: sol.scheme,
    rebalance: s.rebalance,
    steps: problem.grid.steps,
    horizon: problem.grid.horizon,
    paths: s.paths,
    d: sol.d,
    J: sol.J,
    assets: solve.metrics.assets,
    optionLabels: solve.metrics.options.map((o) => o.label),
    v0: out.v0,
    stats: pnlStats(out.pnl),
    earlyExercise: out.earlyExercised.map((n) => n / s.paths),
    instruments: out.instruments,
    selfFinancingMaxAbs: out.selfFinancingMaxAbs,
    lsqr: s.strategy === 'delta-gamma' ? { solves: out.lsqr.solves, meanIterations: out.lsqr.iterations / Math.max(1, out.lsqr.solves), maxIterations: out.lsqr.maxIterations, maxRelResidual: out.lsqr.maxRelResidual } : null,
    pathIndex: picks(out.pnl),
    timing: { totalMs, greeksMs: out.timing.greeksMs, lsqrMs: out.timing.lsqrMs, simMs: Math.max(0, out.timing.totalMs - out.timing.greeksMs - out.timing.lsqrMs) },
    peakRssBytes: peak,
  };
  return { metrics, arrays: { pnl: out.pnl } };
};
