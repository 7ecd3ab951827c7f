import { solveA, toeplitzRow } from './coefficients';

/**
 * The continuous-time limit of delayed semistatic hedging when the delay is a fixed fraction H of the
 * horizon and n -> infinity, with mu = 0 (spec "Continuous-time limit"; source Theorem 4.1, eqs.
 * (4.3)-(4.6)). Time is measured as a fraction of the horizon, t in [0, 1].
 */

export interface ContinuousLimit {
  /** Delay as a fraction of the horizon, 0 < H < 1. */
  H: number;
  s2: number;
  /** lim n a = (H - 2 s2 + sqrt(H^2 + 4 s2 (1 - H))) / (2 s2 H). */
  ahat: number;
  /** alpha = ahat / (1 + ahat H). */
  alpha: number;
  /** kappa_0 = alpha / (1 - alpha H) (= ahat). */
  kappa0: number;
  /** U = (1/2) log(1 - alpha H) + (1/2) alpha (H - 1 + s2 / (1 - alpha H)), the limit of log(-value). */
  U: number;
  /** -U: the limit of the entropy H_n. */
  entropy: number;
}

/**
 * Limit constants. `ahat` is computed as 2 (1 - s2) / (H (sq + 2 s2 - H)) when 2 s2 >= H (same number,
 * no cancellation near s2 = 1), and from the spec's form otherwise; U uses 1 - alpha H = 1 / (1 + ahat H).
 * @param H delay fraction in (0, 1); s2 variance ratio > 0.
 */
export function continuousLimit(H: number, s2: number): ContinuousLimit {
  const sq = Math.sqrt(H * H + 4 * s2 * (1 - H));
  const ahat = 2 * s2 - H >= 0 ? (2 * (1 - s2)) / (H * (sq + 2 * s2 - H)) : (H - 2 * s2 + sq) / (2 * s2 * H);
  const alpha = ahat / (1 + ahat * H);
  const log1mAlphaH = -Math.log1p(ahat * H);
  const U = 0.5 * log1mAlphaH + 0.5 * alpha * (H - 1) + 0.5 * ahat * s2; // s2 / (1 - alpha H) * alpha = s2 ahat
  return { H, s2, ahat, alpha, kappa0: alpha / (1 - alpha * H), U, entropy: -U };
}

/** Limit entropy -U at (H, s2) (see {@link continuousLimit}). */
export const limitEntropy = (H: number, s2: number): number => continuousLimit(H, s2).entropy;

/**
 * R_m(y) = sum_{i > m} y^i / i! (the tail of the exponential series), summed directly so it keeps full
 * relative accuracy for the small alternating tails (|y| < 1 when alpha > 0) and the large positive ones.
 */
export function expTail(y: number, m: number): number {
  let term = 1;
  for (let i = 1; i <= m; i++) term *= y / i;
  let sum = 0;
  for (let i = m + 1; i < m + 2000; i++) {
    term *= y / i;
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum) && i > Math.abs(y)) break;
  }
  return sum;
}

/**
 * The coefficients c_1..c_K of the kernel (spec; source eq. (4.4)): c_1 = -alpha and
 * `c_{k+1} = -alpha - sum_{j<=k} c_j + sum_{j<=k} c_j e^{alpha H} sum_{i=0}^{k-j} (-alpha H)^i / i!`,
 * evaluated as `c_{k+1} = -alpha - e^{alpha H} sum_{j<=k} c_j R_{k-j}(-alpha H)` (the partial exponential sum
 * is e^{-alpha H} minus its tail R), which avoids subtracting nearly equal numbers.
 * @param K number of coefficients (pieces [(k-1)H, kH) up to t = 1 need K = ceil(1/H) + 1).
 */
export function kappaCoefficients(lim: ContinuousLimit, K: number): Float64Array {
  const { alpha, H } = lim;
  const y = -alpha * H;
  const eaH = Math.exp(alpha * H);
  const tails = new Float64Array(K);
  for (let m = 0; m < K; m++) tails[m] = expTail(y, m);
  const c = new Float64Array(K);
  c[0] = -alpha;
  for (let k = 1; k < K; k++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += c[j] * tails[k - 1 - j];
    c[k] = -alpha - eaH * s;
  }
  return c;
}

/** The limit kernel t -> kappa(t) - kappa_0 on [0, 1] (spec; source eq. (4.3)). */
export interface KappaKernel {
  lim: ContinuousLimit;
  c: Float64Array;
}

export function kappaKernel(lim: ContinuousLimit): KappaKernel {
  return { lim, c: kappaCoefficients(lim, Math.ceil(1 / lim.H) + 2) };
}

/**
 * kappa(t) - kappa_0: on [(k-1)H, kH) with u = t - (k-1)H,
 * `sum_{j=1}^{k} c'_{k-j+1} e^{alpha u} (-alpha u)^{j-1} / (j-1)!`, c' = (0, c_1, c_2, ..). Zero on [0, H).
 * @param t fraction of the horizon, 0 <= t <= 1.
 */
export function kappaMinusKappa0(kernel: KappaKernel, t: number): number {
  const { alpha, H } = kernel.lim;
  const k = Math.floor(t / H) + 1;
  if (k === 1) return 0;
  const u = t - (k - 1) * H;
  const x = -alpha * u;
  let s = 0;
  let pow = 1; // x^{j-1} / (j-1)!
  for (let j = 1; j <= k; j++) {
    if (j > 1) pow *= x / (j - 1);
    const idx = k - j; // c'_{k-j+1} = c_{k-j} (1-based) = c[k-j-1] (0-based); c'_1 = 0
    if (idx >= 1) s += kernel.c[idx - 1] * pow;
  }
  return Math.exp(alpha * u) * s;
}

/**
 * The scaled discrete kernel n (t_{L+1} - a) at t = L/n, L = 1..n-1 (spec: it tends to kappa(L/n) - kappa_0).
 * O(n).
 */
export function discreteKernel(n: number, D: number, s2: number): { t: Float64Array; y: Float64Array } {
  const { a } = solveA(n, D, s2);
  const row = toeplitzRow(n, D, a);
  const t = new Float64Array(n - 1);
  const y = new Float64Array(n - 1);
  for (let L = 1; L < n; L++) {
    t[L - 1] = L / n;
    y[L - 1] = n * (row[L] - a);
  }
  return { t, y };
}
