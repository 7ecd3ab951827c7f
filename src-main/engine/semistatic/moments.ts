import { type ResolvedParams } from '../../../src-shared/semistatic/params';
import { toeplitzRow } from './coefficients';

/**
 * Closed-form moments of the optimal terminal wealth under the investor's model P. In normalised units
 * (Y = X / sigma ~ N(m 1, I), m = mu / sigma, T = Q^{-1}) the optimal gamma V is the quadratic form
 * `V* = m 1'Y + Y'(T - I)Y / 2 - a n s2 / 2` (the filter, the Merton position and the static claim together),
 * which is how the value -exp(-H) follows by a Gaussian integral (see ./solution.ts).
 */

/** 1'T1 for the symmetric Toeplitz T with first row t: n t[0] + 2 sum_{L>=1} (n - L) t[L]. O(n). */
export function toeplitzEntrySum(t: Float64Array): number {
  const n = t.length;
  let s = n * t[0];
  for (let L = 1; L < n; L++) s += 2 * (n - L) * t[L];
  return s;
}

/**
 * E_P[V] (money): `(1/gamma) (n m^2 + (tr(T - I) + m^2 1'(T - I)1) / 2 - a n s2 / 2)` with tr(T - I) = n a.
 */
export function expectedWealth(p: ResolvedParams, a: number): number {
  const t = toeplitzRow(p.n, p.D, a);
  const m2 = (p.mu / p.sigma) ** 2;
  const quad = p.n * a + m2 * (toeplitzEntrySum(t) - p.n);
  return (p.n * m2 + 0.5 * quad - 0.5 * a * p.n * p.ratio2) / p.riskAversion;
}
