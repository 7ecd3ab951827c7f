import { type HestonClaim, type HestonGreekSource, type HestonMarket } from '../../../src-shared/heston/types';
import { type InstrumentPricer } from './hedge';
import { hestonEuropeanBatch } from './semiAnalytic';
import { loadHestonSolution } from './solution';
import { hestonAdi } from './adi';
import { semiAnalyticGreekSource as semiAnalyticSource } from './semiAnalyticSource';
import { adiGreekSource, adiSurfaceTimes } from './adiSource';

/**
 * Greek sources and the instrument pricer of the Heston hedging engine (hedge.ts):
 * - the instruments: price and Greeks from the semi-analytic formula (spec: "not from another network");
 * - the book: the semi-analytic formula (European claims), the ADI PDE reference, or a solve's networks.
 */
export const hestonHedgePricer: InstrumentPricer = (market, option, tau, S, nu) => hestonEuropeanBatch(market, option, tau, S, nu);

/** The semi-analytic Greeks of a European claim on the solve's grid t_n = n T / N (semiAnalyticSource.ts). */
export function semiAnalyticGreekSource(market: HestonMarket, claim: HestonClaim, steps: number): HestonGreekSource {
  return semiAnalyticSource(market, claim, steps, claim.maturity);
}

/**
 * The Greeks of a stored OSM/RDBDP solve (solution.ts: the networks of every grid date, converted to the five
 * Greeks, with the exercise flags where g > C at an exercise date).
 * @param meta the run's `metrics.solution` (serialize().meta); arrays: the run arrays it names (float32 weights).
 */
export function networkGreekSource(meta: unknown, arrays: Record<string, Float32Array | Float64Array | Int32Array>): HestonGreekSource {
  const f32: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(arrays)) {
    if (!(v instanceof Float32Array)) throw new Error(`stored Heston run: array '${k}' is ${v.constructor.name}, not Float32Array`);
    f32[k] = v;
  }
  return loadHestonSolution(meta, f32).source;
}

/**
 * The ADI PDE reference's Greeks (adi.ts, Hundsdorfer–Verwer on the default non-uniform grid) on the grid
 * t_n = n T / N: the PDE is solved once with a surface kept at every grid date, then interpolated at the states
 * (adiSource.ts); exercise where g > C at the claim's exercise dates.
 * @param onProgress (done, total) of the PDE's time steps; return true to cancel.
 */
export function pdeGreekSource(market: HestonMarket, claim: HestonClaim, steps: number, onProgress?: (done: number, total: number) => boolean | void): HestonGreekSource {
  const result = hestonAdi({ market, claim, surfaceTimes: adiSurfaceTimes(steps, claim.maturity), onProgress });
  return adiGreekSource(result, steps, claim.maturity);
}
