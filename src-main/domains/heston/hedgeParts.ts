import { type HestonHedgeRunConfig } from '../../../src-shared/heston/hedgeContract';
import { HESTON_HEDGE_PART, type HestonHedgePartConfig, type HestonHedgePartMetrics } from '../../../src-shared/heston/hedgePart';
import { type WireArray } from '../../../src-shared/api/wireArray';
import { type HestonHedgeOutcome, hedgeHeston } from '../../engine/heston/hedge';
import { hedgePathRange } from '../../engine/heston/hedgeRun';
import { type ClusterFanOut } from '../../cluster/fanout';
import { decodeArray, encodeArray, type JobResult } from '../../cluster/payload';
import { type Runner } from '../../jobs/runner';
import { partRanges } from '../bsde/hedgeParts';
import { hestonHedgeMetrics, PNL_ARRAY } from './hedgeJob';
import { type HestonSolveData, hestonHedgeIssues, hestonHedgeProblem, hestonSolveData } from './hedgeProblem';

/**
 * A 'heston-hedge' run on the cluster, split into K part jobs over its paths (issue 17), as bsde/hedgeParts.ts
 * does for BSDE hedges. The run's paths come from ONE seeded stream, path-major (engine/heston/paths.ts), so a
 * part draws and drops the normals of the paths before its range (hedgePathRange) and hedges the same paths as
 * the local run; every Greek is evaluated point by point, so its PnLs are the local run's bits. The parts' cells
 * are put back cell-major; the condition-number sums are added part by part (their geometric mean may differ
 * from the local run's in the last bits: a different order of the same additions). PDE Greeks: every part solves
 * the PDE itself (seconds), as the local run does once.
 *
 * K as for BSDE hedges: ceil(paths / pathsPerPart) capped at 16 (default 2048; HESTON_HEDGE_PART_PATHS overrides).
 */
type Settings = Omit<HestonHedgeRunConfig, 'solveRunId'>;

function pathsPerPartOf(given: number | undefined): number {
  const env = Number(process.env.HESTON_HEDGE_PART_PATHS);
  if (Number.isInteger(env) && env >= 1) return env;
  return given ?? 2048;
}

type PartOutcome = Omit<HestonHedgeOutcome, 'schedules'>;

/** The parts' outcomes (in path order) as one outcome over all paths: pnl cell-major, cells x paths. */
export function mergeHestonOutcomes(parts: Array<{ out: PartOutcome; paths: number }>, cells: number): PartOutcome {
  const P = parts.reduce((n, p) => n + p.paths, 0);
  const pnl = new Float64Array(cells * P);
  let at = 0;
  for (const { out, paths } of parts) {
    for (let c = 0; c < cells; c++) pnl.set(out.pnl.subarray(c * paths, (c + 1) * paths), c * P + at);
    at += paths;
  }
  const first = parts[0].out;
  return {
    pnl,
    v0: first.v0,
    earlyExercised: parts.reduce((n, p) => n + p.out.earlyExercised, 0),
    dates: first.dates,
    cond: first.cond.map((_, c) => ({
      solves: parts.reduce((n, p) => n + p.out.cond[c].solves, 0),
      logSum: parts.reduce((n, p) => n + p.out.cond[c].logSum, 0),
      max: Math.max(...parts.map((p) => p.out.cond[c].max)),
      fallbacks: parts.reduce((n, p) => n + p.out.cond[c].fallbacks, 0),
    })),
    selfFinancingMaxAbs: Float64Array.from(first.selfFinancingMaxAbs, (_, c) => Math.max(...parts.map((p) => p.out.selfFinancingMaxAbs[c]))),
    // thread-seconds: the parts overlap in time
    timing: {
      bookGreeksMs: parts.reduce((n, p) => n + p.out.timing.bookGreeksMs, 0),
      instrumentGreeksMs: parts.reduce((n, p) => n + p.out.timing.instrumentGreeksMs, 0),
      totalMs: parts.reduce((n, p) => n + p.out.timing.totalMs, 0),
    },
  };
}

