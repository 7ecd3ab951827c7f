import { type HedgeInstrumentInfo, type InstrumentsConfig } from '../../../src-shared/bsde/hedge';
import { exchangeVol } from '../math/margrabe';
import { normCdf, normPdf } from '../math/normal';
import { type CsrMatrix } from './lsqr';

/**
 * Gamma-hedging instruments of the delta-gamma hedge and their sparse Gamma system (spec portfolio-bsde.md,
 * "Hedging along simulated paths" and "Closed forms"):
 *
 * - a European put per asset a, strike K_a = putMoneyness S0_a, maturity T~ (Black-Scholes with dividend
 *   yield q_a and rate r): it carries Gamma only in the diagonal entry (a, a);
 * - an exchange call max(S_a - k S_b, 0) per pair a < b, maturity T~ (Margrabe, rho = corr[a][b]): it
 *   carries Gamma in (a, a), (a, b) and (b, b).
 *
 * Weights w solve sum_k w_k Gamma^{H_k}_{ab} = Gamma^{book}_{ab} for all a <= b: d(d+1)/2 equations in
 * d + d(d-1)/2 = d(d+1)/2 unknowns.
 *
 * Row ordering. The diagonal rows come first, (a, a) -> row a, then the cross rows (a, b), a < b, in the
 * lexicographic pair order of the exchange calls, (a, b) -> row d + pairIndex(a, b). With the instruments
 * in buildInstruments' order (puts, then exchanges in the same pair order) the matrix is block upper
 * triangular,
 *
 *     A = [ P  E_diag ]     P = diag(Gamma of put a)               (d x d)
 *         [ 0  E_off  ]     E_off = diag(Gamma_ab of exchange ab)   (d(d-1)/2 square),
 *
 * so det A = prod_a Gamma^{put_a} * prod_{a<b} Gamma^{ex_ab}_{ab}: nonsingular whenever every put and
 * exchange call has Gamma (tau > 0, finite spots), and the exact weights exist. Note that no row (or
 * column) ordering changes the conditioning: a permutation P A Q has the same singular values, and LSQR
 * only sees A^T A and A^T b (invariant to row permutations). What sets the condition number is the scale
 * of the entries: all are Gammas of options with the same maturity T~ on the same assets near their
 * strikes, of order e^{-q T~} n(d1) / (S sigma sqrt(T~)); an exchange column is Gamma^{ex}_{aa} (1, -r, r^2)
 * with r = S_a / S_b (rows (a,a), (a,b), (b,b)), so spots that drift far apart (r far from 1) or puts far out
 * of the money are what degrade it. The diagonal-first order is chosen because it makes the block
 * triangular structure (and the nonsingularity argument above) visible in the CSR pattern.
 */
export interface InstrumentMarket {
  d: number;
  names: string[];
  /** Spots at t = 0 (money). */
  s0: number[];
  /** Annualised volatilities. */
  sigma: number[];
  /** Continuous dividend yields (per year). */
  q: number[];
  /** d x d correlation matrix. */
  corr: number[][];
  /** Risk-free rate (per year). */
  rate: number;
}

/** Compact number for labels: 100, 4, 0.95, 102.5. */
const fmt = (x: number): string => String(Number(x.toPrecision(6)));

/** Index of the pair (a, b), a < b, in lexicographic order (0,1), (0,2), .., (0,d-1), (1,2), ... */
export function pairIndex(d: number, a: number, b: number): number {
  return (a * (2 * d - a - 1)) / 2 + (b - a - 1);
}

/**
 * The instruments: a put per asset (labels "put S1 K=100 T~=4y"), then an exchange call per pair a < b in
 * lexicographic order (labels "exchange S1/S2 k=1 T~=4y"). Count d + d(d-1)/2.
 */
