import { type HestonMarket } from '../../../src-shared/heston/types';
import { type Rng } from '../stochastic/rng';

/** Floor of the variance state after the absolute-value fix (spec: 1e-16). */
export const NU_FLOOR = 1e-16;

/**
 * Heston paths by Euler–Maruyama with the Higham–Mao fix (spec heston-osm.md "Market"), in price coordinates:
 *
 *     S_{n+1}  = | S_n  + mu S_n dt             + sqrt(|nu_n|) S_n dW1_n |
 *     nu_{n+1} = max(| nu_n + kappa (nubar - nu_n) dt + xi sqrt(|nu_n|) dW2_n |, 1e-16)
 *
 * with mu = r - q, dW = L dB, L = [[1, 0], [rho, sqrt(1 - rho^2)]], dB ~ N(0, dt I_2). The drift uses nu as it is,
 * the diffusion sqrt(|nu|), and the new state is taken in absolute value (S is floored at 1e-16 too).
 *
 * Normals are consumed PATH-MAJOR, and within a path step-major with (dB1, dB2) adjacent, so splitting paths
 * into chunks does not change them. The Brownian increments are returned (the OSM targets need dB_n).
 */
export interface HestonPaths {
  paths: number;
  steps: number;
  dt: number;
  /** Row-major paths x (steps + 1). */
  S: Float64Array;
  nu: Float64Array;
  /** Row-major paths x steps x 2: (dB1_n, dB2_n) of the independent Brownian motion B (already times sqrt(dt)). */
  dB: Float64Array;
}

export interface HestonPathArgs {
  market: HestonMarket;
  /** Horizon T in years. */
  horizon: number;
  steps: number;
  paths: number;
  rng: Rng;
  /** Start state; default (market.s0, market.nu0). Arrays of length `paths` give a per-path start (e.g. sampled X_0). */
  s0?: number | Float64Array;
  nu0?: number | Float64Array;
}

export function simulateHestonPaths(args: HestonPathArgs): HestonPaths {
  const { market: m, horizon, steps, paths, rng } = args;
  if (!(horizon > 0) || !(steps >= 1) || !(paths >= 1)) throw new RangeError('horizon > 0, steps >= 1, paths >= 1 needed');
  const dt = horizon / steps;
  const sq = Math.sqrt(dt);
  const mu = m.r - m.q;
  const rhoBar = Math.sqrt(Math.max(0, 1 - m.rho * m.rho));
  const row = steps + 1;
  const S = new Float64Array(paths * row);
  const nu = new Float64Array(paths * row);
  const dB = new Float64Array(paths * steps * 2);
  rng.fillNormal(dB);
  for (let i = 0; i < dB.length; i++) dB[i] *= sq;
  const s0 = args.s0 ?? m.s0;
  const v0 = args.nu0 ?? m.nu0;
  for (let p = 0; p < paths; p++) {
    let s = typeof s0 === 'number' ? s0 : s0[p];
    let v = typeof v0 === 'number' ? v0 : v0[p];
    S[p * row] = s;
    nu[p * row] = v;
    for (let n = 0; n < steps; n++) {
      const b1 = dB[(p * steps + n) * 2];
      const b2 = dB[(p * steps + n) * 2 + 1];
      const w1 = b1;
      const w2 = m.rho * b1 + rhoBar * b2;
      const sv = Math.sqrt(Math.abs(v));
      const sNext = Math.max(Math.abs(s + mu * s * dt + sv * s * w1), NU_FLOOR);
      const vNext = Math.max(Math.abs(v + m.kappa * (m.nubar - v) * dt + m.xi * sv * w2), NU_FLOOR);
      s = sNext;
      v = vNext;
      S[p * row + n + 1] = s;
      nu[p * row + n + 1] = v;
    }
  }
  return { paths, steps, dt, S, nu, dB };
}

/**
 * sigma(x) = diag(S sqrt(nu), xi sqrt(nu)) L in price coordinates (spec), row-major 2 x 2, with sqrt(|nu|):
 * [[S sqrt(nu), 0], [xi sqrt(nu) rho, xi sqrt(nu) sqrt(1 - rho^2)]].
 */
export function hestonSigma(m: HestonMarket, s: number, v: number, out = new Float64Array(4)): Float64Array {
  const sv = Math.sqrt(Math.abs(v));
  out[0] = s * sv;
  out[1] = 0;
  out[2] = m.xi * sv * m.rho;
  out[3] = m.xi * sv * Math.sqrt(Math.max(0, 1 - m.rho * m.rho));
  return out;
}
