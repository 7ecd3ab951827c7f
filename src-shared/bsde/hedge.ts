import { z } from 'zod';
import { int, num } from '../zodFields';

/**
 * Hedging a solved book along simulated paths (spec portfolio-bsde.md, "Hedging along simulated paths"):
 * run kind 'bsde-hedge'. The hedger is short the book, receives V_0 = sum_j n_j Y_0^j and rebalances at
 * R equidistant grid dates tau_k = k T / R with
 *
 * - delta: h = sum_j n_j Delta_j in the assets, the rest in cash at r (dividends q_a h_a S_a dt credited);
 * - delta-gamma: weights w of the gamma instruments (a European put per asset for the diagonal Gammas, an
 *   exchange call max(S_a - k S_b, 0) per pair a < b for the cross Gammas, maturity T~ > T) solving
 *   sum_k w_k Gamma^{H_k}_{ab} = Gamma^{book}_{ab} for all a <= b by LSQR, then h = Delta_book - w . Delta^H.
 *
 * Holders exercise option j at its first exercise date where g_j > C_j (the Greek source's continuation
 * value); the hedger pays g_j from cash. Relative PnL at T = (hedge value - payoffs due) / |V_0|.
 */
export const STRATEGIES = ['delta', 'delta-gamma'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Where the Greeks come from: the solve run's networks, or closed forms (European vanillas, geometric baskets, exchange options). */
export const GREEK_SOURCES = ['network', 'closed-form'] as const;
export type GreekSource = (typeof GREEK_SOURCES)[number];

/** The rebalancing counts of the source's figures (with T = 1: yearly .. daily). */
export const REBALANCE_PRESETS = [1, 2, 4, 12, 24, 60, 120] as const;

/** Largest path count of one hedge run. */
export const MAX_HEDGE_PATHS = 65536;

export const instrumentsShape = z
  .object({
    /** Maturity T~ of every gamma instrument (years); must be at least the grid horizon T (4 > T by default, as in the source). */
    maturity: num('instruments.maturity').gt(0, 'instruments.maturity must be > 0 (years)').max(50, 'instruments.maturity must be <= 50 years'),
    /** Strike of each asset's put as a multiple of that asset's S_0 (1 = at the money at t = 0). */
    putMoneyness: num('instruments.putMoneyness').gt(0, 'instruments.putMoneyness must be > 0').max(10, 'instruments.putMoneyness must be <= 10'),
    /** Exchange ratio k of the exchange calls max(S_a - k S_b, 0). */
    exchangeRatio: num('instruments.exchangeRatio').gt(0, 'instruments.exchangeRatio must be > 0').max(10, 'instruments.exchangeRatio must be <= 10'),
  })
  .strict();
export type InstrumentsConfig = z.output<typeof instrumentsShape>;

export const DEFAULT_INSTRUMENTS: InstrumentsConfig = { maturity: 4, putMoneyness: 1, exchangeRatio: 1 };

export const hedgeShape = {
  strategy: z.enum(STRATEGIES, { error: 'strategy must be delta or delta-gamma' }),
  greeks: z.enum(GREEK_SOURCES, { error: 'greeks must be network or closed-form' }),
  /** R, the number of rebalancing dates (tau_0 = 0 included); must divide the path grid's N. */
  rebalance: int('rebalance', 1, 1000),
  paths: int('paths', 16, MAX_HEDGE_PATHS),
  /**
   * N of the path grid. Network Greeks: must be null or the solve's N (the networks live on that grid).
   * Closed form: any N with the book's dates on it (null = the solve's N).
   */
  steps: int('steps', 1, 1000).nullable(),
  instruments: instrumentsShape,
  seed: int('seed', 0, 2 ** 32 - 1),
};
export const hedgeConfigSchema = z.object(hedgeShape).strict();
export type HedgeSettings = z.output<typeof hedgeConfigSchema>;

export const DEFAULT_HEDGE: HedgeSettings = { strategy: 'delta-gamma', greeks: 'network', rebalance: 12, paths: 4096, steps: null, instruments: DEFAULT_INSTRUMENTS, seed: 7 };

/** Relative-PnL statistics (units: fractions of |V_0|; variance in its square). */
export interface PnlStats {
  n: number;
  mean: number;
  variance: number;
  /** E[min(X - mean, 0)^2]. */
  semivariance: number;
  skew: number;
  /** Quantiles at 1, 5, 95, 99% (the PnL itself, not a loss). */
  var: { p1: number; p5: number; p95: number; p99: number };
  /** Mean beyond the quantile on that side (below for 1/5%, above for 95/99%). */
  es: { p1: number; p5: number; p95: number; p99: number };
  min: number;
  max: number;
}

export interface HedgeInstrumentInfo {
  label: string;
  kind: 'put' | 'exchange';
  /** Asset indices: [a] for a put, [a, b] for an exchange call. */
  assets: number[];
  /** Put: strike (money); exchange: ratio k. */
  strike: number;
  maturity: number;
}

/** The figures a rebalancing pass over some paths returns besides their PnL (a whole run, or one cluster part of it). */
export interface HedgePassFigures {
  v0: number;
  /** Paths on which option j was exercised before maturity. */
  earlyExercised: number[];
  instruments: HedgeInstrumentInfo[];
  selfFinancingMaxAbs: number;
  lsqr: { solves: number; iterations: number; maxIterations: number; maxRelResidual: number };
  timing: { greeksMs: number; lsqrMs: number; totalMs: number };
}

/** What a 'bsde-hedge' run stores as metrics (the relative PnL sample is the Float64Array 'pnl'). */
export interface BsdeHedgeMetrics {
  solveRunId: string;
  strategy: Strategy;
  greeks: GreekSource;
  /** Scheme of the solve ('osm' | 'rdbdp'); meaningful for network Greeks. */
  scheme: string;
  rebalance: number;
  steps: number;
  horizon: number;
  paths: number;
  d: number;
  J: number;
  assets: string[];
  optionLabels: string[];
  /** Book value at t = 0 from the Greek source (money). */
  v0: number;
  stats: PnlStats;
  /** Share of paths on which each option was exercised before its maturity. */
  earlyExercise: number[];
  instruments: HedgeInstrumentInfo[];
  /** max over paths and dates of |value before trade - value after trade| (money): self-financing check. */
  selfFinancingMaxAbs: number;
  /** Delta-gamma only: LSQR solves, iterations and the largest relative residual ||Aw - b|| / max(||b||, 1e-6 ||Gamma_book(0)||). */
  lsqr: { solves: number; meanIterations: number; maxIterations: number; maxRelResidual: number } | null;
  /** Path indices of the median, worst and best relative PnL (for the schedule view). */
  pathIndex: { median: number; worst: number; best: number };
  timing: { totalMs: number; greeksMs: number; lsqrMs: number; simMs: number };
  peakRssBytes: number;
}

/** One event on a path: a rebalancing date, an exercise, or the final settlement at T. */
export interface ScheduleRow {
  /** Grid index and time (years). */
  n: number;
  t: number;
  kind: 'rebalance' | 'exercise' | 'maturity' | 'final';
  spots: number[];
  /** Book value sum_j n_j Y_j of the options still alive (money), from the Greek source. */
  bookValue: number;
  /** Hedge portfolio value before any trade here (money). */
  hedgeBefore: number;
  /** Hedge portfolio value after the trade and any payment here (money). */
  hedgeAfter: number;
  /** Asset holdings h (units) after the trade. */
  holdings: number[];
  /** Gamma-instrument weights w after the trade (delta-gamma; [] for delta). */
  weights: number[];
  /** Trades in units: holdings after - before (assets), weights after - before (instruments). */
  tradeAssets: number[];
  tradeInstruments: number[];
  /**
   * Optional: the price (money, per unit) of each gamma instrument at this date, the one its trades were
   * booked at. When present, the renderer's trades CSV and grid show it (price and notional of instrument orders).
   */
  instrumentPrices?: number[];
  /** Cash after the trade and payments (money). */
  cash: number;
  /** Options exercised or matured here: their index, label and payment (money, quantity included). */
  payments: Array<{ option: number; label: string; amount: number; early: boolean }>;
}

export interface HedgeSchedule {
  runId: string;
  path: number;
  /** 'median' | 'worst' | 'best' when picked that way. */
  pick: string | null;
  pnl: number;
  assets: string[];
  instruments: string[];
  rows: ScheduleRow[];
}

/** A comparison: hedge runs of one or more solves across strategies and R, as a run group. */
export interface HedgeComparisonCell {
  runId: string;
  status: string;
  solveRunId: string;
  scheme: string;
  greeks: GreekSource;
  strategy: Strategy;
  rebalance: number;
  stats: PnlStats | null;
}

export interface HedgeComparison {
  groupId: string;
  label: string;
  createdAt: number;
  /** Solve runs the comparison made (one-action preset comparisons) or used. */
  solveRunIds: string[];
  cells: HedgeComparisonCell[];
  /** The source's claims as measured here, one sentence each (empty until the cells are done). */
  findings: string[];
}

/**
 * One-action comparison plans of the presets (spec "Presets the source reports"): which solves to run on the
 * preset's book (schemes), which Greek sources, strategies and rebalancing counts to hedge with. Network
 * cells use the R that divide the solve's N; closed-form cells (where the book has one) use the full list
 * on a path grid of N = 120.
 */
export interface ComparisonPlan {
  title: string;
  schemes: Array<'osm' | 'rdbdp'>;
  greeks: GreekSource[];
  strategies: Strategy[];
  rebalance: number[];
}

export const COMPARISON_PLANS: Record<'B1' | 'B2' | 'B3' | 'B4', ComparisonPlan> = {
  B1: { title: 'delta versus delta-gamma across R (OSM Greeks and the closed form)', schemes: ['osm'], greeks: ['network', 'closed-form'], strategies: ['delta', 'delta-gamma'], rebalance: [...REBALANCE_PRESETS] },
  B2: { title: 'delta versus delta-gamma across R, ITM/ATM/OTM book', schemes: ['osm'], greeks: ['network', 'closed-form'], strategies: ['delta', 'delta-gamma'], rebalance: [...REBALANCE_PRESETS] },
  B3: { title: 'OSM versus RDBDP Greeks, delta and delta-gamma across R', schemes: ['osm', 'rdbdp'], greeks: ['network'], strategies: ['delta', 'delta-gamma'], rebalance: [...REBALANCE_PRESETS] },
  B4: { title: 'delta versus delta-gamma across R on the mixed book (OSM Greeks)', schemes: ['osm'], greeks: ['network'], strategies: ['delta', 'delta-gamma'], rebalance: [...REBALANCE_PRESETS] },
};

/** The path grid N of closed-form cells in comparisons (every preset R divides it). */
export const CLOSED_FORM_STEPS = 120;
