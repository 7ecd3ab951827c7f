import { availableParallelism } from 'node:os';
import { type BsdeHedgeMetrics } from '../../../src-shared/bsde/hedge';
import { type BsdeHedgeRunConfig } from '../../../src-shared/bsde/contract';
import { CancelledError, type JobHooks } from '../../engine/cancel';
import { type HedgeOutcome, hedgeAlongPaths } from '../../engine/bsde/hedgePaths';
import { createPool, movable, taskFileNear } from '../../jobs/pool';
import { pnlStats } from '../../engine/risk/pnlStats';
import { type JobRunner } from '../../jobs/runner';
import { openDb } from '../../store/db';
import { runQueries, type RunQueries } from '../../store/queries/runs';
import { type HedgeSettings } from '../../../src-shared/bsde/hedge';
import { hedgeProblemOf, hedgeSettingsIssues, settingsOf, solveRunData, type SolveRunData } from './hedgeProblem';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Wait for the solve run to finish (a one-action comparison queues its solves before the hedges), then read
 * its networks. Fails when the solve failed or was cancelled. Used by the job (its own store connection) and by
 * the host before it splits a run across cluster jobs (the host's store).
 */
export async function waitForSolve(runs: RunQueries, solveRunId: string, ctx: { hooks: JobHooks }): Promise<SolveRunData> {
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
}

async function awaitSolve(dataDir: string, solveRunId: string, ctx: { hooks: JobHooks }): Promise<SolveRunData> {
  const db = openDb({ dataDir });
  try {
    return await waitForSolve(runQueries(db), solveRunId, ctx);
  } finally {
    db.close();
  }
}

/** Index of the median, smallest and largest value. */
function picks(x: Float64Array): BsdeHedgeMetrics['pathIndex'] {
  const idx = Array.from(x.keys()).sort((a, b) => x[a] - x[b]);
  return { median: idx[Math.floor((idx.length - 1) / 2)], worst: idx[0], best: idx[idx.length - 1] };
}

/**
 * The stored metrics of a 'bsde-hedge' run from its merged outcome (the local job's and the cluster's merge of
 * its parts: the same figures from the same paths). `totalMs` is wall time; the Greek/LSQR times are summed
 * over the threads or parts that ran (thread-seconds).
 */
export function hedgeRunMetrics(c: BsdeHedgeRunConfig, solve: SolveRunData, grid: { steps: number; horizon: number }, out: PartOutcome, totalMs: number, peakRssBytes: number): BsdeHedgeMetrics {
  const s = settingsOf(c);
  const sol = solve.metrics.solution;
  return {
    solveRunId: c.solveRunId,
    strategy: s.strategy,
    greeks: s.greeks,
    scheme: sol.scheme,
    rebalance: s.rebalance,
    steps: grid.steps,
    horizon: grid.horizon,
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
    peakRssBytes,
  };
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
  let out: PartOutcome;
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
    out = remote ? mergeOutcomes([local, await remote.result]) : local;
  } finally {
    remote?.stop();
  }
  const metrics = hedgeRunMetrics(c, solve, problem.grid, out, performance.now() - t0, peak);
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

/** An outcome without schedules: what a thread or a cluster part returns for its range of paths. */
export type PartOutcome = Omit<HedgeOutcome, 'schedules'>;

/** Outcomes of consecutive path ranges, in path order: the same numbers as one run over all of them. */
export function mergeOutcomes(parts: PartOutcome[]): PartOutcome {
  if (parts.length === 0) throw new Error('no hedge outcomes to merge');
  const pnl = new Float64Array(parts.reduce((n, p) => n + p.pnl.length, 0));
  let at = 0;
  for (const p of parts) {
    pnl.set(p.pnl, at);
    at += p.pnl.length;
  }
  const [a] = parts;
  const sum = (f: (p: PartOutcome) => number): number => parts.reduce((x, p) => x + f(p), 0);
  const max = (f: (p: PartOutcome) => number): number => parts.reduce((x, p) => Math.max(x, f(p)), -Infinity);
  return {
    pnl,
    v0: a.v0,
    earlyExercised: a.earlyExercised.map((_, j) => sum((p) => p.earlyExercised[j])),
    instruments: a.instruments,
    selfFinancingMaxAbs: max((p) => p.selfFinancingMaxAbs),
    lsqr: {
      solves: sum((p) => p.lsqr.solves),
      iterations: sum((p) => p.lsqr.iterations),
      maxIterations: max((p) => p.lsqr.maxIterations),
      maxRelResidual: max((p) => p.lsqr.maxRelResidual),
    },
    // Thread-seconds: the parts overlap in time.
    timing: { greeksMs: sum((p) => p.timing.greeksMs), lsqrMs: sum((p) => p.timing.lsqrMs), totalMs: sum((p) => p.timing.totalMs) },
  };
}
