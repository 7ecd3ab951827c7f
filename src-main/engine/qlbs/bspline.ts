/**
 * B-spline basis on "acceptable" knots for interpolation at collocation sites (de Boor, A Practical Guide to
 * Splines, ch. XIII `aptknt`; the QLBS spec's "Basis" paragraph). Written by hand: no maintained TypeScript
 * B-spline library evaluates a whole basis in banded form, and the algorithm is short (Piegl & Tiller, The
 * NURBS Book, algorithms A2.1 FindSpan and A2.2 BasisFuns).
 *
 * Degree p (order k = p + 1), n sites tau_1 < … < tau_n, n >= k. Knots (length n + k):
 *
 *     t = (tau_1 x k, avg(tau_2..tau_k), avg(tau_3..tau_{k+1}), …, avg(tau_{n-k+1}..tau_{n-1}), tau_n x k)
 *
 * i.e. n - k interior knots, each the average of k - 1 consecutive interior sites; this gives exactly n basis
 * functions B_1..B_n on [tau_1, tau_n] (spec: degree 4, 12 sites -> 17 knots, 12 functions). On that interval
 * the B_j are >= 0 and sum to 1; at most k of them are non-zero at any x.
 */

export interface SplineBasis {
  /** Degree p (order p + 1). */
  degree: number;
  /** Number of basis functions n (= number of collocation sites). */
  size: number;
  /** Knot vector, length size + degree + 1, non-decreasing. */
  knots: Float64Array;
  /** The interval [lo, hi] = [tau_1, tau_n] the basis covers; x outside is clamped to it. */
  lo: number;
  hi: number;
}

/**
 * `n` equally spaced collocation sites over [lo, hi] (spec: 12 sites over [min X, max X]).
 * @returns Float64Array of length n, sites[0] = lo, sites[n-1] = hi.
 */
export function uniformSites(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1);
  out[n - 1] = hi;
  return out;
}

/**
 * The acceptable knot vector for interpolation at `sites` with splines of degree `degree` (see file doc).
 * @param sites strictly increasing, length n >= degree + 1.
 * @returns knots of length n + degree + 1.
 */
export function aptKnots(sites: ArrayLike<number>, degree: number): Float64Array {
  const n = sites.length;
  const k = degree + 1;
  if (!(degree >= 0) || n < k) throw new Error(`aptKnots: need at least degree + 1 = ${k} sites (got ${n})`);
  for (let i = 1; i < n; i++) if (!(sites[i] > sites[i - 1])) throw new Error('aptKnots: sites must be strictly increasing');
  const t = new Float64Array(n + k);
  for (let i = 0; i < k; i++) {
    t[i] = sites[0];
    t[n + i] = sites[n - 1];
  }
  // Interior knot j (j = 1..n-k) is the mean of sites tau_{j+1}..tau_{j+k-1} (1-based), i.e. 0-based j..j+k-2.
  for (let j = 1; j <= n - k; j++) {
    let s = 0;
    for (let m = j; m <= j + k - 2; m++) s += sites[m];
    t[k - 1 + j] = s / (k - 1);
  }
  return t;
}

/** The basis of `size` functions of degree `degree` on acceptable knots for uniform sites over [lo, hi]. */
export function makeBasis(lo: number, hi: number, size: number, degree: number): SplineBasis {
  if (!(hi > lo)) throw new Error(`makeBasis: empty range [${lo}, ${hi}]`);
  return { degree, size, knots: aptKnots(uniformSites(lo, hi, size), degree), lo, hi };
}

/**
 * Knot span i (0-based, degree <= i <= size - 1) with t_i <= x < t_{i+1}; x = hi maps to the last span.
 * `x` must already be clamped to [lo, hi].
 */
export function findSpan(b: SplineBasis, x: number): number {
  const t = b.knots;
  const p = b.degree;
  const n = b.size;
  if (x >= t[n]) return n - 1;
  let lo = p;
  let hi = n; // invariant t[lo] <= x < t[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x < t[mid]) hi = mid;
    else lo = mid;
  }
  return lo;
}

/** Scratch space for {@link basisFuns} (avoid allocating in hot loops). */
export interface BasisScratch {
  left: Float64Array;
  right: Float64Array;
}
export const basisScratch = (degree: number): BasisScratch => ({ left: new Float64Array(degree + 1), right: new Float64Array(degree + 1) });

