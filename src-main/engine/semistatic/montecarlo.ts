import { type ResolvedParams } from '../../../src-shared/semistatic/params';
import { CancelledError, type JobHooks } from '../cancel';
import { type Rng } from '../stochastic/rng';
import { recursionFactor } from './coefficients';
import { levinson } from './toeplitz';

/**
 * Monte Carlo check of the closed form (spec "Monte Carlo check"): simulate the price increments under the
 * investor's model, trade the optimal strategy (static quadratic claim bought at the market price, and
 * over step i the Merton fraction plus the delayed linear filter of X_1..X_{i-1-D}), and average the
 * utility.
 *
 * The filter sum g_i = sum_{j <= i-D-1} (t_{i-j+1} - a) X_j costs O(i) directly; because the kernel obeys
 * t's recursion, g satisfies g_i = rho (g_{i-1} + .. + g_{i-D} - S_{i-D-1}) with rho = a/(aD+1) and
 * S_m = X_1 + .. + X_m (g_i = 0 for i <= D + 1), so a path costs O(n). The tests hold this against the
 * direct sum ({@link filterDirect}).
 *
 * Output is normalised by the closed form: R = exp(H - gamma V), whose expectation is exactly 1, so the
 * estimate stays finite when -exp(-H) underflows; the expected utility is -exp(-H) mean(R).
 */

/**
 * The filter g_i (money per share, before the 1/(gamma sigma^2) scaling) for one path of increments X by the
 * O(n) recursion. Writes g (length n, g[i] for 0-based step i) and returns it.
 * @param X increments, length n (money per share); S prefix sums, length n + 1, S[0] = 0.
 */
export function filterRecursive(X: Float64Array, S: Float64Array, D: number, a: number, g: Float64Array): Float64Array {
  const n = X.length;
  const rho = recursionFactor(a, D);
  let window = 0; // g[i-1] + .. + g[i-D]
  for (let i = 0; i < n; i++) {
    // 1-based step I = i + 1: g_I = rho (window - S_{I-D-1}) for I >= D + 2.
    const gi = i >= D + 1 ? rho * (window - S[i - D]) : 0;
    g[i] = gi;
    if (D > 0) {
      window += gi - (i - D >= 0 ? g[i - D] : 0);
      if ((i + 1) % D === 0) {
        let w = 0;
        for (let k = Math.max(0, i - D + 1); k <= i; k++) w += g[k];
        window = w;
      }
    }
  }
  return g;
}

/**
 * The same filter by the direct sum g_i = sum_{L >= D+1} u[L] X_{i-L} with u[L] = t[L] - a. O(n^2); for tests.
 */
export function filterDirect(X: Float64Array, u: Float64Array, D: number, g: Float64Array): Float64Array {
  const n = X.length;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let L = D + 1; L <= i; L++) s += u[L] * X[i - L];
    g[i] = s;
  }
  return g;
}

/**
 * Terminal wealth of one path (money): V = sum_i shares_i X_i + f(S_n) - price, with
 * shares_i = (mu + g_i)/(gamma sigma^2), f(S_n) = a (S_n - S0)^2/(2 gamma sigma^2), price = a n s2/(2 gamma).
 */
export function pathWealth(p: ResolvedParams, a: number, X: Float64Array, S: Float64Array, g: Float64Array): number {
  const n = X.length;
  const gs = p.riskAversion * p.sigma * p.sigma;
  let trade = 0;
  for (let i = 0; i < n; i++) trade += (p.mu + g[i]) * X[i];
  const sn = S[n]; // S_n - S0
  return trade / gs + (a * sn * sn) / (2 * gs) - (a * p.n * p.ratio2) / (2 * p.riskAversion);
}

export interface McResult {
  /** Terminal wealth per path, money. */
  wealth: Float64Array;
  ratioMean: number;
  ratioSe: number;
  nonFinite: number;
}