export function buildInstruments(m: InstrumentMarket, cfg: InstrumentsConfig): HedgeInstrumentInfo[] {
  const out: HedgeInstrumentInfo[] = [];
  const T = cfg.maturity;
  for (let a = 0; a < m.d; a++) {
    const strike = cfg.putMoneyness * m.s0[a];
    out.push({ label: `put ${m.names[a]} K=${fmt(strike)} T~=${fmt(T)}y`, kind: 'put', assets: [a], strike, maturity: T });
  }
  for (let a = 0; a < m.d; a++) {
    for (let b = a + 1; b < m.d; b++) {
      const k = cfg.exchangeRatio;
      out.push({ label: `exchange ${m.names[a]}/${m.names[b]} k=${fmt(k)} T~=${fmt(T)}y`, kind: 'exchange', assets: [a, b], strike: k, maturity: T });
    }
  }
  return out;
}

/**
 * Per-instrument compact Greeks at one point: for instrument k with assets [a] or [a, b]: price[k] (money),
 * dA[k] = dV/dS_a, dB[k] = dV/dS_b (0 for puts), gAA[k], gAB[k], gBB[k] (1/money; gAB = gBB = 0 for puts).
 */
export interface InstrumentEval {
  price: Float64Array;
  dA: Float64Array;
  dB: Float64Array;
  gAA: Float64Array;
  gAB: Float64Array;
  gBB: Float64Array;
}

/** Storage for `count` instruments (allocates). */
export function instrumentEval(count: number): InstrumentEval {
  return {
    price: new Float64Array(count),
    dA: new Float64Array(count),
    dB: new Float64Array(count),
    gAA: new Float64Array(count),
    gAB: new Float64Array(count),
    gBB: new Float64Array(count),
  };
}

/**
 * normCdf / normPdf bound once: under tsx (CommonJS output) every `normCdf(x)` on the import is a call through
 * an export getter, ~10% of evalInstruments' time; a bundle compiles these to plain aliases.
 */
const Phi = normCdf;
const phi = normPdf;

/**
 * Per-tau constants of evalInstruments, kept between calls (the hedger calls it for every path at one date,
 * i.e. with one tau): sqrt(tau), e^{-r tau}, r tau and per asset e^{-q_a tau}, sigma_a sqrt(tau) (0 when
 * sigma_a <= 0, as blackScholes.ts's totalVol). Valid while tau, r and every q_a, sigma_a are the ones they
 * were computed from (compared value by value on each use, so a changed market is picked up). Grown on demand.
 */
const perTau = {
  tau: NaN,
  rate: NaN,
  d: 0,
  sqrtTau: 0,
  df: 1,
  rTau: 0,
  q: new Float64Array(16),
  sigma: new Float64Array(16),
  expDiv: new Float64Array(16),
  totalVol: new Float64Array(16),
};

/** Makes perTau hold the constants for (tau > 0, market m). */
function refreshPerTau(tau: number, m: InstrumentMarket): void {
  const c = perTau;
  const { d, q, sigma, rate } = m;
  let same = tau === c.tau && rate === c.rate && d === c.d;
  for (let i = 0; same && i < d; i++) same = q[i] === c.q[i] && sigma[i] === c.sigma[i];
  if (same) return;
  if (c.q.length < d) {
    c.q = new Float64Array(d);
    c.sigma = new Float64Array(d);
    c.expDiv = new Float64Array(d);
    c.totalVol = new Float64Array(d);
  }
  const sqrtTau = Math.sqrt(tau);
  c.tau = tau;
  c.rate = rate;
  c.d = d;
  c.sqrtTau = sqrtTau;
  c.df = Math.exp(-rate * tau);
  c.rTau = rate * tau;
  for (let i = 0; i < d; i++) {
    c.q[i] = q[i];
    c.sigma[i] = sigma[i];
    c.expDiv[i] = Math.exp(-q[i] * tau);
    c.totalVol[i] = sigma[i] > 0 ? sigma[i] * sqrtTau : 0;
  }
}

