/**
 * Shared numeric types of the Heston engine (spec heston-osm.md). Plain data only: used by the engine
 * (src-main/engine/heston), the domain handlers, the CLI and the renderer alike.
 *
 * Units: S0 and strikes in currency units; nu (the variance state) in 1/year (nu = vol^2); kappa in 1/year;
 * nubar in 1/year; xi (vol of variance) in 1/sqrt(year); rho dimensionless in (-1, 1); r, q continuously
 * compounded per year; maturities and times in years.
 */
export interface HestonMarket {
  s0: number;
  nu0: number;
  kappa: number;
  nubar: number;
  xi: number;
  rho: number;
  r: number;
  q: number;
}

export type HestonOptionKind = 'put' | 'call';

/** A European option under Heston (the hedging instruments and the semi-analytic reference). */
export interface HestonEuropean {
  kind: HestonOptionKind;
  strike: number;
  /** Years. */
  maturity: number;
}

/**
 * The option the OSM solver / ADI reference price: European (exerciseDates = 1, at maturity only) or
 * Bermudan with `exerciseDates` equidistant dates t = k T / exerciseDates, k = 1..exerciseDates
 * (spec H1: 12). Exercise at t = 0 is not allowed.
 */
export interface HestonClaim extends HestonEuropean {
  exerciseDates: number;
}

/** Price and the five Greeks of the spec (Vega, Vomma, Vanna are with respect to the variance state nu). */
export interface HestonGreeks {
  price: number;
  /** du/dS */
  delta: number;
  /** du/dnu */
  vega: number;
  /** d2u/dS2 */
  gamma: number;
  /** d2u/dnu2 */
  vomma: number;
  /** d2u/dS dnu */
  vanna: number;
}

export const GREEK_NAMES = ['price', 'delta', 'vega', 'gamma', 'vomma', 'vanna'] as const;
export type GreekName = (typeof GREEK_NAMES)[number];

/** Preset H1 (spec: "set A" of Ruijter & Oosterlee 2012): Bermudan put, 12 exercise dates, grid N = 60. */
export const H1_MARKET: HestonMarket = { s0: 10, nu0: 0.0625, kappa: 5, nubar: 0.16, xi: 0.9, rho: 0.1, r: 0.1, q: 0 };
export const H1_CLAIM: HestonClaim = { kind: 'put', strike: 11, maturity: 0.3, exerciseDates: 12 };
export const H1_STEPS = 60;

/** Spec's hedging instruments (European puts on the same asset), editable by the user. */
export const HESTON_INSTRUMENTS: readonly { role: 'vega' | 'gamma' | 'vomma' | 'vanna'; instrument: HestonEuropean }[] = [
  { role: 'vega', instrument: { kind: 'put', strike: 11, maturity: 0.5 } },
  { role: 'gamma', instrument: { kind: 'put', strike: 10, maturity: 0.4 } },
  { role: 'vomma', instrument: { kind: 'put', strike: 12, maturity: 0.75 } },
  { role: 'vanna', instrument: { kind: 'put', strike: 9, maturity: 0.6 } },
];

export const HESTON_STRATEGIES = [
  'delta',
  'delta-vega',
  'delta-vega-gamma',
  'delta-vega-gamma-vomma',
  'delta-vega-gamma-vomma-vanna',
] as const;
export type HestonStrategy = (typeof HESTON_STRATEGIES)[number];

/** Feller condition 2 kappa nubar >= xi^2 (variance stays strictly positive). */
export function fellerHolds(m: HestonMarket): boolean {
  return 2 * m.kappa * m.nubar >= m.xi * m.xi;
}

/** Batch of prices and Greeks, one entry per state (S_i, nu_i); all arrays the same length. */
export interface HestonGreekArrays {
  price: Float64Array;
  delta: Float64Array;
  vega: Float64Array;
  gamma: Float64Array;
  vomma: Float64Array;
  vanna: Float64Array;
}

/**
 * The book's value and Greeks at grid date t_n = n dt for a batch of states, from a solved run (OSM/RDBDP
 * networks) or a reference (ADI grid, semi-analytic for a European): what the hedging engine consumes.
 * `exercise[i] = 1` where the holder exercises at t_n (an exercise date with g > C); there `price` is g and the
 * Greeks are those of g.
 */
export interface HestonGreekSource {
  readonly steps: number;
  readonly horizon: number;
  at(n: number, S: Float64Array, nu: Float64Array): HestonGreekArrays & { exercise: Uint8Array };
}
