import { type JobHooks, throwIfCancelled } from '../cancel';
import { seeded } from '../stochastic/rng';
import { pathPnl } from './band';
import { type HedgeTask, buildBatch, simulatePrices } from './datasets';
import { meanAbsPositions } from './accounting';
import { type Rng } from '../stochastic/rng';
import { fillGbmChunk } from '../stochastic/gbm';

/**
 * Hedging a fixed, seeded test set with any hedger, streamed in chunks of paths so that memory stays
 * O(paths) (PnL, cost and P_n per path) however many paths there are. The paths are drawn from
 * `seeded(seed)` in the BSDH kernel's order (path-major normals), so the chunk size never changes them and
 * every hedger with the same seed, path count, dates and test volatility sees the same paths.
 */

/** A hedger of a chunk of paths: PnL and cost per path (money) of `paths` path-major price rows. */
export type ChunkHedger = (prices: Float64Array, paths: number) => Promise<HedgedChunk> | HedgedChunk;

/** PnL and cost (money) of each path of a chunk, and optionally its mean |position| over the dates (asset units). */
export interface HedgedChunk {
  pnl: Float64Array;
  cost: Float64Array;
  absPos?: Float64Array;
}

export interface TestSetResult {
  pnl: Float64Array;
  cost: Float64Array;
  /** P_n per path (for the indifference price). */
  terminal: Float64Array;
  /** Annualised realised volatility of all test paths (checks the test volatility really used). */
  realisedVol: number;
}

export interface TestSetOptions {
  seed: number;
  paths: number;
  task: Pick<HedgeTask, 'days' | 'steps'>;
  /** Volatility and drift of the test paths. */
  vol: number;
  drift: number;
  hedge: ChunkHedger;
  /**
   * Fixed test paths instead of GBM (an order-book path set's test windows): path-major
   * `paths x (steps + 1)`; `vol` and `drift` are then unused.
   */
  source?: Float64Array;
  /** Paths per chunk (default 20,000). */
  chunkPaths?: number;
  hooks?: JobHooks;
  /** Progress reports: (paths done, paths). */
  onChunk?: (done: number, total: number) => void;
}

export async function hedgeTestSet(o: TestSetOptions): Promise<TestSetResult> {
  const { paths, task } = o;
  const steps = task.steps;
  const chunk = Math.max(1, Math.min(paths, o.chunkPaths ?? 20_000));
  const dt = task.days / 365 / steps;
  const rng: Rng = seeded(o.seed);
  const prices = new Float64Array(chunk * (steps + 1));
  const normals = new Float64Array(chunk * steps);
  const pnl = new Float64Array(paths);
  const cost = new Float64Array(paths);
  const terminal = new Float64Array(paths);
  let ss = 0;
  for (let start = 0; start < paths; start += chunk) {
    throwIfCancelled(o.hooks);
    const m = Math.min(chunk, paths - start);
    if (o.source) {
      prices.set(o.source.subarray(start * (steps + 1), (start + m) * (steps + 1)));
    } else {
      // same stream as simulatePrices / the BSDH kernel: 4096-path pieces of path-major normals
      for (let s = 0; s < m; s += 4096) {
        const q = Math.min(4096, m - s);
        fillGbmChunk({ rng, paths: q, steps, dt, vol: o.vol, drift: o.drift, out: prices.subarray(s * (steps + 1)), normals });
      }
    }
    const view = prices.subarray(0, m * (steps + 1));
    const r = await o.hedge(view, m);
    pnl.set(r.pnl, start);
    cost.set(r.cost, start);
    for (let k = 0; k < m; k++) {
      const b = k * (steps + 1);
      terminal[start + k] = view[b + steps];
      for (let i = 0; i < steps; i++) {
        const lr = Math.log(view[b + i + 1] / view[b + i]);
        ss += lr * lr;
      }
    }
    o.onChunk?.(start + m, paths);
  }
  return { pnl, cost, terminal, realisedVol: Math.sqrt(ss / (paths * steps) / dt) };
}

/** The Black–Scholes delta hedger (hedger volatility `task.sigma`) as a ChunkHedger at cost `costRate`. */
export function bsdhHedger(task: HedgeTask, costRate: number): ChunkHedger {
  return (prices, paths) => {
    const b = buildBatch(task, prices, paths);
    const pnl = new Float64Array(paths);
    const cost = new Float64Array(paths);
    pathPnl(prices, b.anchor, b.payoff, paths, task.steps, costRate, pnl, cost);
    return { pnl, cost, absPos: meanAbsPositions(b.anchor, paths, task.steps) };
  };
}

/**
 * Wrap a hedger so that, over all the chunks it hedges, it also sums the mean |position| of the hedger and of
 * BSDH on the very same paths (the reference of the "does not hedge" rule, src-shared/hedging/ranking.ts).
 * `figures()` then gives meanAbsPosition (null if the hedger reports no positions) and bsdhMeanAbsPosition.
 */
export function withPositionFigures(task: HedgeTask, hedge: ChunkHedger): { hedge: ChunkHedger; figures(): { meanAbsPosition?: number; bsdhMeanAbsPosition: number } } {
  const reference = bsdhHedger(task, 0);
  let own = 0;
  let ownPaths = 0;
  let ref = 0;
  let refPaths = 0;
  const sum = (a: Float64Array): number => a.reduce((s, x) => s + x, 0);
  return {
    hedge: async (prices, paths) => {
      const r = await hedge(prices, paths);
      if (r.absPos) {
        own += sum(r.absPos);
        ownPaths += paths;
      }
      ref += sum((reference(prices, paths) as HedgedChunk).absPos!);
      refPaths += paths;
      return r;
    },
    figures: () => ({ ...(ownPaths > 0 ? { meanAbsPosition: own / ownPaths } : {}), bsdhMeanAbsPosition: ref / Math.max(1, refPaths) }),
  };
}

/** The first `paths` test paths (the monitor set of the live histogram), path-major. */
export function firstTestPaths(seed: number, paths: number, task: Pick<HedgeTask, 'days' | 'steps'>, vol: number, drift: number): Float64Array {
  return simulatePrices(seeded(seed), paths, task, vol, drift);
}
