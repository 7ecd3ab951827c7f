import { z } from 'zod';
import { HESTON_SCHEMES, HESTON_SOLVER_PRESETS, type HestonScheme, type HestonSolveConfig, hestonClaimSchema, hestonMarketSchema } from './config';
import { GREEK_NAMES, type GreekName, type HestonClaim, type HestonGreeks, type HestonMarket } from './types';

/**
 * Handlers of the `heston` domain (Portfolio tab, market "Heston (one asset)"): solve a one-asset Heston claim
 * with OSM or RDBDP as a job (runs-table kind 'heston-solve'), and read a finished run's Greek surfaces over
 * (S, nu) at its stored dates beside the PDE's.
 */
const runId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'runId must be a run id');

/** Solver size presets (./config.ts HESTON_SOLVER_PRESETS). */
export type HestonSolverName = keyof typeof HESTON_SOLVER_PRESETS;
export const HESTON_SOLVER_NAMES = Object.keys(HESTON_SOLVER_PRESETS) as [HestonSolverName, ...HestonSolverName[]];

export const hestonSchemas = {
  'heston-solve': z
    .object({
      market: hestonMarketSchema,
      claim: hestonClaimSchema,
      scheme: z.enum(HESTON_SCHEMES, { error: 'scheme must be osm or rdbdp' }),
      /** Solver size preset; `steps` and `seed` override it. */
      solver: z.enum(HESTON_SOLVER_NAMES, { error: 'solver must be quick or cpu' }),
      /** Time steps N of the grid (default: the preset's). Exercise dates must lie on it (N a multiple of their number). */
      steps: z.number().int('steps must be a whole number').min(1, 'steps must be >= 1').max(500, 'steps must be <= 500').optional(),
      seed: z.number().int('seed must be a whole number').min(0, 'seed must be >= 0').max(2 ** 32 - 1).optional(),
      label: z.string().max(120, 'label must be at most 120 characters').optional(),
      /** Start even when the estimated work is over the limits (src-shared/limits). */
      allowLong: z.boolean({ error: 'allowLong must be true or false' }).optional(),
    })
    .strict(),
  /** A finished run's surfaces of one Greek at one of its stored dates: network and PDE on the same (S, nu) grid. */
  'heston-surface': z
    .object({
      runId,
      /** Index into the run's `metrics.surfaces.dates`. */
      date: z.number().int('date must be a whole number').min(0, 'date must be >= 0').max(64, 'date must be <= 64'),
      greek: z.enum(GREEK_NAMES, { error: `greek must be one of ${GREEK_NAMES.join(', ')}` }),
    })
    .strict(),
} as const;

/** Absolute and relative error of one figure against the reference (rel null when the reference is 0). */
export interface GreekError {
  abs: number;
  rel: number | null;
}

/** The engine's own reference for the claim at t = 0 (European: semi-analytic; Bermudan: 2-D ADI PDE). */
export interface HestonReference {
  method: 'semi-analytic' | 'ADI PDE';
  t0: HestonGreeks;
  /** Grid of the PDE (null for the semi-analytic formula). */
  grid: { ns: number; nv: number; nt: number } | null;
  /** The reference's own error estimate: |value(grid) - value(refined grid)| per Greek (null: not estimated/exact to quadrature). */
  refinement: { grid: { ns: number; nv: number; nt: number }; change: HestonGreeks } | null;
  wallMs: number;
}

/** Where the Greek surfaces were evaluated: grid dates t_n and an (S, nu) grid per date (the paths' 2%–98% range). */
export interface HestonSurfaceInfo {
  dates: Array<{ n: number; t: number; S: number[]; nu: number[] }>;
  /** Whether PDE surfaces were stored beside the network's. */
  pde: boolean;
}

/** The solver part of a stored run's config. */
export type HestonSolverSettings = Omit<HestonSolveConfig, 'market' | 'claim'> & { preset: HestonSolverName };

/** What a 'heston-solve' run stores as its config. */
export interface HestonSolveRunConfig {
  market: HestonMarket;
  claim: HestonClaim;
  /** The full solver config used (hestonSolveConfigSchema minus market and claim) and the preset it started from. */
  solver: HestonSolverSettings;
}

export interface HestonSolveMetrics {
  scheme: HestonScheme;
  steps: number;
  horizon: number;
  dt: number;
  feller: boolean;
  /** Price and the five Greeks at t = 0 (currency; Delta 1; Vega currency per unit variance; Gamma 1/currency; ...). */
  t0: HestonGreeks;
  /** Standard errors of the t = 0 regression (sampling noise only, not the solver's bias). */
  t0StdErr: Partial<HestonGreeks>;
  reference: HestonReference | null;
  errors: Record<GreekName, GreekError> | null;
  /** `HestonSolution.serialize().meta` (JSON), read back by `loadHestonSolution(meta, arrays)`. */
  solution: unknown;
  /** Names of the run arrays that hold the networks (`serialize().arrays`). */
  solutionArrays: string[];
  surfaces: HestonSurfaceInfo | null;
  timings: { solveMs: number; referenceMs: number; surfacesMs: number };
}

export interface HestonSurface {
  runId: string;
  greek: GreekName;
  n: number;
  t: number;
  /** Grid S (currency, ascending) and nu (per year, ascending). */
  S: number[];
  nu: number[];
  /** Row-major S x nu: value[i * nu.length + j] at (S[i], nu[j]). */
  network: number[];
  pde: number[] | null;
}

export interface HestonResponses {
  'heston-solve': { runId: string };
  'heston-surface': HestonSurface;
}

/** Run array name of a stored surface: all dates of one Greek from one source, dates x nS x nNu. */
export const surfaceArrayName = (source: 'network' | 'pde', greek: GreekName): string => `surface.${source}.${greek}`;

/** Errors of every Greek against a reference. */
export function greekErrors(value: HestonGreeks, ref: HestonGreeks): Record<GreekName, GreekError> {
  const out = {} as Record<GreekName, GreekError>;
  for (const g of GREEK_NAMES) {
    const abs = Math.abs(value[g] - ref[g]);
    out[g] = { abs, rel: ref[g] !== 0 ? abs / Math.abs(ref[g]) : null };
  }
  return out;
}

/** Units of each figure, as the results table and the CLI print them. */
export const GREEK_UNITS: Record<GreekName, string> = {
  price: 'currency',
  delta: 'shares',
  vega: 'currency per unit ν',
  gamma: '1/currency',
  vomma: 'currency per unit ν²',
  vanna: 'per unit ν',
};

export const GREEK_LABELS: Record<GreekName, string> = {
  price: 'Price',
  delta: 'Delta ∂u/∂S',
  vega: 'Vega ∂u/∂ν',
  gamma: 'Gamma ∂²u/∂S²',
  vomma: 'Vomma ∂²u/∂ν²',
  vanna: 'Vanna ∂²u/∂S∂ν',
};
