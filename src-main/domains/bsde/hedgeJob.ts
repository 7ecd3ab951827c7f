import { availableParallelism } from 'node:os';
import { type BsdeHedgeMetrics } from '../../../src-shared/bsde/hedge';
import { CancelledError, type JobHooks } from '../../engine/cancel';
import { type HedgeOutcome, hedgeAlongPaths } from '../../engine/bsde/hedgePaths';
import { createPool, movable, taskFileNear } from '../../jobs/pool';
import { pnlStats } from '../../engine/risk/pnlStats';
import { type JobRunner } from '../../jobs/runner';
import { openDb } from '../../store/db';
import { runQueries } from '../../store/queries/runs';
import { type HedgeSettings } from '../../../src-shared/bsde/hedge';
import { hedgeProblemOf, hedgeSettingsIssues, settingsOf, solveRunData, type SolveRunData } from './hedgeProblem';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Wait for the solve run to finish (a one-action comparison queues its solves before the hedges), then read
 * its networks. Fails when the solve failed or was cancelled.
 */
async function awaitSolve(dataDir: string, solveRunId: string, ctx: { hooks: JobHooks }): Promise<SolveRunData> {
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
export const runBsdeHedgeJob: JobRunner<'bsde-hedge'> = async (c, ctx) => {
  const s = settingsOf(c);
  const solve = await awaitSolve(ctx.dataDir, c.solveRunId, ctx);
  const issues = hedgeSettingsIssues(solve, s);
  if (issues.length) throw new Error(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  ctx.started('js-float64');
  const t0 = performance.now();
  const problem = hedgeProblemOf(solve, s, 1024);
  let peak = process.memoryUsage.rss();
  const threads = hedgeThreads(s.paths);
  const split = threads > 1 ? Math.ceil(s.paths / 2) : s.paths;
  const remote = threads > 1 ? startPart(ctx.dataDir, c.solveRunId, s, split, s.paths) : null;
  let out: HedgeOutcome;
  try {
    const local = hedgeAlongPaths(problem, {
      pathIds: Int32Array.from({ length: split }, (_, p) => p),
      hooks: {
        shouldCancel: () => {
          if (!ctx.hooks.shouldCancel?.()) return false;
          remote?.cancel();
          return true;
        },
        onProgress: (done, total) => {
          peak = Math.max(peak, process.memoryUsage.rss());
          // The other half runs at the same pace on its own thread (its reports queue until this loop ends).
          ctx.hooks.onProgress?.(remote ? done * 2 : done, remote ? total * 2 : total);
        },
      },
    });
    out = remote ? mergeOutcomes(local, await remote.result) : local;
  } finally {
    remote?.stop();
  }
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

/**
 * Threads for a hedge run: the paths are independent (each has its own random stream), so a second thread
 * takes the second half and the result is the same bits as on one thread. Two threads when the machine has
 * two cores or more and there are at least 1,024 paths; BSDE_HEDGE_THREADS=1 or 2 overrides.
 */
export function hedgeThreads(paths: number): number {
  const env = Number(process.env.BSDE_HEDGE_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 2);
  return availableParallelism() >= 2 && paths >= 1024 ? 2 : 1;
}

/** Paths [from, to) of a hedge run, for a helper thread (task kind 'bsde-hedge-part' of src-main/threads/task.ts). */
export interface HedgePartTask {
  dataDir: string;
  solveRunId: string;
  settings: HedgeSettings;
  from: number;
  to: number;
  /** Cell 0 set to 1 by the coordinator: stop at the next check. */
  cancelFlag: SharedArrayBuffer;
}

type PartResult = { cancelled: true } | { cancelled: false; outcome: Omit<HedgeOutcome, 'schedules'> };

/** Run paths [from, to) on a helper thread of the project's piscina pool. */
function startPart(dataDir: string, solveRunId: string, settings: HedgeSettings, from: number, to: number) {
  const cancelFlag = new SharedArrayBuffer(4);
  const pool = createPool({ taskFile: taskFileNear(__dirname, 'threads.js', `${__dirname}/../../threads`, 'task.ts'), maxThreads: 1 });
  const task: HedgePartTask & { kind: 'bsde-hedge-part' } = { kind: 'bsde-hedge-part', dataDir, solveRunId, settings, from, to, cancelFlag };
  const result = (pool.run(task) as Promise<PartResult>).then((r): HedgeOutcome => {
    if (r.cancelled) throw new CancelledError();
    return { ...r.outcome, schedules: null };
  });
  result.catch(() => {});
  return {
    result,
    cancel: () => Atomics.store(new Int32Array(cancelFlag), 0, 1),
    stop: () => void pool.destroy(),
  };
}

/** Task kind 'bsde-hedge-part': paths [from, to) of a hedge run, for its coordinator thread (pnl moved back). */
export async function runHedgePart(t: HedgePartTask): Promise<PartResult> {
  const flag = new Int32Array(t.cancelFlag);
  const hooks: JobHooks = { shouldCancel: () => Atomics.load(flag, 0) === 1, onProgress: () => {} };
  try {
    const solve = await awaitSolve(t.dataDir, t.solveRunId, { hooks });
    const out = hedgeAlongPaths(hedgeProblemOf(solve, t.settings, 1024), { pathIds: Int32Array.from({ length: t.to - t.from }, (_, i) => t.from + i), hooks });
    const { schedules: _s, ...outcome } = out;
    return movable({ cancelled: false, outcome }, [outcome.pnl.buffer]);
  } catch (e) {
    if (e instanceof CancelledError) return { cancelled: true };
    throw e;
  }
}

/** Paths of `a` then `b`: the same numbers as one run over all of them. */
function mergeOutcomes(a: HedgeOutcome, b: HedgeOutcome): HedgeOutcome {
  const pnl = new Float64Array(a.pnl.length + b.pnl.length);
  pnl.set(a.pnl);
  pnl.set(b.pnl, a.pnl.length);
  return {
    pnl,
    v0: a.v0,
    earlyExercised: a.earlyExercised.map((n, j) => n + b.earlyExercised[j]),
    instruments: a.instruments,
    selfFinancingMaxAbs: Math.max(a.selfFinancingMaxAbs, b.selfFinancingMaxAbs),
    lsqr: {
      solves: a.lsqr.solves + b.lsqr.solves,
      iterations: a.lsqr.iterations + b.lsqr.iterations,
      maxIterations: Math.max(a.lsqr.maxIterations, b.lsqr.maxIterations),
      maxRelResidual: Math.max(a.lsqr.maxRelResidual, b.lsqr.maxRelResidual),
    },
    // Thread-seconds: the two halves overlap in time.
    timing: { greeksMs: a.timing.greeksMs + b.timing.greeksMs, lsqrMs: a.timing.lsqrMs + b.timing.lsqrMs, totalMs: a.timing.totalMs + b.timing.totalMs },
    schedules: null,
  };
}
