import { performance } from 'node:perf_hooks';
import { type QlbsConfig } from '../../../src-shared/qlbs/config';
import { throwIfCancelled, type JobHooks } from '../cancel';
import { type Rng } from '../stochastic/rng';
import { evalBanded, type SplineBasis } from './bspline';
import { fitValue, hedgeMatrix, hedgeStep, mean, priceIncrements, rollBack, type StepSlice, variance } from './dp';
import { evalQuadratic, fitQuadraticQ, noisyActions } from './fqi';
import { type Market, stateDrift } from './paths';

/**
 * One backward pass t = N - 1 .. 0 over a time grid of the simulated market (every `stride`-th date, so
 * N = market.steps / stride and the grid step is stride * dt): the on-policy DP step (dp.ts) and, when asked,
 * the off-policy FQI step (fqi.ts) on the same basis slice, which is evaluated once per step.
 *
 * Terminal conditions (spec): Pi_N = payoff(S_T), Q_N = Q*_N = -Pi_N - lambda Var(Pi_N), a_N = 0.
 */

export interface PassOptions {
  /** Use market dates 0, stride, 2 stride, …; stride must divide market.steps. */
  stride: number;
  withFqi: boolean;
  /** Stream of the FQI action noise (used only with FQI and eta > 0). */
  noiseRng: Rng | null;
  hooks?: JobHooks;
  /** Called after each step t of the grid (N - 1 down to 0). */
  onStep?(t: number, info: { hedgeAtMedian: number; dpValue: number; fqiValue: number | null }): void;
  /** Keep Q_t per path (DP and FQI) at these grid steps. */
  keepQAt?: ReadonlySet<number>;
}

export interface PassResult {
  /** Grid steps N. */
  steps: number;
  /** Grid step length, years. */
  dt: number;
  /** DP hedge coefficients phi_t, N x M; value coefficients omega_t, N x M. */
  phi: Float64Array;
  omega: Float64Array;
  /** FQI hedge coefficients N x M and Q coefficients W_t, N x 3M (null without FQI). */
  phiF: Float64Array | null;
  wF: Float64Array | null;
  /** Pi_0 and Q_0 per path (DP); Pi_0 of the behaviour portfolio and Q*_0 (FQI). */
  pi0: Float64Array;
  q0: Float64Array;
  pi0F: Float64Array | null;
  q0F: Float64Array | null;
  /** -mean Q_t by grid step, length N + 1 (DP; FQI). */
  value: Float64Array;
  valueF: Float64Array | null;
  /** Hedges at t = 0 (the same on every path: X_0 is one point). */
  a0: number;
  a0F: number | null;
  svdFallbacks: number;
  dpMs: number;
  fqiMs: number;
  qAt: Map<number, { dp: Float64Array; fqi: Float64Array | null }>;
}

/** Option payoff at S_T (money). */
export const payoff = (option: 'put' | 'call', s: number, strike: number): number => (option === 'put' ? Math.max(strike - s, 0) : Math.max(s - strike, 0));