/**
 * Simulate `paths` paths. Calls hooks.onProgress(done, paths, { phase, paths, ratioMean, ratioSe }) per chunk
 * and throws CancelledError when hooks.shouldCancel() says so.
 * @param entropy the closed-form H (normalises R = exp(H - gamma V)).
 */
export function simulateSemistatic(
  p: ResolvedParams,
  a: number,
  entropy: number,
  paths: number,
  rng: Rng,
  hooks?: JobHooks,
): McResult {
  const { n, D, sigma, mu } = p;
  const X = new Float64Array(n);
  const S = new Float64Array(n + 1);
  const g = new Float64Array(n);
  const wealth = new Float64Array(paths);
  const chunk = Math.max(1, Math.min(20_000, Math.floor(2e6 / n)));
  let mean = 0;
  let m2 = 0;
  let count = 0;
  let nonFinite = 0;
  for (let start = 0; start < paths; start += chunk) {
    if (hooks?.shouldCancel?.()) throw new CancelledError();
    const end = Math.min(paths, start + chunk);
    for (let k = start; k < end; k++) {
      rng.fillNormal(X);
      S[0] = 0;
      for (let i = 0; i < n; i++) {
        X[i] = mu + sigma * X[i];
        S[i + 1] = S[i] + X[i];
      }
      filterRecursive(X, S, D, a, g);
      const v = pathWealth(p, a, X, S, g);
      wealth[k] = v;
      const r = Math.exp(entropy - p.riskAversion * v);
      if (!Number.isFinite(r)) {
        nonFinite++;
        continue;
      }
      count++;
      const d = r - mean;
      mean += d / count;
      m2 += d * (r - mean);
    }
    const se = count > 1 ? Math.sqrt(m2 / (count - 1) / count) : NaN;
    hooks?.onProgress?.(end, paths, { phase: 'simulate', paths: end, ratioMean: mean, ratioSe: se });
  }
  return { wealth, ratioMean: mean, ratioSe: count > 1 ? Math.sqrt(m2 / (count - 1) / count) : NaN, nonFinite };
}

/**
 * Exact standard deviation of R = exp(H - gamma V) when it is finite. In normalised units
 * V* = gamma V = m 1'Y + Y'(T - I)Y/2 - a n s2/2 with Y = X/sigma ~ N(m 1, I), T = Q^{-1}, m = mu/sigma, and
 * H = n m^2/2 - a n s2/2 + (1/2) log det T. Completing the square with P = 2T - I gives
 * `log E[R^2] = log det T - (1/2) log det P + (m^2/2)(1'P^{-1}1 + n)`, finite iff P is positive definite
 * (every eigenvalue of Q below 2). Var R = E[R^2] - 1. O(n^2) by Levinson.
 * @param logDetT log det Q^{-1}; m = mu / sigma.
 * @returns sd, or null with the reason.
 */
export function ratioSdExact(t: Float64Array, logDetT: number, m: number, shouldStop?: () => void): { sd: number | null; note: string } {
  const n = t.length;
  const pRow = new Float64Array(n);
  for (let k = 0; k < n; k++) pRow[k] = 2 * t[k];
  pRow[0] -= 1;
  const ones = new Float64Array(n).fill(1);
  const lev = levinson(pRow, m !== 0 ? ones : undefined, shouldStop);
  if (!lev.positiveDefinite) {
    return { sd: null, note: 'Var[u(V)] is infinite here (2Q⁻¹ − I is not positive definite: Q has an eigenvalue ≥ 2); the sample error bar is not reliable' };
  }
  let quad = 0;
  if (lev.x) for (let k = 0; k < n; k++) quad += lev.x[k];
  const logER2 = logDetT - 0.5 * lev.logDet + 0.5 * m * m * (quad + n);
  const v = Math.expm1(logER2);
  return v >= 0 ? { sd: Math.sqrt(v), note: '' } : { sd: 0, note: '' };
}