function outcomeOf(r: JobResult, from: number, to: number, cells: number): PartOutcome {
  const m = r.metrics as HestonHedgePartMetrics | null;
  const pnl = r.arrays[PNL_ARRAY];
  if (!m || m.from !== from || m.to !== to) throw new Error(`a part returned paths [${m?.from}, ${m?.to}) where [${from}, ${to}) was asked for`);
  if (!(pnl instanceof Float64Array) || pnl.length !== cells * (to - from)) throw new Error(`the part of paths [${from}, ${to}) returned ${pnl?.length ?? 'no'} PnLs, not ${cells} cells x ${to - from}`);
  return { pnl, v0: m.v0, earlyExercised: m.earlyExercised, dates: m.dates.map((d) => Int32Array.from(d)), cond: m.cond, selfFinancingMaxAbs: Float64Array.from(m.selfFinancingMaxAbs), timing: m.timing };
}

/** The host's side: read the solve (done when the hedge was accepted), send it with each range of paths, merge. */
export function hestonHedgeFanOut(opts: { pathsPerPart?: number; maxParts?: number } = {}): ClusterFanOut {
  return {
    kind: 'heston-hedge',
    plan(config, ctx) {
      const c = config as HestonHedgeRunConfig;
      const network = c.greeks === 'network';
      const solve = hestonSolveData(ctx.runs.get(c.solveRunId), c.solveRunId, network, (name) => ctx.runs.getArray(c.solveRunId, name));
      const issues = hestonHedgeIssues(solve, c);
      if (issues.length) throw new Error(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
      const { solveRunId, ...settings } = c;
      const solution = solve.solution ? { meta: solve.solution.meta, arrays: Object.fromEntries(Object.entries(solve.solution.arrays).map(([k, a]) => [k, encodeArray(a)])) } : null;
      const ranges = partRanges(c.paths, pathsPerPartOf(opts.pathsPerPart), opts.maxParts);
      const cells = c.strategies.length * c.rebalance.length;
      const parts = ranges.map(([from, to]) => {
        const input = { solveRunId, market: solve.market, claim: solve.claim, scheme: solve.scheme, steps: solve.steps, horizon: solve.horizon, solution, settings, from, to };
        return { job: { kind: HESTON_HEDGE_PART, config: input }, weight: to - from, label: `paths ${from}–${to - 1}` };
      });
      return Promise.resolve({
        parts,
        merge(results, wallMs) {
          const outs = results.map((r, i) => ({ out: outcomeOf(r, ranges[i][0], ranges[i][1], cells), paths: ranges[i][1] - ranges[i][0] }));
          const out = mergeHestonOutcomes(outs, cells);
          const problem = { strategies: c.strategies, rebalance: c.rebalance, source: { steps: solve.steps } };
          return { wallMs, metrics: hestonHedgeMetrics(c, solve, problem, out, wallMs), arrays: { [PNL_ARRAY]: out.pnl } };
        },
      });
    },
  };
}

/** The worker's side (wire kind 'heston-hedge-part', checked by hestonHedgePartSchema): paths [from, to), no store. */
export const runHestonHedgePart: Runner<HestonHedgePartConfig, HestonHedgePartMetrics> = (c, ctx) => {
  const arrays: Record<string, Float32Array | Float64Array | Int32Array> = {};
  for (const [k, a] of Object.entries(c.solution?.arrays ?? {})) arrays[k] = decodeArray(a as WireArray);
  const solve: HestonSolveData = { run: null, market: c.market, claim: c.claim, scheme: c.scheme, steps: c.steps, horizon: c.horizon, solution: c.solution ? { meta: c.solution.meta, arrays } : null };
  const s: Settings = c.settings;
  const issues = hestonHedgeIssues(solve, s);
  if (issues.length) throw new Error(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  ctx.started('js-float64');
  const problem = hestonHedgeProblem(solve, s, null, ctx.hooks);
  const set = hedgePathRange(problem, c.from, c.to, s.seed);
  const out = hedgeHeston(problem, set, { hooks: ctx.hooks });
  const metrics: HestonHedgePartMetrics = {
    from: c.from,
    to: c.to,
    v0: out.v0,
    earlyExercised: out.earlyExercised,
    dates: out.dates.map((d) => Array.from(d)),
    cond: out.cond,
    selfFinancingMaxAbs: Array.from(out.selfFinancingMaxAbs),
    timing: out.timing,
  };
  return { metrics, arrays: { [PNL_ARRAY]: out.pnl } };
};