/**
 * The p + 1 non-zero basis values B_{i-p}(x) .. B_i(x) at x in span i (Cox-de Boor triangle, Piegl & Tiller
 * A2.2), written to out[off .. off + p]. `deg` lets the caller ask for a lower degree on the same knots
 * (used for derivatives).
 */
export function basisFuns(b: SplineBasis, span: number, x: number, out: Float64Array, off: number, s: BasisScratch, deg = b.degree): void {
  const t = b.knots;
  const { left, right } = s;
  out[off] = 1;
  for (let j = 1; j <= deg; j++) {
    left[j] = x - t[span + 1 - j];
    right[j] = t[span + j] - x;
    let saved = 0;
    for (let r = 0; r < j; r++) {
      const temp = out[off + r] / (right[r + 1] + left[j - r]);
      out[off + r] = saved + right[r + 1] * temp;
      saved = left[j - r] * temp;
    }
    out[off + j] = saved;
  }
}

const clamp = (b: SplineBasis, x: number): number => (x < b.lo ? b.lo : x > b.hi ? b.hi : x);

/**
 * Banded evaluation of the basis at many points: for point i, `span[i]` and the p + 1 values
 * `vals[i*(p+1) .. i*(p+1)+p]` of B_{span-p} .. B_{span}; every other B_j(x_i) is 0.
 * @param xs points (clamped to [lo, hi]).
 * @param out optional buffers to reuse (span length >= xs.length, vals length >= xs.length * (p + 1)).
 */
export function evalBanded(
  b: SplineBasis,
  xs: ArrayLike<number>,
  out?: { span: Int32Array; vals: Float64Array },
): { span: Int32Array; vals: Float64Array } {
  const n = xs.length;
  const k = b.degree + 1;
  const span = out?.span ?? new Int32Array(n);
  const vals = out?.vals ?? new Float64Array(n * k);
  const s = basisScratch(b.degree);
  for (let i = 0; i < n; i++) {
    const x = clamp(b, xs[i]);
    const sp = findSpan(b, x);
    span[i] = sp;
    basisFuns(b, sp, x, vals, i * k, s);
  }
  return { span, vals };
}

/** All `size` basis values at x (dense, zeros outside the support), e.g. for plotting. */
export function evalDense(b: SplineBasis, x: number): Float64Array {
  const out = new Float64Array(b.size);
  const v = new Float64Array(b.degree + 1);
  const xc = clamp(b, x);
  const sp = findSpan(b, xc);
  basisFuns(b, sp, xc, v, 0, basisScratch(b.degree));
  for (let r = 0; r <= b.degree; r++) out[sp - b.degree + r] = v[r];
  return out;
}

/**
 * First derivatives B'_j(x), dense (length size), from the degree p - 1 values on the same knots:
 * B'_{j,p}(x) = p (B_{j,p-1}(x) / (t_{j+p} - t_j) - B_{j+1,p-1}(x) / (t_{j+p+1} - t_{j+1}))   (0/0 := 0).
 * One-sided (from the right) at knots; x is clamped to [lo, hi].
 */
export function evalDerivDense(b: SplineBasis, x: number): Float64Array {
  const p = b.degree;
  const out = new Float64Array(b.size);
  if (p === 0) return out;
  const t = b.knots;
  const xc = clamp(b, x);
  const sp = findSpan(b, xc);
  const low = new Float64Array(p); // B_{sp-p+1, p-1} .. B_{sp, p-1}
  basisFuns(b, sp, xc, low, 0, basisScratch(p), p - 1);
  const lowAt = (j: number): number => (j >= sp - p + 1 && j <= sp ? low[j - (sp - p + 1)] : 0);
  for (let j = sp - p; j <= sp; j++) {
    const d1 = t[j + p] - t[j];
    const d2 = t[j + p + 1] - t[j + 1];
    out[j] = p * ((d1 > 0 ? lowAt(j) / d1 : 0) - (d2 > 0 ? lowAt(j + 1) / d2 : 0));
  }
  return out;
}

/** The spline sum_j c_j B_j(x) at one point. */
export function evalSpline(b: SplineBasis, coef: ArrayLike<number>, x: number, coefOffset = 0): number {
  const k = b.degree + 1;
  const v = new Float64Array(k);
  const xc = clamp(b, x);
  const sp = findSpan(b, xc);
  basisFuns(b, sp, xc, v, 0, basisScratch(b.degree));
  let s = 0;
  for (let r = 0; r < k; r++) s += v[r] * coef[coefOffset + sp - b.degree + r];
  return s;
}
