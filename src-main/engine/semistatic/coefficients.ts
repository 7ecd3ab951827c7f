/**
 * The constant `a` and the first row `t` of the symmetric Toeplitz matrix Q^{-1} of delayed semistatic
 * hedging (spec: shared/spec/semistatic.md, "Constant a" and "Matrices"; source: Theorem 2.2, eqs.
 * (2.3)-(2.4) and (3.9)).
 *
 * Units: everything here is dimensionless (increments normalised by sigma). Index convention: the spec's
 * 1-based `t_i` is `t[i - 1]` here, so `t[L]` is the entry at lag `L` (distance |i - j| in Q^{-1}).
 */

/** Coefficients of `A a^2 + B a + C = 0` (spec "Constant a"; source eq. (3.9)). */
export interface Quadratic {
  A: number;
  B: number;
  C: number;
}

/**
 * The quadratic whose larger root is `a`:
 * `A = n s2 D (D+1)`, `B = n s2 (2D+1) - D (D+1)`, `C = n (s2 - 1)`.
 * @param n trading steps (>= 1)
 * @param D delay in steps (0 <= D < n)
 * @param s2 variance ratio sigmahat^2 / sigma^2 (> 0)
 */
export function aQuadratic(n: number, D: number, s2: number): Quadratic {
  return { A: n * s2 * D * (D + 1), B: n * s2 * (2 * D + 1) - D * (D + 1), C: n * (s2 - 1) };
}

/** |A a^2 + B a + C| relative to the size of its terms (0 for an exact root). */
export function quadraticResidual(q: Quadratic, a: number): number {
  const terms = Math.abs(q.A * a * a) + Math.abs(q.B * a) + Math.abs(q.C);
  const r = Math.abs(q.A * a * a + q.B * a + q.C);
  return terms === 0 ? r : r / terms;
}

export interface RootOfA {
  /** The larger real root (the spec's `a`). */
  a: number;
  /** The smaller root (null when D = 0 and the equation is linear). */
  otherRoot: number | null;
  /** Relative residual of the quadratic at `a` (see {@link quadraticResidual}). */
  residual: number;
}

/**
 * The constant `a`: the larger root of {@link aQuadratic}, computed without cancellation (when B >= 0 the
 * larger root is 2C / (-B - sqrt(B^2 - 4AC)), otherwise (-B + sqrt(B^2 - 4AC)) / 2A). For D = 0 the
 * equation is linear: a = 1/s2 - 1. The source proves 1 + D a > 0 (so the recursion for t is defined);
 * this is checked.
 * @throws Error if the discriminant is negative or 1 + D a <= 0 (would mean a bug or a non-finite input).
 */
export function solveA(n: number, D: number, s2: number): RootOfA {
  const q = aQuadratic(n, D, s2);
  if (D === 0) {
    const a = (1 - s2) / s2;
    return { a, otherRoot: null, residual: quadraticResidual(q, a) };
  }
  const disc = q.B * q.B - 4 * q.A * q.C;
  if (!(disc >= 0)) throw new Error(`no real root for a (discriminant ${disc}) at n=${n}, D=${D}, s2=${s2}`);
  const sq = Math.sqrt(disc);
  let a: number;
  let other: number;
  if (q.B >= 0) {
    const denom = -q.B - sq; // <= 0, no cancellation
    a = denom === 0 ? 0 : (2 * q.C) / denom;
    other = (-q.B - sq) / (2 * q.A);
  } else {
    a = (-q.B + sq) / (2 * q.A);
    other = a === 0 ? 0 : q.C / (q.A * a);
  }
  if (a === 0) a = 0; // no -0 (s2 = 1 gives C = 0)
  if (!(1 + D * a > 0)) throw new Error(`1 + D a = ${1 + D * a} is not positive at n=${n}, D=${D}, s2=${s2}`);
  return { a, otherRoot: other, residual: quadraticResidual(q, a) };
}

/**
 * Limit of `a` as n -> infinity for a fixed delay D (spec "Continuous-time limit", last line):
 * `a_inf = (sqrt(1 + 4 D (D+1) / s2) - 2D - 1) / (2 D (D+1))`, and `1/s2 - 1` for D = 0. Written as
 * `2 (1/s2 - 1) / (sqrt(1 + 4D(D+1)/s2) + 2D + 1)` to avoid cancellation near s2 = 1.
 */
export function aFixedDelayLimit(D: number, s2: number): number {
  if (D === 0) return (1 - s2) / s2;
  const r = (4 * D * (D + 1)) / s2;
  // (sqrt(1+r) - (2D+1)) / (2D(D+1)) = (1 + r - (2D+1)^2) / (2D(D+1)(sqrt(1+r) + 2D+1)), and
  // 1 + r - (2D+1)^2 = 4D(D+1)(1/s2 - 1).
  return (2 * (1 / s2 - 1)) / (Math.sqrt(1 + r) + 2 * D + 1);
}

/** The recursion factor rho = a / (a D + 1) of t (spec: t_i = (t_{i-D} + .. + t_{i-1}) / (D + 1/a)). */
export const recursionFactor = (a: number, D: number): number => a / (a * D + 1);

/**
 * First row of the symmetric Toeplitz matrix Q^{-1} (spec "Matrices"; source eq. (2.4)):
 * `t[0] = 1 + a`, `t[1..D] = a`, and `t[L] = rho (t[L-D] + .. + t[L-1])` for L > D, rho = a / (aD + 1)
 * (the spec's division by D + 1/a, written so that a = 0 needs no special case).
 * O(n) time: the window sum is updated incrementally and recomputed exactly every D steps, so rounding
 * does not accumulate over long rows.
 * @returns Float64Array of length n.
 */
export function toeplitzRow(n: number, D: number, a: number): Float64Array {
  const t = new Float64Array(n);
  t[0] = 1 + a;
  const head = Math.min(n, D + 1);
  for (let L = 1; L < head; L++) t[L] = a;
  if (n <= D + 1) return t;
  const rho = recursionFactor(a, D);
  if (D === 0) return t; // t[L] = rho * (empty sum) = 0
  let window = D * a; // t[1] + .. + t[D]
  for (let L = D + 1; L < n; L++) {
    if ((L - D - 1) % D === 0 && L > D + 1) {
      window = 0;
      for (let k = L - D; k < L; k++) window += t[k];
    }
    t[L] = rho * window;
    window += t[L] - t[L - D];
  }
  return t;
}

/**
 * The delayed filter kernel u[L] = t[L] - a for lags L >= D + 1 and 0 for L <= D (the investor has not yet
 * seen increments at lags 0..D). Over step i the position is mu/sigma^2 + (1/sigma^2) sum_{L} u[L] X_{i-L}
 * (spec "Optimal strategy"). Dimensionless; length n.
 */
export function filterKernel(t: Float64Array, a: number, D: number): Float64Array {
  const u = new Float64Array(t.length);
  for (let L = D + 1; L < t.length; L++) u[L] = t[L] - a;
  return u;
}