/** Run one backward pass (see module doc). Throws CancelledError between steps when the hooks ask. */
export function backwardPass(market: Market, basis: SplineBasis, c: QlbsConfig, o: PassOptions): PassResult {
  const { stride } = o;
  if (market.steps % stride !== 0) throw new Error(`stride ${stride} does not divide ${market.steps} steps`);
  const N = market.steps / stride;
  const n = market.paths;
  const M = basis.size;
  const k = basis.degree + 1;
  const dt = market.dt * stride;
  const gamma = Math.exp(-c.r * dt);
  const growth = Math.exp(c.r * dt);
  const driftCoef = c.driftTerm && c.lambda > 0 ? (Math.exp(c.mu * dt) - growth) / (2 * gamma * c.lambda) : 0;
  const fqi = o.withFqi;
  const at = (j: number): Float64Array => market.S.subarray(j * stride * n, (j * stride + 1) * n);

  const phi = new Float64Array(N * M);
  const omega = new Float64Array(N * M);
  const phiF = fqi ? new Float64Array(N * M) : null;
  const wF = fqi ? new Float64Array(N * 3 * M) : null;
  const value = new Float64Array(N + 1);
  const valueF = fqi ? new Float64Array(N + 1) : null;
  const qAt = new Map<number, { dp: Float64Array; fqi: Float64Array | null }>();

  const pi = new Float64Array(n);
  const q = new Float64Array(n);
  const a = new Float64Array(n);
  const reward = new Float64Array(n);
  const target = new Float64Array(n);
  const work = new Float64Array(n);
  const dS = new Float64Array(n);
  const dShat = new Float64Array(n);
  const xs = new Float64Array(n);
  const banded = { span: new Int32Array(n), vals: new Float64Array(n * k) };
  const piF = fqi ? new Float64Array(n) : null;
  const qF = fqi ? new Float64Array(n) : null;
  const aBeh = fqi ? new Float64Array(n) : null;
  const aF = fqi ? new Float64Array(n) : null;
  let svdFallbacks = 0;
  let dpMs = 0;
  let fqiMs = 0;

  const sT = at(N);
  for (let i = 0; i < n; i++) pi[i] = payoff(c.option, sT[i], c.strike);
  const varT = variance(pi);
  for (let i = 0; i < n; i++) q[i] = -pi[i] - c.lambda * varT;
  value[N] = -mean(q);
  if (piF && qF && valueF) {
    piF.set(pi);
    qF.set(q);
    valueF[N] = value[N];
  }
  if (o.keepQAt?.has(N)) qAt.set(N, { dp: q.slice(), fqi: qF ? qF.slice() : null });

  for (let t = N - 1; t >= 0; t--) {
    throwIfCancelled(o.hooks);
    const t0 = performance.now();
    const sNow = at(t);
    const drift = stateDrift(c.mu, c.sigma, t, dt);
    for (let i = 0; i < n; i++) xs[i] = Math.log(sNow[i]) - drift;
    evalBanded(basis, xs, banded);
    priceIncrements(sNow, at(t + 1), growth, dS, dShat);
    const slice: StepSlice = { n, m: M, k, span: banded.span, vals: banded.vals, dS, dShat, S: sNow };

    // On-policy DP: hedge, roll back, rewards, value regression.
    const A = hedgeMatrix(slice, c.reg);
    if (A.method === 'svd') svdFallbacks++;
    phi.set(hedgeStep(slice, A, pi, driftCoef, a, work), t * M);
    rollBack(pi, a, dS, gamma, c.lambda, reward);
    for (let i = 0; i < n; i++) target[i] = reward[i] + gamma * q[i];
    const fit = fitValue(slice, target, c.reg, q);
    if (fit.method === 'svd') svdFallbacks++;
    omega.set(fit.omega, t * M);
    value[t] = -mean(q);
    const t1 = performance.now();
    dpMs += t1 - t0;

    // Off-policy FQI on noisy behaviour actions a = xi a*_t.
    if (piF && qF && aBeh && aF && phiF && wF && valueF) {
      noisyActions(a, c.eta, o.noiseRng!, aBeh);
      // The hedge formula on the off-policy data uses Pihat_{t+1} of the noisy portfolio, so before the roll-back.
      phiF.set(hedgeStep(slice, A, piF, driftCoef, aF, work), t * M);
      rollBack(piF, aBeh, dS, gamma, c.lambda, reward);
      for (let i = 0; i < n; i++) target[i] = reward[i] + gamma * qF[i];
      const qf = fitQuadraticQ(slice, aBeh, target, c.reg);
      if (qf.method === 'svd') svdFallbacks++;
      wF.set(qf.W, t * 3 * M);
      evalQuadratic(slice, qf.W, aF, qF);
      valueF[t] = -mean(qF);
      fqiMs += performance.now() - t1;
    }
    if (o.keepQAt?.has(t)) qAt.set(t, { dp: q.slice(), fqi: qF ? qF.slice() : null });
    o.onStep?.(t, { hedgeAtMedian: medianHedge(a, sNow), dpValue: value[t], fqiValue: valueF ? valueF[t] : null });
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(pi[i]) || !Number.isFinite(q[i]) || (qF && !Number.isFinite(qF[i]))) {
      throw new Error('the regression produced non-finite values; increase the ridge regularisation reg');
    }
  }
  return {
    steps: N,
    dt,
    phi,
    omega,
    phiF,
    wF,
    pi0: pi,
    q0: q,
    pi0F: piF,
    q0F: qF,
    value,
    valueF,
    a0: a[0],
    a0F: aF ? aF[0] : null,
    svdFallbacks,
    dpMs,
    fqiMs,
    qAt,
  };
}

/** The hedge of the path whose spot is nearest the middle of a 64-path sample (cheap live indicator). */
function medianHedge(a: Float64Array, s: Float64Array): number {
  const n = s.length;
  const stride = Math.max(1, Math.floor(n / 64));
  const idx: number[] = [];
  for (let i = 0; i < n; i += stride) idx.push(i);
  idx.sort((x, y) => s[x] - s[y]);
  return a[idx[idx.length >> 1]];
}
