import { z } from 'zod';
import { bookId } from '../portfolio/contract';
import { type BookContent } from '../portfolio/book';
import { type SolverConfig, solverShape } from './config';
import { type BookGreeksAt } from './result';
import { type HedgeComparison, type HedgeSchedule, type HedgeSettings, hedgeShape, STRATEGIES, GREEK_SOURCES, instrumentsShape, MAX_HEDGE_PATHS } from './hedge';
import { SCHEMES } from './config';

/**
 * Handlers of the `bsde` domain: solve runs (kind 'bsde-solve') of a stored book version with OSM or RDBDP,
 * and Greeks at any grid time and spot from a finished run's stored networks.
 */
const runId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'runId must be a run id');

export const bsdeSchemas = {
  'bsde-solve': z
    .object({
      bookId,
      /** null/absent: the latest version. */
      version: z.number().int('version must be a whole number').min(1, 'version must be >= 1').nullable().optional(),
      label: z.string().max(120, 'label must be at most 120 characters').optional(),
      /** Start even when the estimated work or disk is over the limits (src-shared/limits). */
      allowLong: z.boolean({ error: 'allowLong must be true or false' }).optional(),
      ...solverShape,
    })
    .strict(),
  'bsde-evaluate': z
    .object({
      runId,
      /** Grid index n (t_n = n T / N). */
      n: z.number().int('n must be a whole number').min(0, 'n must be >= 0').max(500, 'n must be <= 500'),
      /** Spot of every asset (money), in the book's asset order. */
      spots: z.array(z.number().gt(0, 'spots must be > 0')).min(1, 'give one spot per asset').max(50, 'at most 50 spots'),
    })
    .strict(),
  /** Hedge the book of a solve run along simulated paths (kind 'bsde-hedge'). */
  'bsde-hedge': z
    .object({
      solveRunId: runId,
      label: z.string().max(120, 'label must be at most 120 characters').optional(),
      ...hedgeShape,
    })
    .strict(),
  /** Replay one path of a finished hedge run and return its rebalancing schedule. */
  'bsde-hedge-schedule': z
    .object({
      runId,
      /** A path index 0..paths-1, or the path with the median, worst or best relative PnL. */
      path: z.union([z.number().int('path must be a whole number').min(0, 'path must be >= 0'), z.enum(['median', 'worst', 'best'], { error: 'path must be an index or median, worst or best' })]),
    })
    .strict(),
  /**
   * A comparison stored as a run group: hedge runs for every (solve, Greek source, strategy, R) cell. Either
   * existing solve runs (`solveRunIds`), or `solve` to solve a book first with each scheme (one action: the
   * solves are queued first and the hedge runs wait for them).
   */
  'bsde-compare': z
    .object({
      label: z.string().max(120, 'label must be at most 120 characters').optional(),
      solveRunIds: z.array(runId).min(1, 'give at least one solve run').max(4, 'at most 4 solve runs').optional(),
      solve: z
        .object({
          bookId,
          version: z.number().int('version must be a whole number').min(1, 'version must be >= 1').nullable().optional(),
          schemes: z.array(z.enum(SCHEMES, { error: 'schemes must be osm or rdbdp' })).min(1, 'give at least one scheme').max(2),
          ...(({ scheme: _s, ...rest }) => rest)(solverShape),
        })
        .strict()
        .optional(),
      greeks: z.array(z.enum(GREEK_SOURCES, { error: 'greeks must be network or closed-form' })).min(1, 'choose at least one Greek source').max(2),
      strategies: z.array(z.enum(STRATEGIES, { error: 'strategies must be delta or delta-gamma' })).min(1, 'choose at least one strategy').max(2),
      rebalance: z.array(z.number().int('rebalance must be whole numbers').min(1, 'rebalance must be >= 1').max(1000, 'rebalance must be <= 1000')).min(1, 'give at least one rebalancing count').max(12, 'at most 12 rebalancing counts'),
      paths: z.number().int('paths must be a whole number').min(16, 'paths must be >= 16').max(MAX_HEDGE_PATHS, `paths must be <= ${MAX_HEDGE_PATHS}`),
      /** Path grid N of closed-form cells (null: the solve's N). */
      closedFormSteps: z.number().int('closedFormSteps must be a whole number').min(1).max(1000).nullable(),
      instruments: instrumentsShape,
      seed: z.number().int('seed must be a whole number').min(0).max(2 ** 32 - 1),
    })
    .strict(),
  'bsde-comparisons-list': z.object({}).strict(),
  'bsde-compare-get': z.object({ groupId: z.string().regex(/^[0-9a-z-]{8,64}$/, 'groupId must be a group id') }).strict(),
} as const;

/** What a 'bsde-hedge' run stores as its config. */
export interface BsdeHedgeRunConfig extends HedgeSettings {
  solveRunId: string;
}

/** What a 'bsde-solve' run stores as its config (the book is copied so the run is self-contained). */
export interface BsdeRunConfig {
  bookId: string;
  version: number;
  book: BookContent;
  solver: SolverConfig;
}

export interface BsdeResponses {
  'bsde-solve': { runId: string };
  'bsde-evaluate': BookGreeksAt;
  'bsde-hedge': { runId: string };
  'bsde-hedge-schedule': HedgeSchedule;
  'bsde-compare': { groupId: string; solveRunIds: string[]; runIds: string[] };
  'bsde-comparisons-list': HedgeComparison[];
  'bsde-compare-get': HedgeComparison;
}
