import { LOBSTER_DUMMY_ASK, LOBSTER_DUMMY_BID, LOBSTER_PRICE_SCALE } from './lobster';

/**
 * The per-row work of a LOBSTER orderbook file that needs nothing but the row itself, done where the row is
 * parsed (the parser threads, issue 15): prices / 10,000, dummy prices as empty levels, the accumulator's row
 * checks, both WAPs (eqs. 31-33 and the level-1 formula), their logarithms (for the realised volatility), the
 * depth and the relative spread. The job thread then only assigns rows to buckets, keeps the halts and message
 * statistics, and stores. Every value is computed with exactly the operations, in exactly the order, of the
 * reference path (LobsterConverter.convert -> BookAccumulator.add, which remains the path for anything unusual),
 * so the results are bit for bit the same.
 *
 * Row status:
 * - {@link ROW_OK}: a proper two-sided book that every check of the accumulator passes (level 1 complete,
 *   prices and sizes > 0, not crossed, deeper levels complete or empty on each side, both WAPs positive and
 *   finite): stored, inside a halt or not;
 * - {@link ROW_ONE_SIDED}: level 1 of one side is empty (dummy price): never stored, counted;
 * - {@link ROW_OTHER}: anything else (crossed, a zero size, a half-empty level...): the chunk takes the reference
 *   path, which words the error or drops the row as before.
 */

export const ROW_OK = 0;
export const ROW_ONE_SIDED = 1;
export const ROW_OTHER = 2;

/** Number of Float64 columns of a {@link CompactBook} (wap, wap1, log wap, log wap1, depth, spread). */
export const COMPACT_F64 = 6;

/** Per-row results of one chunk of orderbook rows, role-major, n rows each. */
export interface CompactBook {
  n: number;
  /** ROW_OK, ROW_ONE_SIDED or ROW_OTHER per row. */
  status: Uint8Array;
  /** All-level WAP, level-1 WAP, their natural logs, total displayed size, relative spread (bp): 6 x n. */
  f64: Float64Array;
  /** Level-1 bid and ask prices in dollars (as stored, float32): 2 x n. */
  f32: Float32Array;
  /** Rows with ROW_OTHER. */
  others: number;
}

/** Column views of a CompactBook (or of rows [from, from + n) of one). */
export interface CompactColumns {
  status: Uint8Array;
  wap: Float64Array;
  wap1: Float64Array;
  logWap: Float64Array;
  logWap1: Float64Array;
  depth: Float64Array;
  spreadBp: Float64Array;
  bid1: Float32Array;
  ask1: Float32Array;
}

export function compactColumns(c: CompactBook, from = 0, n = c.n - from): CompactColumns {
  const col = (k: number): Float64Array => c.f64.subarray(k * c.n + from, k * c.n + from + n);
  return {
    status: c.status.subarray(from, from + n),
    wap: col(0),
    wap1: col(1),
    logWap: col(2),
    logWap1: col(3),
    depth: col(4),
    spreadBp: col(5),
    bid1: c.f32.subarray(from, from + n),
    ask1: c.f32.subarray(c.n + from, c.n + from + n),
  };
}

const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const TWO53 = 2 ** 53;

/**
 * Parse and compact one chunk of a LOBSTER orderbook file (whole lines; a missing final line break is allowed)
 * in one pass: each row's 4L cells are read into a scratch row, and the row is compacted at once (no 4L x n
 * intermediate columns). Cells are read exactly as csvBytes.ts's fast path reads them (`[-]digits[.digits]`,
 * digits below 2^53, at most 22 after the point: m / 10^k, bit for bit `Number(text)`), so the values are those
 * of parseNumericChunk.
 *
 * @param bytes the chunk (ASCII on this path)
 * @param L levels (4L cells per line)
 * @param delimiter the separator's character code (one ASCII byte, not a digit, '-', '.', CR or LF)
 * @returns the compacted rows, or null when any cell is not such a plain number, a line does not have 4L cells,
 *   a line is blank, or a row would be ROW_OTHER: the caller then takes the general parser and the reference path
 */
