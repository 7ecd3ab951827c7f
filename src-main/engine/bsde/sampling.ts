import { type Rng } from '../stochastic/rng';
import { type CompiledMarket, addDiffusion } from './market';
import { type Grid } from './grid';

/**
 * Training samples (X_n, dB_n, X_{n+1}) drawn exactly (spec "Market": the log-price step is exact in
 * distribution): X_n = x0 + b t_n + sqrt(t_n) Sig xi, dB_n ~ N(0, dt I), X_{n+1} = X_n + b dt + Sig dB_n.
 * No paths are stored: every time step draws its own fresh pairs.
 *
 * Networks see standardised inputs xhat = (X - x0 - b t_n) / (sigma sqrt(t_n)) (componentwise, the exact
 * mean and standard deviation of X_n), so every time step's network works on O(1) inputs and transfer
 * learning from step n+1 starts from a function of the same scale.
 */
export interface PairBlock {
  rows: number;
  /** X_n (rows x d). */
  xn: Float64Array;
  /** X_{n+1} (rows x d). */
  xn1: Float64Array;
  /** dB_n (rows x d). */
  dB: Float64Array;
  /** Standardised X_n (null at n = 0, where X_0 is fixed). */
  xhatN: Float32Array | null;
  /** Standardised X_{n+1} (null at n + 1 = N: no network there). */
  xhatN1: Float32Array | null;
}

/** Mean x0 + b t_n and 1 / (sigma sqrt(t_n)) of X_n (t_n > 0). */
export function inputNorm(m: CompiledMarket, g: Grid, n: number): { mean: Float64Array; invStd: Float64Array } {
  const t = n * g.dt;
  const mean = new Float64Array(m.d);
  const invStd = new Float64Array(m.d);
  for (let a = 0; a < m.d; a++) {
    mean[a] = m.x0[a] + m.b[a] * t;
    invStd[a] = t > 0 ? 1 / (m.sigma[a] * Math.sqrt(t)) : 0;
  }
  return { mean, invStd };
}

export function standardise(m: CompiledMarket, g: Grid, n: number, x: Float64Array, rows: number): Float32Array {
  const { mean, invStd } = inputNorm(m, g, n);
  const d = m.d;
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) for (let a = 0; a < d; a++) out[r * d + a] = (x[r * d + a] - mean[a]) * invStd[a];
  return out;
}

/** Draw `rows` fresh pairs at step n (0 <= n < N). */
export function samplePairs(m: CompiledMarket, g: Grid, n: number, rows: number, rng: Rng): PairBlock {
  const d = m.d;
  const tn = n * g.dt;
  const xn = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) for (let a = 0; a < d; a++) xn[r * d + a] = m.x0[a] + m.b[a] * tn;
  if (n > 0) {
    const xi = new Float64Array(rows * d);
    rng.fillNormal(xi);
    addDiffusion(m, xi, Math.sqrt(tn), xn, rows);
  }
  const dB = new Float64Array(rows * d);
  rng.fillNormal(dB);
  const sq = Math.sqrt(g.dt);
  for (let i = 0; i < dB.length; i++) dB[i] *= sq;
  const xn1 = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) for (let a = 0; a < d; a++) xn1[r * d + a] = xn[r * d + a] + m.b[a] * g.dt;
  addDiffusion(m, dB, 1, xn1, rows);
  return {
    rows,
    xn,
    xn1,
    dB,
    xhatN: n > 0 ? standardise(m, g, n, xn, rows) : null,
    xhatN1: n + 1 < g.steps ? standardise(m, g, n + 1, xn1, rows) : null,
  };
}

/** v = c1 theta + c2 dB per row (rows x d), float32: e.g. w = dB + theta dt. */
export function affineDB(m: CompiledMarket, p: PairBlock, thetaCoef: number, dbCoef: number): Float32Array {
  const d = m.d;
  const out = new Float32Array(p.rows * d);
  for (let r = 0; r < p.rows; r++) for (let a = 0; a < d; a++) out[r * d + a] = thetaCoef * m.theta[a] + dbCoef * p.dB[r * d + a];
  return out;
}
