import { z } from 'zod';
import { wireArraySchema } from '../api/wireArray';
import { hestonClaimSchema, hestonMarketSchema } from './config';
import { hestonHedgeConfigSchema } from './hedgeContract';

/**
 * Paths [from, to) of a 'heston-hedge' run as ONE cluster job (wire kind 'heston-hedge-part', not a stored run
 * kind): the host waited for nothing (the solve is done when the hedge is submitted), read the solve's market,
 * claim, grid and (for network Greeks) its networks from its store, and sends them with every part. The schema
 * checks shapes and sizes: the range lies within the run's paths, R <= N, a network hedge carries the solution's
 * meta and a float32 'weights' array (the networks' layout inside it is checked by loadHestonSolution on use).
 */
export const HESTON_HEDGE_PART = 'heston-hedge-part';

const { solveRunId: _id, ...settingsShape } = hestonHedgeConfigSchema.shape;

export const hestonHedgePartSchema = z
  .object({
    solveRunId: z.string().regex(/^[0-9a-z-]{8,64}$/, 'must be a run id'),
    market: hestonMarketSchema,
    claim: hestonClaimSchema,
    scheme: z.string().max(20),
    steps: z.number().int().min(1).max(1000),
    horizon: z.number().gt(0).max(100),
    /** The solve's `metrics.solution` and the arrays it names (network Greeks only). */
    solution: z
      .object({
        meta: z.object({ format: z.literal('heston-solution/1') }).loose(),
        arrays: z.record(z.string().max(64), wireArraySchema),
      })
      .strict()
      .nullable(),
    settings: z.object(settingsShape).strict(),
    from: z.number().int().min(0),
    to: z.number().int().min(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    const bad = (path: (string | number)[], message: string): void => void ctx.addIssue({ code: 'custom', path, message });
    if (!(p.from < p.to && p.to <= p.settings.paths)) bad(['to'], `paths [${p.from}, ${p.to}) are not a non-empty range within the run's ${p.settings.paths} paths`);
    for (const R of p.settings.rebalance) if (R > p.steps) bad(['settings', 'rebalance'], `R = ${R} exceeds the solve's N = ${p.steps}`);
    if (p.settings.greeks !== 'network') return;
    const w = p.solution?.arrays.weights;
    if (!w) return bad(['solution'], "network Greeks need the solve's networks: the solution's meta and its float32 'weights' array");
    for (const [name, a] of Object.entries(p.solution!.arrays)) if (a.dtype !== 'float32') bad(['solution', 'arrays', name, 'dtype'], 'network arrays are float32');
    if (w.length === 0) bad(['solution', 'arrays', 'weights', 'length'], 'holds no values');
  });

export type HestonHedgePartConfig = z.output<typeof hestonHedgePartSchema>;

/** What a part returns besides its 'pnl' array (cells x (to - from), cell-major): the figures the host merges. */
export interface HestonHedgePartMetrics {
  from: number;
  to: number;
  v0: number;
  earlyExercised: number;
  dates: number[][];
  cond: Array<{ solves: number; logSum: number; max: number; fallbacks: number }>;
  selfFinancingMaxAbs: number[];
  timing: { bookGreeksMs: number; instrumentGreeksMs: number; totalMs: number };
}
