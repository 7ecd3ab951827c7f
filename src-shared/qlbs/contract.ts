import { z } from 'zod';
import { type PnlDistribution } from '../api/runs';
import { qlbsConfigSchema } from './config';
import { qlbsSweepSchema } from './sweep';

/**
 * The QLBS handlers: start a run or a sweep (both jobs, returning `{ runId }` at once), and read a finished
 * run's learned model back as curves and grids (evaluated from the stored spline coefficients).
 */

const runId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'runId must be a run id');
const step = z.number({ error: 'time steps must be numbers' }).int('time steps must be whole numbers').min(0, 'time steps must be >= 0');

export const qlbsSchemas = {
  'qlbs-start': qlbsConfigSchema,
  'qlbs-sweep': qlbsSweepSchema,
  'qlbs-curves': z
    .object({
      runId,
      times: z.array(step).min(1, 'times must name at least one time step').max(24, 'times must name at most 24 time steps'),
      points: z.number().int('points must be a whole number').min(5, 'points must be >= 5').max(401, 'points must be <= 401').optional(),
    })
    .strict(),
  'qlbs-qsurface': z
    .object({
      runId,
      t: z.number({ error: 't must be a number' }).int('t must be a whole number').min(0, 't must be >= 0'),
      sPoints: z.number().int('sPoints must be a whole number').min(5, 'sPoints must be >= 5').max(121, 'sPoints must be <= 121').optional(),
      aPoints: z.number().int('aPoints must be a whole number').min(5, 'aPoints must be >= 5').max(121, 'aPoints must be <= 121').optional(),
    })
    .strict(),
  'qlbs-portfolio': z
    .object({ runId, bins: z.number().int('bins must be a whole number').min(10, 'bins must be >= 10').max(200, 'bins must be <= 200').optional() })
    .strict(),
} as const;

/** The learned hedge a_t(S) against the Black-Scholes delta at one time step, on a grid of spot prices. */
export interface QlbsHedgeCurve {
  /** Time step (0 .. steps - 1); the hedge is held from t dt to (t + 1) dt. */
  t: number;
  /** Time to maturity T - t dt, years. */
  tauYears: number;
  /** Spot grid (money), from the 0.5% to the 99.5% quantile of S_t over the paths (one point at t = 0). */
  s: number[];
  /** On-policy DP hedge (units of the asset per option). */
  dp: number[];
  /** FQI hedge (the hedge formula on the off-policy data), null for method dp. */
  fqi: number[] | null;
  /** Black-Scholes delta at tau (negative for a put). */
  bs: number[];
  /** 5%, 50% and 95% quantiles of S_t over the paths (where most paths are). */
  sQuantiles: [number, number, number];
}

export interface QlbsCurves {
  runId: string;
  option: 'put' | 'call';
  steps: number;
  curves: QlbsHedgeCurve[];
}

/**
 * The fitted FQI action-value Q_t(S, a) = (1, a, a^2/2) W_t Phi(X(S)) on a grid (money), with the hedge lines
 * over it. `q` is row-major, s.length x a.length: q[i * a.length + j] = Q_t(s[i], a[j]).
 */
export interface QlbsQSurface {
  runId: string;
  t: number;
  tauYears: number;
  s: number[];
  a: number[];
  q: number[];
  qMin: number;
  qMax: number;
  /** The FQI hedge a*_t(S) substituted into Q (what the Bellman target uses). */
  hedge: number[];
  /** argmax_a of the fitted quadratic, -U1 / U2 where U2 < 0 (else null). */
  argmax: Array<number | null>;
  bsDelta: number[];
  /** The on-policy DP value Q_t(S) under the DP hedge (state only), for comparison. */
  dpValue: number[];
}

export interface QlbsPortfolio {
  runId: string;
  /** Histograms (density) of Pi_0 over the paths: the on-policy portfolio, and the noisy FQI one when present. */
  distribution: PnlDistribution;
  dpMean: number;
  fqiMean: number | null;
  bsPrice: number;
}

export interface QlbsResponses {
  'qlbs-start': { runId: string };
  'qlbs-sweep': { runId: string };
  'qlbs-curves': QlbsCurves;
  'qlbs-qsurface': QlbsQSurface;
  'qlbs-portfolio': QlbsPortfolio;
}
