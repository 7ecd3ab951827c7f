import { z } from 'zod';
import { noDuplicates } from '../api/unique';
import { HESTON_HEDGE_PATHS, type HestonHedgeSchedule, MAX_HESTON_HEDGE_PATHS } from './hedge';
import { HESTON_INSTRUMENTS, HESTON_STRATEGIES, type HestonStrategy } from './types';
import { type PnlDistribution } from '../api/runs';

/**
 * Handlers of Heston hedging along paths (spec heston-osm.md "Hedging along paths"): a 'heston-hedge' run
 * hedges the claim of a finished 'heston-solve' run with its network Greeks ('network'), the ADI PDE's ('pde')
 * or, for a European claim, the semi-analytic formula's ('semi-analytic'), for every strategy x R on the same
 * paths; and the schedule of one path of one (strategy, R), replayed from the run's seed.
 */
const runId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'runId must be a run id');

export const HESTON_HEDGE_GREEKS = ['network', 'pde', 'semi-analytic'] as const;
export type HestonHedgeGreeks = (typeof HESTON_HEDGE_GREEKS)[number];

const strategy = z.enum(HESTON_STRATEGIES, { error: `strategy must be one of ${HESTON_STRATEGIES.join(', ')}` });
const rebalanceCount = z.number().int('rebalance must be whole numbers').min(1, 'rebalance must be >= 1').max(500, 'rebalance must be <= 500');

export const hestonInstrumentSchema = z
  .object({
    /** European puts (spec: the instruments are puts on the same asset). */
    kind: z.enum(['put'], { error: 'instrument kind must be put (the instruments are European puts)' }),
    strike: z.number().gt(0, 'strike must be > 0 (currency)').max(1e6, 'strike must be <= 1e6'),
    maturity: z.number().gt(0, 'maturity must be > 0 (years)').max(50, 'maturity must be <= 50 years'),
  })
  .strict();

export const hestonHedgeShape = {
  solveRunId: runId,
  greeks: z.enum(HESTON_HEDGE_GREEKS, { error: 'greeks must be network, pde or semi-analytic' }),
  strategies: z
    .array(strategy)
    .min(1, 'choose at least one strategy')
    .max(HESTON_STRATEGIES.length)
    .superRefine(noDuplicates((s: string) => s, (s) => `strategy ${s}`)),
  /** Rebalancing counts R (each <= the solve's N; nearest grid dates when R does not divide N). */
  rebalance: z
    .array(rebalanceCount)
    .min(1, 'give at least one rebalancing count')
    .max(8, 'at most 8 rebalancing counts')
    .superRefine(noDuplicates((r: number) => String(r), (r) => `R = ${r}`)),
  paths: z.number().int('paths must be a whole number').min(16, 'paths must be >= 16').max(MAX_HESTON_HEDGE_PATHS, `paths must be <= ${MAX_HESTON_HEDGE_PATHS}`),
  seed: z.number().int('seed must be a whole number').min(0, 'seed must be >= 0').max(2 ** 32 - 1),
  /** The instruments in role order vega, gamma, vomma, vanna (spec table; each must outlive the claim). */
  instruments: z.array(hestonInstrumentSchema).length(4, 'give the four instruments (vega, gamma, vomma, vanna roles)'),
};

export const hestonHedgeConfigSchema = z.object(hestonHedgeShape).strict();
/** What a 'heston-hedge' run stores as its config. */
export type HestonHedgeRunConfig = z.output<typeof hestonHedgeConfigSchema>;

export const DEFAULT_HESTON_HEDGE: Omit<HestonHedgeRunConfig, 'solveRunId'> = {
  greeks: 'network',
  strategies: [...HESTON_STRATEGIES],
  rebalance: [1, 2, 5, 10, 25, 50],
  paths: HESTON_HEDGE_PATHS,
  seed: 11,
  instruments: HESTON_INSTRUMENTS.map((i) => ({ kind: 'put' as const, strike: i.instrument.strike, maturity: i.instrument.maturity })),
};

export const hestonHedgeSchemas = {
  /** Hedge the claim of a 'heston-solve' run along paths (kind 'heston-hedge'); omitted fields take DEFAULT_HESTON_HEDGE. */
  'heston-hedge': z
    .object({
      solveRunId: runId,
      greeks: hestonHedgeShape.greeks.optional(),
      strategies: hestonHedgeShape.strategies.optional(),
      rebalance: hestonHedgeShape.rebalance.optional(),
      paths: hestonHedgeShape.paths.optional(),
      seed: hestonHedgeShape.seed.optional(),
      instruments: hestonHedgeShape.instruments.optional(),
      label: z.string().max(120, 'label must be at most 120 characters').optional(),
    })
    .strict(),
  /** Replay one path of a finished 'heston-hedge' run for one (strategy, R) cell. */
  'heston-hedge-schedule': z
    .object({
      runId,
      strategy,
      rebalance: rebalanceCount,
      path: z.union([z.number().int('path must be a whole number').min(0, 'path must be >= 0'), z.enum(['median', 'worst', 'best'], { error: 'path must be an index or median, worst or best' })]),
    })
    .strict(),
  /** Histogram and KDE of the relative PnL of each strategy of a finished run at one R (each on its own range). */
  'heston-hedge-distribution': z
    .object({
      runId,
      rebalance: rebalanceCount,
      bins: z.number().int('bins must be a whole number').min(10, 'bins must be >= 10').max(400, 'bins must be <= 400').optional(),
    })
    .strict(),
} as const;

export interface HestonHedgeDistribution {
  runId: string;
  rebalance: number;
  /** One distribution per strategy of the run (its own common range: the strategies' spreads differ by orders of magnitude). */
  strategies: Array<{ strategy: HestonStrategy; dist: PnlDistribution }>;
}

export interface HestonHedgeResponses {
  'heston-hedge': { runId: string };
  'heston-hedge-schedule': HestonHedgeSchedule;
  'heston-hedge-distribution': HestonHedgeDistribution;
}

