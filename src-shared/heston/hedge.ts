import { type HedgeInstrumentInfo, type PnlStats, type ScheduleRow } from '../bsde/hedge';
import { type HestonStrategy } from './types';

/**
 * Hedging the Heston claim along paths (spec heston-osm.md "Hedging along paths", source appendix A): run
 * kind 'heston-hedge'. The hedger is short the claim, holds the stock and European puts (the instruments),
 * rebalances at R dates and keeps the rest in cash at r. One run hedges the same paths (common random
 * numbers) with every strategy and every R asked for: a cell is one (strategy, R).
 */

/** The rebalancing counts of the spec (R = 1 is a static hedge set at t = 0). */
export const HESTON_REBALANCE_PRESETS = [1, 2, 5, 10, 25, 50] as const;

/** Default path count of a hedge run. */
export const HESTON_HEDGE_PATHS = 4096;
export const MAX_HESTON_HEDGE_PATHS = 65536;

/**
 * Where the book's Greeks come from: the solve run's networks ('osm' / 'rdbdp', as the run was solved), the
 * ADI reference ('pde'), or the semi-analytic formula ('semi-analytic', European claims only).
 */
export type HestonBookGreeks = 'osm' | 'rdbdp' | 'pde' | 'semi-analytic';

/** Number of instruments (and hedging conditions besides Delta) of each strategy: 0..4. */
export function strategyInstruments(s: HestonStrategy): number {
  return s === 'delta' ? 0 : s.split('-').length - 1;
}

/** Condition-number summary of the weight systems of one cell (row-scaled, inf-norm; see hedgeSolve.ts). */
export interface CondSummary {
  /** Square solves made (paths x rebalancing dates while alive). */
  solves: number;
  /** Geometric mean and maximum of the condition numbers of the solves that were regular. */
  geoMean: number;
  max: number;
  /** Solves that were singular (cond > 1e12 or a zero row) and fell back to least squares. */
  fallbacks: number;
}

export interface HestonHedgeCell {
  strategy: HestonStrategy;
  rebalance: number;
  /** Grid indices of the rebalancing dates (round(k N / R), k = 0..R-1). */
  dates: number[];
  /** R divides N, so the dates are exactly equidistant (otherwise the nearest grid dates). */
  exact: boolean;
  stats: PnlStats;
  cond: CondSummary | null;
  /** max |value after a trade - value before| over paths and dates (money): the self-financing check. */
  selfFinancingMaxAbs: number;
  /** Path indices of the median, worst and best relative PnL (for the schedule view). */
  pathIndex: { median: number; worst: number; best: number };
}

export interface HestonHedgeInstrument extends HedgeInstrumentInfo {
  role: 'vega' | 'gamma' | 'vomma' | 'vanna';
}

/** What a 'heston-hedge' run stores as metrics; the array 'pnl' holds cells.length x paths relative PnLs, cell-major. */
export interface HestonHedgeMetrics {
  solveRunId: string | null;
  greeks: HestonBookGreeks;
  steps: number;
  horizon: number;
  paths: number;
  seed: number;
  /** Claim value at t = 0 from the Greek source (money). */
  v0: number;
  strategies: HestonStrategy[];
  rebalance: number[];
  cells: HestonHedgeCell[];
  /** Share of paths on which the holder exercised before maturity. */
  earlyExercise: number;
  instruments: HestonHedgeInstrument[];
  timing: { totalMs: number; bookGreeksMs: number; instrumentGreeksMs: number };
}

/** A schedule row of a Heston path: the BS schedule's row (one asset) plus the variance state and the system's condition. */
export interface HestonScheduleRow extends ScheduleRow {
  /** Variance state nu at this date (1/year). */
  nu: number;
  /** Condition number of the weight system solved here (null when none was). */
  cond: number | null;
}

export interface HestonHedgeSchedule {
  runId: string;
  path: number;
  pick: string | null;
  strategy: HestonStrategy;
  rebalance: number;
  pnl: number;
  assets: string[];
  instruments: string[];
  rows: HestonScheduleRow[];
}