/**
 * Closed-form values at time t (years; tau = maturity - t) and spots S_a = spots[off + a]. tau <= 0 gives
 * the intrinsic value, the Delta of the payoff (1/2 of the jump at the kink) and zero Gammas. Puts:
 * Black-Scholes with dividend q_a and rate r; exchange calls: Margrabe with rho = corr[a][b], ratio = strike.
 *
 * Inlined closed forms (this runs once per path and date, ~5e5 times per hedge run; allocation-free). The
 * per-tau constants (see perTau) are computed once per distinct tau; each instrument then takes one log,
 * one d1, two normCdf and one normPdf. With F = S e^{-q tau}, s = sigma sqrt(tau):
 *
 *     put:      d1 = (ln(F/K) + r tau) / s + s/2,   V = K e^{-r tau} N(s - d1) - F N(-d1),
 *               dV/dS = -e^{-q tau} N(-d1),         d2V/dS2 = e^{-2 q tau} n(d1) / (F s)
 *     exchange: engine/math/margrabe.ts in the same operation order (bit-identical to margrabe()).
 *
 * The put's price and Gamma repeat bsDivPrice / bsDivGamma operation for operation (including s = 0 for
 * sigma = 0: intrinsic value against the discounted strike, step Delta, zero Gamma). Its Delta is
 * -e^{-q tau} N(-d1) rather than bsDivDelta's e^{-q tau} N(d1) - e^{-q tau}: the same up to ~1e-16
 * absolute, without the cancellation for puts far out of the money.
 */
export function evalInstruments(insts: HedgeInstrumentInfo[], m: InstrumentMarket, t: number, spots: ArrayLike<number>, off: number, out: InstrumentEval): void {
  const corr = m.corr;
  const c = perTau;
  const { price, dA, dB, gAA, gAB, gBB } = out;
  let curTau = NaN;
  for (let k = 0; k < insts.length; k++) {
    const h = insts[k];
    const tau = h.maturity - t;
    const a = h.assets[0];
    if (tau > 0 && tau !== curTau) {
      refreshPerTau(tau, m);
      curTau = tau;
    }
    const sA = spots[off + a];
    if (h.kind === 'put') {
      const K = h.strike;
      dB[k] = 0;
      gAB[k] = 0;
      gBB[k] = 0;
      if (!(tau > 0)) {
        price[k] = Math.max(K - sA, 0);
        dA[k] = (sA > K ? 1 : sA < K ? 0 : 0.5) - 1;
        gAA[k] = 0;
        continue;
      }
      const e = c.expDiv[a];
      const fwd = sA * e;
      const s = c.totalVol[a];
      const kdf = K * c.df;
      if (s === 0) {
        price[k] = Math.max(kdf - fwd, 0);
        dA[k] = e * (fwd > kdf ? 1 : fwd < kdf ? 0 : 0.5) - e;
        gAA[k] = 0;
        continue;
      }
      const d1 = (Math.log(fwd / K) + c.rTau) / s + 0.5 * s;
      const nMinusD1 = Phi(-d1);
      price[k] = kdf * Phi(s - d1) - fwd * nMinusD1;
      dA[k] = -e * nMinusD1;
      gAA[k] = e * e * (phi(d1) / (fwd * s));
    } else {
      const b = h.assets[1];
      const ratio = h.strike;
      const sB = spots[off + b];
      const live = tau > 0;
      const ea = live ? c.expDiv[a] : 1;
      const eb = live ? c.expDiv[b] : 1;
      const sq = live ? exchangeVol(c.sigma[a], c.sigma[b], corr[a][b]) * c.sqrtTau : 0;
      const fa = sA * ea;
      const fb = ratio * sB * eb;
      if (!(sq > 0)) {
        const itm = fa > fb ? 1 : fa < fb ? 0 : 0.5;
        price[k] = Math.max(fa - fb, 0);
        dA[k] = ea * itm;
        dB[k] = -ratio * eb * itm;
        gAA[k] = 0;
        gAB[k] = 0;
        gBB[k] = 0;
        continue;
      }
      const d1 = Math.log(fa / fb) / sq + 0.5 * sq;
      const n1 = phi(d1);
      const c1 = Phi(d1);
      const c2 = Phi(d1 - sq);
      price[k] = fa * c1 - fb * c2;
      dA[k] = ea * c1;
      dB[k] = -ratio * eb * c2;
      gAA[k] = (ea * n1) / (sA * sq);
      gAB[k] = -(ea * n1) / (sB * sq);
      gBB[k] = (fa * n1) / (sB * sB * sq);
    }
  }
}

