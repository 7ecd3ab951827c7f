import { type BookContent, type PayoffType, assetIndex } from '../../../src-shared/portfolio/book';
import { normCdf, normPdf } from '../math/normal';

/**
 * The book's payoffs g_j in log prices x = log S, with their gradients and Hessians in x
 * (spec "Book": source table 7 plus vanillas and the exchange option). In log coordinates
 * d g / d x_a = S_a d g / d S_a and d2 g / dx_a dx_b = S_a S_b d2g/dS_a dS_b + [a = b] S_a dg/dS_a.
 *
 * Kinks get the one-sided (almost-everywhere) derivative. The cash-or-nothing payoff's gradient is a Dirac
 * mass, useless as a terminal Z_N = grad g Sig; its gradient is taken from the indicator smoothed by one
 * time step of each asset's own diffusion, prod_a [N((x_a - ln l)/h_a) - N((x_a - ln u)/h_a)] with
 * h_a = sigma_a sqrt(dt) (its value stays the exact indicator).
 */
export interface CompiledOption {
  payoff: PayoffType;
  /** Indices of the assets it is written on (exchange: [a, b]). */
  assets: Int32Array;
  strike: number;
  /** Upper bound u of cash-or-nothing (else NaN). */
  strike2: number;
  quantity: number;
}

export function compileOptions(book: BookContent): CompiledOption[] {
  const idx = assetIndex(book);
  return book.options.map((o) => ({
    payoff: o.payoff,
    assets: Int32Array.from(o.assets, (n) => {
      const i = idx.get(n);
      if (i === undefined) throw new Error(`option on unknown asset "${n}"`);
      return i;
    }),
    strike: o.strike,
    strike2: o.strike2 ?? NaN,
    quantity: o.quantity,
  }));
}

/** a[i] = v when there is an array (a module-level function: a closure per call costs ~1 us under tsx's keepNames). */
function put(a: Float32Array | Float64Array | null, i: number, v: number): void {
  if (a) a[i] = v;
}

/**
 * Value, log-gradient (length d, written into `grad` at `gOff`) and optionally the log-Hessian (d x d into
 * `hess` at `hOff`) of one option at one point. `s` holds prices S_a at `sOff`, `x` the log prices.
 * @param smooth h_a = sigma_a sqrt(dt) for the cash-or-nothing gradient (length d).
 */
export function payoffAt(
  o: CompiledOption,
  d: number,
  s: ArrayLike<number>,
  x: ArrayLike<number>,
  sOff: number,
  grad: Float32Array | Float64Array | null,
  gOff: number,
  hess: Float64Array | null,
  smooth: Float64Array,
): number {
  const A = o.assets;
  const k = A.length;
  const K = o.strike;
  switch (o.payoff) {
    case 'geometric-call':
    case 'geometric-put': {
      let m = 0;
      for (let i = 0; i < k; i++) m += x[sOff + A[i]];
      const G = Math.exp(m / k);
      const sign = o.payoff === 'geometric-call' ? 1 : -1;
      const itm = sign * (G - K) > 0;
      if (itm) {
        for (let i = 0; i < k; i++) {
          put(grad, gOff + A[i], (sign * G) / k);
          for (let j = 0; j < k; j++) put(hess, A[i] * d + A[j], (sign * G) / (k * k));
        }
      }
      return itm ? sign * (G - K) : 0;
    }
    case 'arithmetic-call':
    case 'arithmetic-put': {
      let m = 0;
      for (let i = 0; i < k; i++) m += s[sOff + A[i]];
      m /= k;
      const sign = o.payoff === 'arithmetic-call' ? 1 : -1;
      const itm = sign * (m - K) > 0;
      if (itm) {
        for (let i = 0; i < k; i++) {
          put(grad, gOff + A[i], (sign * s[sOff + A[i]]) / k);
          put(hess, A[i] * d + A[i], (sign * s[sOff + A[i]]) / k);
        }
      }
      return itm ? sign * (m - K) : 0;
    }
    case 'max-call':
    case 'min-put': {
      const isMax = o.payoff === 'max-call';
      let best = A[0];
      for (let i = 1; i < k; i++) {
        const v = s[sOff + A[i]];
        if (isMax ? v > s[sOff + best] : v < s[sOff + best]) best = A[i];
      }
      const v = s[sOff + best];
      const pay = isMax ? v - K : K - v;
      if (pay > 0) {
        put(grad, gOff + best, isMax ? v : -v);
        put(hess, best * d + best, isMax ? v : -v);
      }
      return Math.max(pay, 0);
    }
    case 'cash-or-nothing': {
      const ll = Math.log(K);
      const lu = Math.log(o.strike2);
      let inside = true;
      for (let i = 0; i < k; i++) {
        const v = s[sOff + A[i]];
        if (v < K || v > o.strike2) inside = false;
      }
      if (grad) {
        // Smoothed indicator: product of p_a, gradient dp_a prod_{b != a} p_b.
        const p = new Float64Array(k);
        const dp = new Float64Array(k);
        for (let i = 0; i < k; i++) {
          const h = smooth[A[i]];
          const xa = x[sOff + A[i]];
          p[i] = normCdf((xa - ll) / h) - normCdf((xa - lu) / h);
          dp[i] = (normPdf((xa - ll) / h) - normPdf((xa - lu) / h)) / h;
        }
        for (let i = 0; i < k; i++) {
          let prod = dp[i];
          for (let j = 0; j < k; j++) if (j !== i) prod *= p[j];
          grad[gOff + A[i]] = prod;
        }
      }
      return inside ? 1 : 0;
    }
    case 'call':
    case 'put': {
      const a = A[0];
      const v = s[sOff + a];
      const sign = o.payoff === 'call' ? 1 : -1;
      const pay = sign * (v - K);
      if (pay > 0) {
        put(grad, gOff + a, sign * v);
        put(hess, a * d + a, sign * v);
      }
      return Math.max(pay, 0);
    }
    case 'exchange': {
      const a = A[0];
      const b = A[1];
      const pay = s[sOff + a] - K * s[sOff + b];
      if (pay > 0) {
        put(grad, gOff + a, s[sOff + a]);
        put(grad, gOff + b, -K * s[sOff + b]);
        put(hess, a * d + a, s[sOff + a]);
        put(hess, b * d + b, -K * s[sOff + b]);
      }
      return Math.max(pay, 0);
    }
  }
}

/**
 * Payoffs of every option on a block of rows of log prices `x` (rows x d): values into `g` (rows x J) and,
 * when given, log-gradients into `grad` (rows x J x d, zero where the option does not depend on an asset).
 */
export function payoffBatch(
  opts: readonly CompiledOption[],
  d: number,
  x: Float64Array,
  rows: number,
  g: Float32Array,
  grad: Float32Array | null,
  smooth: Float64Array,
): void {
  const J = opts.length;
  const s = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) s[i] = Math.exp(x[i]);
  if (grad) grad.fill(0);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < J; j++) {
      g[r * J + j] = payoffAt(opts[j], d, s, x, r * d, grad, (r * J + j) * d, null, smooth);
    }
  }
}
