import { addGram, addRhs, addRidge, evalRows, factorSpd, type SpdSolver, symmetrize } from './linalg';

/**
 * One backward step of the on-policy dynamic programme (spec "On-policy dynamic programming"), on the
 * time-t slice of every path. Vectors have one entry per path; the basis at t is banded (bspline.ts).
 *
 *     A_t = sum_k Phi_t^k (Phi_t^k)^T (dShat_t^k)^2 + reg I
 *     B_t = sum_k Phi_t^k [Pihat_{t+1}^k dShat_t^k + c_drift S_t^k],  c_drift = (e^{mu dt} - e^{r dt}) / (2 gamma lambda)
 *           (c_drift = 0 unless the "include drift term" option is on)
 *     phi_t = A_t^{-1} B_t,  a_t^k = Phi_t^k . phi_t
 *     Pi_t = gamma (Pi_{t+1} - a_t dS_t),  R_t = gamma a_t dS_t - lambda Var(Pi_t)
 *     C_t = sum_k Phi Phi^T + reg I,  D_t = sum_k Phi (R_t + gamma Q_{t+1}),  omega_t = C_t^{-1} D_t,  Q_t = Phi . omega_t
 */

/** The time-t slice: basis rows, price increments and the prices themselves. */
export interface StepSlice {
  /** Paths. */
  n: number;
  /** Basis size M. */
  m: number;
  /** Non-zeros per basis row (degree + 1). */
  k: number;
  span: Int32Array;
  vals: Float64Array;
  /** dS_t = S_{t+1} - e^{r dt} S_t (money). */
  dS: Float64Array;
  /** dS_t minus its mean over the paths. */
  dShat: Float64Array;
  /** S_t (money). */
  S: Float64Array;
}

/** Mean over the paths. */
export function mean(x: Float64Array, n = x.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s / n;
}

/** Population variance over the paths (numpy's var, ddof = 0), two-pass. */
export function variance(x: Float64Array, n = x.length): number {
  const mu = mean(x, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - mu) ** 2;
  return s / n;
}

/**
 * Fill dS_t = S_{t+1} - e^{r dt} S_t and its centred copy.
 * @returns mean of dS_t over the paths.
 */
export function priceIncrements(sNow: Float64Array, sNext: Float64Array, growth: number, dS: Float64Array, dShat: Float64Array): number {
  const n = sNow.length;
  for (let i = 0; i < n; i++) dS[i] = sNext[i] - growth * sNow[i];
  const mu = mean(dS, n);
  for (let i = 0; i < n; i++) dShat[i] = dS[i] - mu;
  return mu;
}

/** Factorised A_t = sum Phi Phi^T dShat^2 + reg I (the same for DP and for the hedge formula of FQI). */
export function hedgeMatrix(s: StepSlice, reg: number): SpdSolver {
  const A = new Float64Array(s.m * s.m);
  addGram(A, s.m, s.span, s.vals, s.k, s.n, s.dShat, 2);
  symmetrize(A, s.m);
  addRidge(A, s.m, reg);
  return factorSpd(A, s.m);
}

/**
 * The hedge coefficients phi_t = A_t^{-1} B_t for the portfolio values Pi_{t+1} (centred here), and the
 * hedge a_t^k = Phi_t^k . phi_t written to `aOut`.
 * @param piNext Pi_{t+1} per path (money). @param work scratch vector (length n).
 * @param driftCoef c_drift (0 for the pure risk-minimising hedge).
 */
export function hedgeStep(s: StepSlice, solver: SpdSolver, piNext: Float64Array, driftCoef: number, aOut: Float64Array, work: Float64Array): Float64Array {
  const n = s.n;
  const piMean = mean(piNext, n);
  for (let i = 0; i < n; i++) work[i] = (piNext[i] - piMean) * s.dShat[i] + driftCoef * s.S[i];
  const B = new Float64Array(s.m);
  addRhs(B, s.span, s.vals, s.k, n, work, null);
  const phi = solver.solve(B);
  evalRows(aOut, s.span, s.vals, s.k, n, phi);
  return phi;
}

/**
 * Roll the portfolio back one step in place, Pi_t = gamma (Pi_{t+1} - a_t dS_t), and fill the rewards
 * R_t = gamma a_t dS_t - lambda Var(Pi_t).
 * @returns Var(Pi_t) over the paths (money^2).
 */
export function rollBack(pi: Float64Array, a: Float64Array, dS: Float64Array, gamma: number, lambda: number, rewardOut: Float64Array): number {
  const n = pi.length;
  for (let i = 0; i < n; i++) pi[i] = gamma * (pi[i] - a[i] * dS[i]);
  const v = variance(pi, n);
  for (let i = 0; i < n; i++) rewardOut[i] = gamma * a[i] * dS[i] - lambda * v;
  return v;
}

/**
 * The on-policy value regression: omega_t = (sum Phi Phi^T + reg I)^{-1} sum Phi y, fitted values Phi . omega_t
 * written to `fitOut` (may alias nothing in `y`).
 * @param y regression targets R_t + gamma Q_{t+1} per path.
 */
export function fitValue(s: StepSlice, y: Float64Array, reg: number, fitOut: Float64Array): { omega: Float64Array; method: 'cholesky' | 'svd' } {
  const C = new Float64Array(s.m * s.m);
  addGram(C, s.m, s.span, s.vals, s.k, s.n, null);
  symmetrize(C, s.m);
  addRidge(C, s.m, reg);
  const D = new Float64Array(s.m);
  addRhs(D, s.span, s.vals, s.k, s.n, y, null);
  const f = factorSpd(C, s.m);
  const omega = f.solve(D);
  evalRows(fitOut, s.span, s.vals, s.k, s.n, omega);
  return { omega, method: f.method };
}
