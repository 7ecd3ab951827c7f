import { type Rng } from './rng';

/**
 * Geometric Brownian motion paths on an equally spaced grid (deep-hedging spec, "Market"):
 *
 *     P_{i+1} = P_i * exp(sigma * sqrt(dt) * Z_i + (mu - sigma^2/2) * dt),   Z_i ~ N(0, 1) i.i.d.
 *
 * Normals are consumed in PATH-MAJOR order: path p of a chunk uses the next `steps` normals of the stream
 * (Z_{p,0}, ..., Z_{p,steps-1}) before path p + 1 starts. Simulating 100 paths as one chunk or as chunks
 * of 7, 50, 43 paths from the same generator therefore gives the same paths, so results never depend on
 * a chunk size chosen for memory reasons.
 */
export interface GbmChunkArgs {
  /** Generator; `paths * steps` normals are drawn from it. */
  rng: Rng;
  /** Number of paths in this chunk. */
  paths: number;
  /** Number of time steps n; each path has n + 1 prices P_0 .. P_n. */
  steps: number;
  /** Step length in years (spec: 1/365). */
  dt: number;
  /** Annualised volatility sigma (0.1 = 10%/yr). */
  vol: number;
  /** Annualised drift mu of P (spec: 0). */
  drift: number;
  /** Initial price P_0; default 1. */
  spot0?: number;
  /** Output, row-major `paths x (steps + 1)`: out[p*(steps+1) + i] = P_i of path p. Length >= paths*(steps+1). */
  out: Float64Array;
  /** Scratch for the normals, length >= paths * steps; allocated when omitted. */
  normals?: Float64Array;
}

/**
 * Simulate one chunk of GBM paths into `args.out` (row-major `paths x (steps + 1)`), see the module doc.
 * The log-price is accumulated and exponentiated, log P_{i+1} = log P_i + sigma sqrt(dt) Z_i + (mu - sigma^2/2) dt,
 * which equals the multiplicative recursion up to rounding.
 */
export function fillGbmChunk(args: GbmChunkArgs): void {
  const { rng, paths, steps, dt, vol, drift, out } = args;
  const spot0 = args.spot0 ?? 1;
  const count = paths * steps;
  const z = args.normals && args.normals.length >= count ? args.normals.subarray(0, count) : new Float64Array(count);
  if (out.length < paths * (steps + 1)) throw new RangeError(`out has ${out.length} slots, needs ${paths * (steps + 1)}`);
  rng.fillNormal(z);
  const volSqrtDt = vol * Math.sqrt(dt);
  const driftDt = (drift - 0.5 * vol * vol) * dt;
  const logSpot0 = Math.log(spot0);
  const row = steps + 1;
  for (let p = 0; p < paths; p++) {
    const base = p * row;
    const zBase = p * steps;
    out[base] = spot0;
    let logP = logSpot0;
    for (let i = 0; i < steps; i++) {
      logP += volSqrtDt * z[zBase + i] + driftDt;
      out[base + i + 1] = Math.exp(logP);
    }
  }
}

/**
 * Convenience: simulate `paths` GBM paths in one piece (tests and small uses; memory paths*(steps+1)*8 bytes).
 * @returns Float64Array, row-major `paths x (steps + 1)`, P_0 = `spot0` (default 1).
 */
export function simulateGbm(args: Omit<GbmChunkArgs, 'out' | 'normals'>): Float64Array {
  const out = new Float64Array(args.paths * (args.steps + 1));
  fillGbmChunk({ ...args, out });
  return out;
}
