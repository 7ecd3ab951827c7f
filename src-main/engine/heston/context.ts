import { type HestonSolveConfig } from '../../../src-shared/heston/config';
import { type HestonClaim, type HestonMarket } from '../../../src-shared/heston/types';
import { type Rng } from '../stochastic/rng';
import { malliavinStep, sigmaBatch } from './malliavin';
import { simulateHestonPaths } from './paths';

/**
 * What every stage of a Heston solve shares (spec heston-osm.md): the grid t_n = n dt on [0, T] with its
 * exercise flags, the input standardisation of each step's networks, the output scales, the payoff and the
 * training samples (X_n, dB_n, X_{n+1}) drawn fresh on the spec's Euler–Higham–Mao scheme from X_0.
 */
export interface HestonGrid {
  steps: number;
  horizon: number;
  dt: number;
  /** exercise[n] = 1 where t_n is an exercise date (n = k N / R, k = 1..R; always n = N). Length N + 1. */
  exercise: Uint8Array;
}

export function buildHestonGrid(claim: HestonClaim, steps: number): HestonGrid {
  const exercise = new Uint8Array(steps + 1);
  const every = steps / claim.exerciseDates;
  if (!Number.isInteger(every)) throw new RangeError(`steps (${steps}) must be a multiple of claim.exerciseDates (${claim.exerciseDates})`);
  for (let k = 1; k <= claim.exerciseDates; k++) exercise[k * every] = 1;
  return { steps, horizon: claim.maturity, dt: claim.maturity / steps, exercise };
}

/**
 * Networks of step n see xhat = ((S - meanS_n) invStdS_n, (nu - meanNu_n) invStdNu_n): the mean and standard
 * deviation of X_n from a pilot simulation, so every step works on O(1) inputs (index 0 unused: X_0 is fixed).
 */
export interface InputNorm {
  meanS: Float64Array;
  invStdS: Float64Array;
  meanNu: Float64Array;
  invStdNu: Float64Array;
}

export function pilotNorm(m: HestonMarket, g: HestonGrid, rng: Rng, paths = 8192): InputNorm {
  const p = simulateHestonPaths({ market: m, horizon: g.horizon, steps: g.steps, paths, rng });
  const row = g.steps + 1;
  const out: InputNorm = { meanS: new Float64Array(row), invStdS: new Float64Array(row), meanNu: new Float64Array(row), invStdNu: new Float64Array(row) };
  for (let n = 0; n < row; n++) {
    let s1 = 0, s2 = 0, v1 = 0, v2 = 0;
    for (let i = 0; i < paths; i++) {
      const s = p.S[i * row + n];
      const v = p.nu[i * row + n];
      s1 += s;
      s2 += s * s;
      v1 += v;
      v2 += v * v;
    }
    out.meanS[n] = s1 / paths;
    out.meanNu[n] = v1 / paths;
    const sdS = Math.sqrt(Math.max(s2 / paths - out.meanS[n] ** 2, 0));
    const sdNu = Math.sqrt(Math.max(v2 / paths - out.meanNu[n] ** 2, 0));
    out.invStdS[n] = sdS > 1e-12 * m.s0 ? 1 / sdS : 0;
    out.invStdNu[n] = sdNu > 1e-12 * m.nu0 ? 1 / sdNu : 0;
  }
  return out;
}

/** Standardised inputs at step n (rows x 2, float32 for the networks). */
export function standardise(norm: InputNorm, n: number, S: ArrayLike<number>, nu: ArrayLike<number>): Float32Array {
  const out = new Float32Array(S.length * 2);
  for (let r = 0; r < S.length; r++) {
    out[2 * r] = (S[r] - norm.meanS[n]) * norm.invStdS[n];
    out[2 * r + 1] = (nu[r] - norm.meanNu[n]) * norm.invStdNu[n];
  }
  return out;
}

/** Output scales: C = shiftC + sC raw, Z_l = shiftZ_l + sZ raw_l, M_jm = sM raw_jm (OSM's Malliavin derivative of Z). */
export interface HestonScales {
  shiftC: number;
  sC: number;
  shiftZ: [number, number];
  sZ: number;
  sM: number;
}

export interface HestonContext {
  cfg: HestonSolveConfig;
  market: HestonMarket;
  claim: HestonClaim;
  grid: HestonGrid;
  norm: InputNorm;
  scales: HestonScales;
  rng: Rng;
  /** Simulated paths the training pools draw from (null: every pool simulates its own). */
  bank: PathBank | null;
}

/**
 * A bank of Euler–Higham–Mao paths from X_0 (float32, row-major): pools at step n >= 1 draw their samples
 * (X_n, dB_n, X_{n+1}) from it at random rows, so a pool costs O(rows) instead of O(rows n) to simulate. With
 * the default 16 pools' worth of paths each path is reused a few times per step; the t = 0 regression
 * (one Euler step) always simulates fresh samples.
 */
export interface PathBank {
  paths: number;
  /** paths x (N + 1). */
  S: Float32Array;
  nu: Float32Array;
  /** paths x N x 2. */
  dB: Float32Array;
}

