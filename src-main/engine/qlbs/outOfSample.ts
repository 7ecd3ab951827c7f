import { type QlbsConfig } from '../../../src-shared/qlbs/config';
import { throwIfCancelled, type JobHooks } from '../cancel';
import { type Rng } from '../stochastic/rng';
import { evalBanded, type SplineBasis } from './bspline';
import { payoff } from './backward';
import { mean, variance } from './dp';
import { evalRows } from './linalg';
import { simulateMarket, stateDrift } from './paths';

/**
 * The learned on-policy hedge applied to fresh paths (out of sample):
 *
 *     Pi_T = payoff(S_T),   Pi_t = gamma (Pi_{t+1} - a_t(X_t) dS_t),   a_t(X) = Phi(X) . phi_t,
 *
 * with phi_t fixed (learned on other paths). Its mean Pi_0 is an unbiased estimate of what the learned hedge
 * costs; the in-sample mean is biased low because each a_t was fitted to the same dS_t it is then multiplied
 * by (a leverage effect of order basis size / paths). With mu = r the out-of-sample mean equals the
 * discounted expected payoff, i.e. the Black-Scholes price, whatever the hedge.
 *
 * @param phi hedge coefficients, steps x M (row t for the step from t dt to (t + 1) dt).
 * @returns mean and standard error of Pi_0 over `c.paths` fresh paths (money).
 */
export function outOfSampleCost(c: QlbsConfig, basis: SplineBasis, phi: Float64Array, rng: Rng, hooks?: JobHooks): { mean: number; stdErr: number } {
  const market = simulateMarket({ paths: c.paths, steps: c.steps, s0: c.s0, mu: c.mu, sigma: c.sigma, maturity: c.maturity }, rng, hooks);
  const n = c.paths;
  const N = c.steps;
  const M = basis.size;
  const k = basis.degree + 1;
  const { dt } = market;
  const gamma = Math.exp(-c.r * dt);
  const growth = Math.exp(c.r * dt);
  const pi = new Float64Array(n);
  const xs = new Float64Array(n);
  const a = new Float64Array(n);
  const banded = { span: new Int32Array(n), vals: new Float64Array(n * k) };
  const sT = market.S.subarray(N * n, (N + 1) * n);
  for (let i = 0; i < n; i++) pi[i] = payoff(c.option, sT[i], c.strike);
  for (let t = N - 1; t >= 0; t--) {
    throwIfCancelled(hooks);
    const sNow = market.S.subarray(t * n, (t + 1) * n);
    const sNext = market.S.subarray((t + 1) * n, (t + 2) * n);
    const drift = stateDrift(c.mu, c.sigma, t, dt);
    for (let i = 0; i < n; i++) xs[i] = Math.log(sNow[i]) - drift;
    evalBanded(basis, xs, banded);
    evalRows(a, banded.span, banded.vals, k, n, phi, t * M);
    for (let i = 0; i < n; i++) pi[i] = gamma * (pi[i] - a[i] * (sNext[i] - growth * sNow[i]));
  }
  return { mean: mean(pi), stdErr: Math.sqrt(variance(pi) / n) };
}
