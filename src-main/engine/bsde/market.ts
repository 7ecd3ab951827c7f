import { type BookContent } from '../../../src-shared/portfolio/book';
import { cholesky } from '../../../src-shared/portfolio/correlation';

/**
 * The book's market in log prices (spec portfolio-bsde.md "Market"):
 *
 *     X = log S,   X_{n+1} = X_n + b dt + Sig dB_n,   b_a = mu_a - q_a - sigma_a^2 / 2,   Sig = diag(sigma) L,
 *     R = L L^T (Cholesky),   theta = Sig^{-1} (mu - r)   (market price of risk; dB + theta dt is a Q increment)
 *
 * Matrices are row-major Float64Arrays of length d*d.
 */
export interface CompiledMarket {
  d: number;
  rate: number;
  s0: Float64Array;
  /** log S_0. */
  x0: Float64Array;
  sigma: Float64Array;
  /** Drift of log prices under P, b (per year). */
  b: Float64Array;
  /** Sig = diag(sigma) L, lower triangular. */
  sig: Float64Array;
  /** Sig^{-1}, lower triangular. */
  sigInv: Float64Array;
  /** theta = Sig^{-1} (mu - r). */
  theta: Float64Array;
}

/** Inverse of a lower-triangular matrix by forward substitution (row-major, d x d). */
export function invertLower(l: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    for (let i = c; i < d; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= l[i * d + k] * inv[k * d + c];
      inv[i * d + c] = s / l[i * d + i];
    }
  }
  return inv;
}

/** Compile a (validated) book's market. Throws if the correlation is not positive definite. */
export function compileMarket(book: Pick<BookContent, 'assets' | 'correlation' | 'rate'>): CompiledMarket {
  const d = book.assets.length;
  const chol = cholesky(book.correlation);
  if (!chol.ok) throw new Error(`correlation matrix is not positive definite (Cholesky pivot ${chol.pivot + 1})`);
  const sigma = Float64Array.from(book.assets, (a) => a.sigma);
  const sig = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) sig[i * d + j] = sigma[i] * chol.l[i][j];
  const sigInv = invertLower(sig, d);
  const excess = book.assets.map((a) => a.mu - book.rate);
  const theta = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) theta[i] += sigInv[i * d + j] * excess[j];
  return {
    d,
    rate: book.rate,
    s0: Float64Array.from(book.assets, (a) => a.s0),
    x0: Float64Array.from(book.assets, (a) => Math.log(a.s0)),
    sigma,
    b: Float64Array.from(book.assets, (a) => a.mu - a.q - 0.5 * a.sigma * a.sigma),
    sig,
    sigInv,
    theta,
  };
}

/**
 * x = x0 + b t + Sig sqrt(t) xi for a block of rows: `out[r*d + a]` from standard normals `xi[r*d + k]`.
 * Also used with t = dt and xi = dB / sqrt(dt) to step forward.
 */
export function addDiffusion(m: CompiledMarket, xi: Float64Array, scale: number, out: Float64Array, rows: number): void {
  const d = m.d;
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let k = 0; k <= a; k++) s += m.sig[a * d + k] * xi[o + k];
      out[o + a] += scale * s;
    }
  }
}
