import { type HestonGreekArrays, type HestonGreekSource } from '../../../src-shared/heston/types';
import { type AdiResult, type AdiSurface } from './adi';
import { cubicWeights, interpolate } from './adiGrid';

/**
 * The PDE's Greeks as a `HestonGreekSource` for the hedging engine: at grid date t_n = n horizon / steps the
 * surface stored for t_n (solve with `surfaceTimes` = every grid date, see `adiSurfaceTimes`) is interpolated at
 * each state by tensor-product cubic Lagrange interpolation on the non-uniform grid (states outside the grid are
 * clamped to its edges).
 *
 * On an exercise date a state exercises when the payoff g(S) > 0 exceeds the interpolated continuation value C;
 * there `price` = g, `delta` = g'(S) (-1 / +1 in the money) and the other Greeks are 0. At maturity (t_n = T of
 * the claim) every state gets g and its a.e. Greeks, exercising where g > 0.
 */
export function adiGreekSource(result: AdiResult, steps: number, horizon: number): HestonGreekSource {
  const byStep: AdiSurface[] = [];
  for (let n = 0; n <= steps; n++) {
    const t = (n * horizon) / steps;
    const s = result.surfaces.find((x) => Math.abs(x.t - t) <= 1e-9 * Math.max(1, horizon));
    if (!s) {
      throw new RangeError(`ADI result has no surface at grid date t_${n} = ${t} yr: solve with surfaceTimes = adiSurfaceTimes(${steps}, ${horizon})`);
    }
    byStep.push(s);
  }
  const { S: gS, nu: gV } = result.grid;
  const nv = gV.length;
  const put = result.claim.kind === 'put';
  const K = result.claim.strike;
  const T = result.claim.maturity;
  return {
    steps,
    horizon,
    at(n: number, S: Float64Array, nu: Float64Array): HestonGreekArrays & { exercise: Uint8Array } {
      if (!(Number.isInteger(n) && n >= 0 && n <= steps)) throw new RangeError(`grid date index ${n} outside 0..${steps}`);
      if (S.length !== nu.length) throw new RangeError(`S and nu must have the same length (${S.length} vs ${nu.length})`);
      const surf = byStep[n];
      const len = S.length;
      const out = {
        price: new Float64Array(len),
        delta: new Float64Array(len),
        vega: new Float64Array(len),
        gamma: new Float64Array(len),
        vomma: new Float64Array(len),
        vanna: new Float64Array(len),
        exercise: new Uint8Array(len),
      };
      if (Math.abs((n * horizon) / steps - T) <= 1e-9 * Math.max(1, T)) {
        for (let i = 0; i < len; i++) {
          const g = put ? Math.max(K - S[i], 0) : Math.max(S[i] - K, 0);
          out.price[i] = g;
          out.delta[i] = g > 0 ? (put ? -1 : 1) : 0;
          out.exercise[i] = g > 0 ? 1 : 0;
        }
        return out;
      }
      const ws = new Float64Array(4);
      const wv = new Float64Array(4);
      for (let i = 0; i < len; i++) {
        const i0 = cubicWeights(gS, S[i], ws);
        const j0 = cubicWeights(gV, nu[i], wv);
        if (surf.exercise && surf.continuation) {
          const g = put ? Math.max(K - S[i], 0) : Math.max(S[i] - K, 0);
          const c = interpolate(surf.continuation, nv, i0, ws, j0, wv);
          if (g > 0 && g > c) {
            out.exercise[i] = 1;
            out.price[i] = g;
            out.delta[i] = put ? -1 : 1;
            continue;
          }
        }
        out.price[i] = interpolate(surf.price, nv, i0, ws, j0, wv);
        out.delta[i] = interpolate(surf.delta, nv, i0, ws, j0, wv);
        out.vega[i] = interpolate(surf.vega, nv, i0, ws, j0, wv);
        out.gamma[i] = interpolate(surf.gamma, nv, i0, ws, j0, wv);
        out.vomma[i] = interpolate(surf.vomma, nv, i0, ws, j0, wv);
        out.vanna[i] = interpolate(surf.vanna, nv, i0, ws, j0, wv);
      }
      return out;
    },
  };
}

/** Every grid date t_n = n horizon / steps, n = 0..steps (years): the surfaceTimes `adiGreekSource` needs. */
export function adiSurfaceTimes(steps: number, horizon: number): number[] {
  return Array.from({ length: steps + 1 }, (_, n) => (n * horizon) / steps);
}
