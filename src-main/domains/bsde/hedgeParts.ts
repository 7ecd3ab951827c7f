import { type BsdeHedgeRunConfig } from '../../../src-shared/bsde/contract';
import { BSDE_HEDGE_PART, type BsdeHedgePartConfig, type BsdeHedgePartInput, type BsdeHedgePartMetrics } from '../../../src-shared/bsde/hedgePart';
import { hedgeAlongPaths } from '../../engine/bsde/hedgePaths';
import { type ClusterFanOut } from '../../cluster/fanout';
import { decodeArray, encodeArray, type JobResult } from '../../cluster/payload';
import { type Runner } from '../../jobs/runner';
import { hedgeRunMetrics, mergeOutcomes, type PartOutcome, waitForSolve } from './hedgeJob';
import { gridOf, type HedgeSolve, hedgeProblemOf, hedgeSettingsIssues, settingsOf } from './hedgeProblem';

/**
 * A 'bsde-hedge' run on the cluster, split into K part jobs over its paths (issue 17). Each path has its own
 * random stream (engine/bsde/hedgePaths.ts pathRng), so paths [from, to) hedged on any worker are the same bits
 * as in one local run, and the parts' PnLs concatenated in path order ARE the local run's PnL. The local job's
 * two-thread split (hedgeJob.ts startPart) relies on the same property.
 *
 * K = ceil(paths / pathsPerPart) capped at maxParts (defaults 2048 and 16; a fixed function of the run's
 * settings, not of the workers seen, so a restarted app plans the same parts and finds them in Redis).
 * BSDE_HEDGE_PART_PATHS overrides pathsPerPart (tests).
 */
export const DEFAULT_PATHS_PER_PART = 2048;
export const MAX_PARTS = 16;

/** Path ranges [from, to) of K near-equal parts (sizes differ by at most one path). */
export function partRanges(paths: number, pathsPerPart: number, maxParts = MAX_PARTS): Array<[number, number]> {
  const K = Math.max(1, Math.min(maxParts, Math.ceil(paths / Math.max(1, pathsPerPart)), paths));
  return Array.from({ length: K }, (_, i) => [Math.floor((i * paths) / K), Math.floor(((i + 1) * paths) / K)]);
}

function pathsPerPartOf(given: number | undefined): number {
  const env = Number(process.env.BSDE_HEDGE_PART_PATHS);
  if (Number.isInteger(env) && env >= 1) return env;
  return given ?? DEFAULT_PATHS_PER_PART;
}

/** A part's result as the outcome of its paths; throws when it is not the part it should be. */
function outcomeOf(r: JobResult, from: number, to: number): PartOutcome & { peakRssBytes: number } {
  const m = r.metrics as BsdeHedgePartMetrics | null;
  const pnl = r.arrays.pnl;
  if (!m || m.from !== from || m.to !== to) throw new Error(`a part returned paths [${m?.from}, ${m?.to}) where [${from}, ${to}) was asked for`);
  if (!(pnl instanceof Float64Array) || pnl.length !== to - from) throw new Error(`the part of paths [${from}, ${to}) returned ${pnl?.length ?? 'no'} PnLs`);
  return { pnl, v0: m.v0, earlyExercised: m.earlyExercised, instruments: m.instruments, selfFinancingMaxAbs: m.selfFinancingMaxAbs, lsqr: m.lsqr, timing: m.timing, peakRssBytes: m.peakRssBytes };
}

/** The host's side: wait for the solve, read it, send it with each range of paths, merge the parts' PnLs. */
export function bsdeHedgeFanOut(opts: { pathsPerPart?: number; maxParts?: number } = {}): ClusterFanOut {
  return {
    kind: 'bsde-hedge',
    async plan(config, ctx) {
      const c = config as BsdeHedgeRunConfig;
      const solve = await waitForSolve(ctx.runs, c.solveRunId, ctx);
      const s = settingsOf(c);
      const issues = hedgeSettingsIssues(solve, s);
      if (issues.length) throw new Error(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
      const grid = gridOf(solve, s);
      // closed-form Greeks do not read the networks: their parts carry none
      const weights = encodeArray(s.greeks === 'network' ? solve.weights : new Float32Array(0));
      const ranges = partRanges(s.paths, pathsPerPartOf(opts.pathsPerPart), opts.maxParts);
      const parts = ranges.map(([from, to]) => {
        const input: BsdeHedgePartInput = { solveRunId: c.solveRunId, book: solve.run.config.book, solution: solve.metrics.solution, weights, settings: s, from, to };
        return { job: { kind: BSDE_HEDGE_PART, config: input }, weight: to - from, label: `paths ${from}–${to - 1}` };
      });
      return {
        parts,
        merge(results, wallMs) {
          const outs = results.map((r, i) => outcomeOf(r, ranges[i][0], ranges[i][1]));
          const out = mergeOutcomes(outs);
          const peak = Math.max(...outs.map((o) => o.peakRssBytes));
          return { wallMs, metrics: hedgeRunMetrics(c, solve, grid, out, wallMs, peak), arrays: { pnl: out.pnl } };
        },
      };
    },
  };
}

/**
 * The worker's side (wire kind 'bsde-hedge-part', payload checked by bsdeHedgePartSchema before it gets here):
 * hedge paths [from, to) with the solve the payload carries; no store is opened.
 */
export const runBsdeHedgePart: Runner<BsdeHedgePartConfig, BsdeHedgePartMetrics> = (c, ctx) => {
  const weights = decodeArray(c.weights);
  if (!(weights instanceof Float32Array)) throw new Error(`the part's weights are ${c.weights.dtype}; a solve's networks are float32`);
  const solve: HedgeSolve = { run: { config: { book: c.book } }, metrics: { solution: c.solution }, weights };
  const issues = hedgeSettingsIssues(solve, c.settings);
  if (issues.length) throw new Error(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  ctx.started('js-float64');
  let peak = process.memoryUsage.rss();
  const out = hedgeAlongPaths(hedgeProblemOf(solve, c.settings, 1024), {
    pathIds: Int32Array.from({ length: c.to - c.from }, (_, i) => c.from + i),
    hooks: {
      shouldCancel: ctx.hooks.shouldCancel,
      onProgress: (done, total) => {
        peak = Math.max(peak, process.memoryUsage.rss());
        ctx.hooks.onProgress?.(done, total);
      },
    },
  });
  const metrics: BsdeHedgePartMetrics = {
    from: c.from,
    to: c.to,
    v0: out.v0,
    earlyExercised: out.earlyExercised,
    instruments: out.instruments,
    selfFinancingMaxAbs: out.selfFinancingMaxAbs,
    lsqr: out.lsqr,
    timing: out.timing,
    peakRssBytes: peak,
  };
  return { metrics, arrays: { pnl: out.pnl } };
};
