import { z } from 'zod';
import { type QlbsConfig, qlbsConfigSchema, qlbsCrossFieldIssues, qlbsFields } from './config';

/**
 * A QLBS sweep: the same run repeated over values of one parameter (lambda, mu, paths or eta), `repeats`
 * times each with seeds seed, seed + 1, …, run as one job (kind 'qlbs-sweep') whose points arrive live.
 * An eta sweep always computes the FQI price (eta only affects it).
 */

export const QLBS_SWEEP_PARAMS = ['lambda', 'mu', 'paths', 'eta'] as const;
export type QlbsSweepParam = (typeof QLBS_SWEEP_PARAMS)[number];

export const QLBS_MAX_SWEEP_VALUES = 40;
export const QLBS_MAX_REPEATS = 20;
/** Total paths x steps over every point of a sweep (about half a minute of work). */
export const QLBS_MAX_SWEEP_PATH_STEPS = 100_000_000;

/** Total paths x steps of a sweep (FQI counted twice). */
export function sweepWork(s: { base: QlbsConfig; param: QlbsSweepParam; values: number[]; repeats: number }): number {
  const fqi = s.base.method === 'fqi' || s.param === 'eta' ? 2 : 1;
  return s.values.reduce((sum, v) => sum + (s.param === 'paths' ? v : s.base.paths) * s.base.steps * s.repeats * fqi, 0);
}

const baseSchema = z.object(qlbsFields).strict();

export const qlbsSweepSchema = z
  .object({
    base: baseSchema,
    param: z.enum(QLBS_SWEEP_PARAMS, { error: 'param must be one of: lambda, mu, paths, eta' }),
    values: z
      .array(z.number({ error: 'values must be numbers' }), { error: 'values must be a list of numbers' })
      .min(2, 'values must have at least 2 entries')
      .max(QLBS_MAX_SWEEP_VALUES, `values must have at most ${QLBS_MAX_SWEEP_VALUES} entries`),
    repeats: z
      .number({ error: 'repeats must be a number' })
      .int('repeats must be a whole number')
      .min(1, 'repeats must be >= 1')
      .max(QLBS_MAX_REPEATS, `repeats must be <= ${QLBS_MAX_REPEATS}`),
    label: z.string().max(120, 'label must be at most 120 characters').optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const { field, message } of qlbsCrossFieldIssues(s.base)) ctx.addIssue({ code: 'custom', message, path: ['base', field] });
    // Every value must make a valid run (field ranges and the cross-field rules).
    s.values.forEach((v, i) => {
      const one = qlbsConfigSchema.safeParse({ ...s.base, [s.param]: v });
      if (!one.success) {
        const msg = one.error.issues[0]?.message ?? 'invalid value';
        ctx.addIssue({ code: 'custom', message: `${s.param} = ${v}: ${msg}`, path: ['values', i] });
      }
    });
    if (s.repeats > 1 && s.base.seed + s.repeats - 1 > 2 ** 32 - 1) {
      ctx.addIssue({ code: 'custom', message: 'seed + repeats - 1 must be < 2^32', path: ['repeats'] });
    }
    const work = sweepWork(s as { base: QlbsConfig; param: QlbsSweepParam; values: number[]; repeats: number });
    if (work > QLBS_MAX_SWEEP_PATH_STEPS) {
      ctx.addIssue({
        code: 'custom',
        message: `the sweep is too large: ${work.toExponential(2)} path-steps in all (values x repeats x paths x steps, FQI twice) > ${QLBS_MAX_SWEEP_PATH_STEPS.toExponential(0)}; use fewer values, repeats or paths`,
        path: ['values'],
      });
    }
  });

export type QlbsSweepConfig = z.output<typeof qlbsSweepSchema>;

/** Mean and standard deviation over the repeats of each value (sd 0 with one repeat; null until computed). */
export interface SweepSeries {
  mean: Array<number | null>;
  sd: Array<number | null>;
}

/** A sweep's results; `values` in the order given. Also the live progress detail (partial, `done` points). */
export interface QlbsSweepMetrics {
  kind: 'qlbs-sweep';
  param: QlbsSweepParam;
  values: number[];
  repeats: number;
  /** Points (value x repeat) finished. */
  done: number;
  /** Black-Scholes price for each value (none of the sweepable parameters changes it). */
  bsPrice: Array<number | null>;
  /** DP price -mean Q_0 (money). */
  dpPrice: SweepSeries;
  /** In-sample hedge cost mean Pi_0, and the learned hedge's cost on fresh paths (money). */
  dpHedgeCost: SweepSeries;
  dpHedgeCostOos: SweepSeries;
  /** Mean over repeats of each run's own Monte Carlo standard error of the hedge cost. */
  dpHedgeCostStdErr: Array<number | null>;
  /** FQI price -mean Q*_0 on the FQI grid (null when the sweep runs DP only). */
  fqiPrice: SweepSeries | null;
  /** Whether each value's repeats are all done. */
  computed: boolean[];
  wallMs: number;
}

/** Suggested values per parameter (the mu sweep brackets the reference r = 0.03). */
export const DEFAULT_SWEEP_VALUES: Record<QlbsSweepParam, number[]> = {
  lambda: [0, 0.0005, 0.001, 0.002, 0.003, 0.005],
  mu: [-0.05, -0.01, 0.03, 0.07, 0.11, 0.15],
  paths: [1000, 2000, 5000, 10000, 20000, 50000],
  eta: [0, 0.1, 0.25, 0.5, 0.75, 0.9],
};
export const DEFAULT_SWEEP_REPEATS: Record<QlbsSweepParam, number> = { lambda: 1, mu: 1, paths: 5, eta: 1 };
