import { type HestonSurfaceInfo, surfaceArrayName } from '../../../src-shared/heston/contract';
import { GREEK_NAMES, type GreekName, type HestonGreekSource, type HestonMarket } from '../../../src-shared/heston/types';
import { simulateHestonPaths } from '../../engine/heston/paths';
import { seeded } from '../../engine/stochastic/rng';

/** States per axis of a surface (S and nu): 21 x 21 = 441 states a date. */
export const SURFACE_POINTS = 21;
/** Paths simulated to place the surfaces where the networks were trained (the 2%–98% range at each date). */
export const SURFACE_PATHS = 4096;

/**
 * Grid dates of the surfaces: round(k N / 5) for k = 1..4, distinct and within 1..N-1 (t = 0 is one state, the
 * results table; at t = T the value is the payoff). Empty when N < 2.
 */
export function surfaceDates(steps: number): number[] {
  if (steps < 2) return [];
  const ns = [1, 2, 3, 4].map((k) => Math.min(steps - 1, Math.max(1, Math.round((k * steps) / 5))));
  return [...new Set(ns)];
}

/** The q-quantile of a sample (sorted copy; linear interpolation between order statistics). */
function quantile(sorted: Float64Array, q: number): number {
  const x = q * (sorted.length - 1);
  const i = Math.floor(x);
  const j = Math.min(sorted.length - 1, i + 1);
  return sorted[i]! + (x - i) * (sorted[j]! - sorted[i]!);
}

const linspace = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));

/**
 * Where to draw each date's surface: simulate {@link SURFACE_PATHS} Euler–Higham–Mao paths from (S0, nu0) on the
 * solve's grid (seed `seed`) and span the 2%–98% quantiles of S and of nu at t_n with {@link SURFACE_POINTS}
 * points each (the networks are trained on that distribution; outside it they extrapolate).
 */
export function surfaceGrids(market: HestonMarket, horizon: number, steps: number, seed: number): HestonSurfaceInfo['dates'] {
  const dates = surfaceDates(steps);
  if (dates.length === 0) return [];
  const p = simulateHestonPaths({ market, horizon, steps, paths: SURFACE_PATHS, rng: seeded(seed) });
  const row = steps + 1;
  return dates.map((n) => {
    const S = new Float64Array(SURFACE_PATHS);
    const nu = new Float64Array(SURFACE_PATHS);
    for (let i = 0; i < SURFACE_PATHS; i++) {
      S[i] = p.S[i * row + n]!;
      nu[i] = p.nu[i * row + n]!;
    }
    S.sort();
    nu.sort();
    return { n, t: n * (horizon / steps), S: linspace(quantile(S, 0.02), quantile(S, 0.98), SURFACE_POINTS), nu: linspace(quantile(nu, 0.02), quantile(nu, 0.98), SURFACE_POINTS) };
  });
}

/**
 * Evaluate a Greek source on every date's grid: per Greek one array, dates x nS x nNu (row-major S then nu), named
 * `surface.<source>.<greek>` as the run stores it.
 */
export function evaluateSurfaces(source: HestonGreekSource, dates: HestonSurfaceInfo['dates'], name: 'network' | 'pde'): Record<string, Float64Array> {
  const total = dates.reduce((a, d) => a + d.S.length * d.nu.length, 0);
  const out = Object.fromEntries(GREEK_NAMES.map((g) => [g, new Float64Array(total)])) as Record<GreekName, Float64Array>;
  let offset = 0;
  for (const d of dates) {
    const m = d.S.length * d.nu.length;
    const S = new Float64Array(m);
    const nu = new Float64Array(m);
    for (let i = 0; i < d.S.length; i++) {
      for (let j = 0; j < d.nu.length; j++) {
        S[i * d.nu.length + j] = d.S[i]!;
        nu[i * d.nu.length + j] = d.nu[j]!;
      }
    }
    const g = source.at(d.n, S, nu);
    for (const k of GREEK_NAMES) out[k].set(g[k], offset);
    offset += m;
  }
  return Object.fromEntries(GREEK_NAMES.map((k) => [surfaceArrayName(name, k), out[k]]));
}