export function parseCompactLobsterBook(bytes: Uint8Array, L: number, delimiter: number): CompactBook | null {
  const buf = bytes;
  const end = buf.length;
  // Every line ends with a line break (a final line without one goes to the general parser): then no read
  // below goes past the chunk (each loop stops at a byte that is not a digit, the last one a line break).
  if (end === 0 || buf[end - 1] !== 10) return null;
  const W = 4 * L;
  let n = 0;
  for (let q = buf.indexOf(10); q !== -1; q = buf.indexOf(10, q + 1)) n++;
  const out = allocCompact(n);
  const row = new Float64Array(W);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < W; c++) {
      let b = buf[p];
      const neg = b === 45;
      if (neg) b = buf[++p];
      const d0 = p;
      let m = 0;
      while (b >= 48 && b <= 57) {
        m = m * 10 + (b - 48);
        b = buf[++p];
      }
      let k = 0;
      let nd = p - d0;
      if (b === 46) {
        const f0 = ++p;
        b = buf[p];
        while (b >= 48 && b <= 57) {
          m = m * 10 + (b - 48);
          b = buf[++p];
        }
        k = p - f0;
        nd += k;
      }
      if (nd === 0 || m >= TWO53 || k > 22) return null;
      const v = k === 0 ? m : m / POW10[k];
      row[c] = neg ? -v : v;
      if (c < W - 1) {
        if (b !== delimiter) return null;
        p++;
      } else {
        if (b === 13) b = buf[++p]; // CRLF: the \r is not part of the number
        if (b !== 10) return null;
        p++;
      }
    }
    if (compactRow(row, L, out, i, n) === ROW_OTHER) return null;
  }
  if (p !== end) return null;
  return out;
}

function allocCompact(n: number): CompactBook {
  return { n, status: new Uint8Array(n), f64: new Float64Array(COMPACT_F64 * n), f32: new Float32Array(2 * n), others: 0 };
}

/**
 * Compact one row (raw LOBSTER cells in file order: ask price, ask size, bid price, bid size per level) into
 * row i of `out` (n rows); returns its status.
 */
function compactRow(row: Float64Array, L: number, out: CompactBook, i: number, n: number): number {
  // Level 1 (LobsterConverter.convert: empty-level masking, then / 10,000).
  const rap = row[0];
  const ras = row[1];
  const rbp = row[2];
  const rbs = row[3];
  const bidEmpty = rbp === LOBSTER_DUMMY_BID || (rbs === 0 && rbp <= 0);
  const askEmpty = rap === LOBSTER_DUMMY_ASK || (ras === 0 && rap >= LOBSTER_DUMMY_ASK);
  if (bidEmpty || askEmpty) {
    out.status[i] = ROW_ONE_SIDED;
    return ROW_ONE_SIDED;
  }
  const b1 = rbp / LOBSTER_PRICE_SCALE;
  const a1 = rap / LOBSTER_PRICE_SCALE;
  const sb1 = rbs;
  const sa1 = ras;
  // BookAccumulator.add: the plain-row check, then the WAPs in its order of operations.
  let ok = b1 > 0 && sb1 > 0 && a1 > 0 && sa1 > 0 && b1 < a1;
  let bv = b1 * sb1;
  let bsum = sb1;
  let av = a1 * sa1;
  let asum = sa1;
  for (let k = 1; ok && k < L; k++) {
    const ap = row[4 * k];
    const as = row[4 * k + 1];
    const bp = row[4 * k + 2];
    const bs = row[4 * k + 3];
    const bEmpty = bp === LOBSTER_DUMMY_BID || (bs === 0 && bp <= 0);
    const aEmpty = ap === LOBSTER_DUMMY_ASK || (as === 0 && ap >= LOBSTER_DUMMY_ASK);
    if (!bEmpty) {
      const p = bp / LOBSTER_PRICE_SCALE;
      if (!(p > 0 && bs > 0)) ok = false;
      bv += p * bs;
      bsum += bs;
    }
    if (!aEmpty) {
      const q = ap / LOBSTER_PRICE_SCALE;
      if (!(q > 0 && as > 0)) ok = false;
      av += q * as;
      asum += as;
    }
  }
  const wap = 0.5 * (bv / bsum + av / asum);
  const wap1 = (b1 * sa1 + a1 * sb1) / (sb1 + sa1);
  if (!ok || !(wap > 0 && wap < Infinity && wap1 > 0 && wap1 < Infinity)) {
    out.status[i] = ROW_OTHER;
    return ROW_OTHER;
  }
  const f64 = out.f64;
  f64[i] = wap;
  f64[n + i] = wap1;
  f64[2 * n + i] = Math.log(wap);
  f64[3 * n + i] = Math.log(wap1);
  f64[4 * n + i] = bsum + asum;
  f64[5 * n + i] = (2e4 * (a1 - b1)) / (a1 + b1);
  out.f32[i] = b1;
  out.f32[n + i] = a1;
  return ROW_OK;
}