export function buildBank(m: HestonMarket, g: HestonGrid, rng: Rng, paths: number): PathBank {
  const row = g.steps + 1;
  const bank: PathBank = { paths, S: new Float32Array(paths * row), nu: new Float32Array(paths * row), dB: new Float32Array(paths * g.steps * 2) };
  for (let p0 = 0; p0 < paths; p0 += 8192) {
    const k = Math.min(8192, paths - p0);
    const p = simulateHestonPaths({ market: m, horizon: g.horizon, steps: g.steps, paths: k, rng });
    bank.S.set(p.S, p0 * row);
    bank.nu.set(p.nu, p0 * row);
    bank.dB.set(p.dB, p0 * g.steps * 2);
  }
  return bank;
}

/** Payoff g and dg/dS (dg/dnu = 0) of the claim at spots S (kink: the one-sided derivative of the exercised side). */
export function payoff(claim: Pick<HestonClaim, 'kind' | 'strike'>, S: ArrayLike<number>, g = new Float64Array(S.length), gS = new Float64Array(S.length)): { g: Float64Array; gS: Float64Array } {
  const K = claim.strike;
  const put = claim.kind === 'put';
  for (let r = 0; r < S.length; r++) {
    const v = put ? K - S[r] : S[r] - K;
    g[r] = v > 0 ? v : 0;
    gS[r] = v > 0 ? (put ? -1 : 1) : 0;
  }
  return { g, gS };
}

/** A block of training samples at step n. */
export interface PairBlock {
  rows: number;
  Sn: Float64Array;
  nun: Float64Array;
  Sn1: Float64Array;
  nun1: Float64Array;
  /** rows x 2. */
  dB: Float64Array;
  /** D_n X_{n+1}, rows x 4 (malliavin.ts). */
  DX: Float64Array;
}

/**
 * Draw `rows` samples (X_n, dB_n, X_{n+1}): from the bank at random rows when there is one and n >= 1, else
 * fresh by simulating n + 1 Euler–Higham–Mao steps from X_0.
 */
export function samplePairs(c: Pick<HestonContext, 'market' | 'grid' | 'rng'> & { bank?: PathBank | null }, n: number, rows: number): PairBlock {
  const dt = c.grid.dt;
  if (c.bank && n >= 1) return fromBank(c.market, c.bank, c.grid, c.rng, n, rows);
  const p = simulateHestonPaths({ market: c.market, horizon: (n + 1) * dt, steps: n + 1, paths: rows, rng: c.rng });
  const row = n + 2;
  const Sn = new Float64Array(rows);
  const nun = new Float64Array(rows);
  const Sn1 = new Float64Array(rows);
  const nun1 = new Float64Array(rows);
  const dB = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    Sn[r] = p.S[r * row + n];
    nun[r] = p.nu[r * row + n];
    Sn1[r] = p.S[r * row + n + 1];
    nun1[r] = p.nu[r * row + n + 1];
    dB[2 * r] = p.dB[(r * (n + 1) + n) * 2];
    dB[2 * r + 1] = p.dB[(r * (n + 1) + n) * 2 + 1];
  }
  return { rows, Sn, nun, Sn1, nun1, dB, DX: malliavinStep(c.market, Sn, nun, dB, dt) };
}

function fromBank(m: HestonMarket, b: PathBank, g: HestonGrid, rng: Rng, n: number, rows: number): PairBlock {
  const row = g.steps + 1;
  const Sn = new Float64Array(rows);
  const nun = new Float64Array(rows);
  const Sn1 = new Float64Array(rows);
  const nun1 = new Float64Array(rows);
  const dB = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const i = Math.min(b.paths - 1, Math.floor(rng.uniform() * b.paths));
    Sn[r] = b.S[i * row + n];
    nun[r] = b.nu[i * row + n];
    Sn1[r] = b.S[i * row + n + 1];
    nun1[r] = b.nu[i * row + n + 1];
    dB[2 * r] = b.dB[(i * g.steps + n) * 2];
    dB[2 * r + 1] = b.dB[(i * g.steps + n) * 2 + 1];
  }
  return { rows, Sn, nun, Sn1, nun1, dB, DX: malliavinStep(m, Sn, nun, dB, g.dt) };
}

/** Row vector times D_n X_{n+1}: (v DX)_j = sum_i v_i DX_ij, per row. */
export function rowTimesDX(v0: number, v1: number, DX: Float64Array, r: number): [number, number] {
  return [v0 * DX[4 * r] + v1 * DX[4 * r + 2], v0 * DX[4 * r + 1] + v1 * DX[4 * r + 3]];
}

/** grad g sigma(X) per row: Z of the payoff (rows x 2). */
export function payoffZ(m: HestonMarket, gS: Float64Array, S: Float64Array, nu: Float64Array): Float64Array {
  const sig = sigmaBatch(m, S, nu);
  const z = new Float64Array(S.length * 2);
  for (let r = 0; r < S.length; r++) {
    z[2 * r] = gS[r] * sig[4 * r];
    z[2 * r + 1] = gS[r] * sig[4 * r + 1];
  }
  return z;
}
