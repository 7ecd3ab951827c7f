import { type HestonHedgeCell } from '../../../src-shared/heston/hedge';
import { type JobHooks } from '../cancel';
import { pnlStats } from '../risk/pnlStats';
import { seeded } from '../stochastic/rng';
import { type HedgePathSet, type HestonHedgeOutcome, type HestonHedgeProblem, hedgeHeston } from './hedge';
import { simulateHestonPaths } from './paths';

/**
 * The hedging paths of a run: `paths` Euler–Higham–Mao paths (paths.ts) on the source's grid from
 * (s0, nu0), one seeded stream for all of them (normals path-major, so path p is the same whatever the path
 * count after it). Every strategy and R of the run hedges these same paths (common random numbers).
 */
export function hedgePathSet(problem: Pick<HestonHedgeProblem, 'market' | 'source'>, paths: number, seed: number): HedgePathSet {
  const sim = simulateHestonPaths({ market: problem.market, horizon: problem.source.horizon, steps: problem.source.steps, paths, rng: seeded(seed) });
  return { paths, steps: sim.steps, S: sim.S, nu: sim.nu };
}

/**
 * Paths [from, to) of the run's path set, without simulating the paths before `from`: their normals are drawn
 * and dropped (in chunks), so the stream then stands where path `from` starts and the paths are the same bits as
 * rows from..to-1 of hedgePathSet(problem, paths, seed) (for a cluster part of a split run).
 */
export function hedgePathRange(problem: Pick<HestonHedgeProblem, 'market' | 'source'>, from: number, to: number, seed: number): HedgePathSet {
  const rng = seeded(seed);
  const perPath = problem.source.steps * 2;
  const skip = new Float64Array(Math.min(1 << 16, Math.max(1, from * perPath)));
  for (let left = from * perPath; left > 0; left -= skip.length) rng.fillNormal(left >= skip.length ? skip : skip.subarray(0, left));
  const sim = simulateHestonPaths({ market: problem.market, horizon: problem.source.horizon, steps: problem.source.steps, paths: to - from, rng });
  return { paths: to - from, steps: sim.steps, S: sim.S, nu: sim.nu };
}

/** Path `p` of a path set as a one-path set (for replaying its schedule). */
export function onePath(set: HedgePathSet, p: number): HedgePathSet {
  const row = set.steps + 1;
  return { paths: 1, steps: set.steps, S: set.S.slice(p * row, p * row + row), nu: set.nu.slice(p * row, p * row + row) };
}

/** Index of the median, smallest and largest value of x[from, from + n). */
function picks(x: Float64Array, from: number, n: number): HestonHedgeCell['pathIndex'] {
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[from + a] - x[from + b]);
  return { median: idx[Math.floor((n - 1) / 2)], worst: idx[0], best: idx[n - 1] };
}

/** The per-cell table of an outcome: statistics (pnlStats), condition numbers, self-financing gap. */
export function hedgeCells(problem: Pick<HestonHedgeProblem, 'strategies' | 'rebalance'> & { source: { steps: number } }, out: Omit<HestonHedgeOutcome, 'schedules'>, paths: number): HestonHedgeCell[] {
  const nR = problem.rebalance.length;
  const cells: HestonHedgeCell[] = [];
  problem.strategies.forEach((strategy, s) => {
    problem.rebalance.forEach((R, r) => {
      const c = s * nR + r;
      const cc = out.cond[c];
      const regular = cc.solves - cc.fallbacks;
      cells.push({
        strategy,
        rebalance: R,
        dates: Array.from(out.dates[r]),
        exact: problem.source.steps % R === 0,
        stats: pnlStats(out.pnl.subarray(c * paths, (c + 1) * paths)),
        cond: cc.solves ? { solves: cc.solves, geoMean: regular ? Math.exp(cc.logSum / regular) : NaN, max: cc.max, fallbacks: cc.fallbacks } : null,
        selfFinancingMaxAbs: out.selfFinancingMaxAbs[c],
        pathIndex: picks(out.pnl, c * paths, paths),
      });
    });
  });
  return cells;
}

/** Simulate, hedge every cell on the same paths, and tabulate. */
export function runHestonHedge(problem: HestonHedgeProblem, opts: { paths: number; seed: number; hooks?: JobHooks }): { outcome: HestonHedgeOutcome; cells: HestonHedgeCell[] } {
  const set = hedgePathSet(problem, opts.paths, opts.seed);
  const outcome = hedgeHeston(problem, set, { hooks: opts.hooks });
  return { outcome, cells: hedgeCells(problem, outcome, opts.paths) };
}