/**
 * The sparse system sum_k w_k Gamma^{H_k}_{ab} = Gamma^{book}_{ab}, a <= b: rows d(d+1)/2 (see the module
 * comment for the order, rowOf), cols = instruments. Fixed CSR pattern: a put on a has one entry in row
 * (a,a); an exchange call on (a,b) has entries in rows (a,a), (a,b), (b,b). Column indices are sorted
 * within each row. For each nonzero p, source[p] is the instrument and part[p] which compact Gamma fills
 * it (0 = gAA, 1 = gAB, 2 = gBB).
 */
export interface GammaSystem extends CsrMatrix {
  d: number;
  rowOf(a: number, b: number): number;
  source: Int32Array;
  part: Uint8Array;
}

/** Builds the CSR pattern (values zero until fillGammaSystem). */
export function gammaSystem(d: number, insts: HedgeInstrumentInfo[]): GammaSystem {
  const rows = (d * (d + 1)) / 2;
  const rowOf = (a: number, b: number): number => {
    if (a > b) [a, b] = [b, a];
    if (a < 0 || b >= d) throw new Error(`Gamma entry (${a}, ${b}) is outside the ${d} assets`);
    return a === b ? a : d + pairIndex(d, a, b);
  };
  const entries: Array<Array<{ col: number; part: number }>> = Array.from({ length: rows }, () => []);
  insts.forEach((h, k) => {
    const [a, b] = h.assets;
    if (h.kind === 'put') {
      entries[rowOf(a, a)].push({ col: k, part: 0 });
    } else {
      if (a === b) throw new Error(`exchange instrument ${h.label} needs two different assets`);
      entries[rowOf(a, a)].push({ col: k, part: 0 });
      entries[rowOf(a, b)].push({ col: k, part: 1 });
      entries[rowOf(b, b)].push({ col: k, part: 2 });
    }
  });
  const nnz = entries.reduce((s, e) => s + e.length, 0);
  const rowPtr = new Int32Array(rows + 1);
  const colIdx = new Int32Array(nnz);
  const part = new Uint8Array(nnz);
  let p = 0;
  for (let i = 0; i < rows; i++) {
    rowPtr[i] = p;
    for (const e of entries[i].sort((x, y) => x.col - y.col)) {
      colIdx[p] = e.col;
      part[p] = e.part;
      p++;
    }
  }
  rowPtr[rows] = p;
  return { d, rows, cols: insts.length, rowPtr, colIdx, values: new Float64Array(nnz), source: colIdx.slice(), part, rowOf };
}

/** Writes A's values from the instruments' compact Gammas (ev from evalInstruments). */
export function fillGammaSystem(sys: GammaSystem, ev: InstrumentEval): void {
  const { source, part, values } = sys;
  const gAA = ev.gAA;
  const gAB = ev.gAB;
  const gBB = ev.gBB;
  for (let p = 0; p < values.length; p++) {
    const k = source[p];
    const q = part[p];
    values[p] = q === 0 ? gAA[k] : q === 1 ? gAB[k] : gBB[k];
  }
}

/**
 * Right-hand side b[rowOf(a,b)] = Gamma^{book}_{ab} for a <= b, from bookGamma, a flat row-major d x d
 * (1/money) at offset off. Cross entries take (G_ab + G_ba) / 2, which is G_ab for a symmetric input.
 */
export function gammaRhs(sys: GammaSystem, bookGamma: ArrayLike<number>, off: number, b: Float64Array): void {
  const d = sys.d;
  let r = d;
  for (let a = 0; a < d; a++) {
    b[a] = bookGamma[off + a * d + a];
    for (let c = a + 1; c < d; c++) b[r++] = 0.5 * (bookGamma[off + a * d + c] + bookGamma[off + c * d + a]);
  }
}
