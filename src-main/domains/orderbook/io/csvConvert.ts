import { type CompactBook } from '../../../engine/orderbook/lobsterRows';

/**
 * CSV records (arrays of cell text from uDSV or csv-parse) to the engine's columnar batch: one Float64Array per role.
 *
 * The parallel CSV reader runs it on parser threads (csvTask.ts, through the piscina pool of csvPool.ts).
 * The flag values are the engine's FLAG_NON_NUMERIC = 1
 * and FLAG_CELL_COUNT = 2 (engine/orderbook/batch.ts); a unit test checks they agree.
 */

const HAS_ZONE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d/;

/**
 * Milliseconds since the epoch of an ISO 8601 date-time; one without a zone is UTC (spec orderbook.md:
 * "Timestamps without a zone are UTC"; `Date.parse` alone would read `2024-01-02T10:00:00` in the machine's
 * local zone). A date alone is UTC midnight, as in `Date.parse`. NaN when the text is not a date-time.
 */
export function parseIsoUtc(text: string): number {
  const t = text.trim();
  if (DATE_TIME.test(t) && !HAS_ZONE.test(t)) return Date.parse(`${t.slice(0, 10)}T${t.slice(11)}Z`);
  return Date.parse(t);
}

export interface ConvertSpec {
  /** Column index in the record of each role (RolePlan order). */
  columns: number[];
  /** Cells per record (the header's). */
  width: number;
  /** Role index of the timestamp (generic layout), -1 for none. */
  timestampRole: number;
  /** Seconds per unit of a numeric timestamp, or 0 for ISO 8601 text. */
  timestampScale: number;
  /**
   * Every cell is a plain number and the file has no quotes (the headerless LOBSTER pair): the parser threads
   * read such chunks byte by byte (csvBytes.ts) before trying uDSV / csv-parse.
   */
  numericGrid?: boolean;
}

export interface ConvertedChunk {
  /** Data rows (blank lines are not rows). */
  n: number;
  /** Lines consumed, blank ones included. */
  lines: number;
  /** Role-major values: role r of row i at values[r * n + i]. */
  values: Float64Array;
  /** Per-row flags (1 non-numeric, 2 wrong cell count), null when none is set. */
  flags: Uint8Array | null;
  /** The first offending cell of each flagged row (row index, role, text). */
  issues: Array<{ row: number; role: number; text: string }>;
  /** Line index (0-based, within the chunk) of each row when blank lines were skipped, else null. */
  rowLines: Int32Array | null;
  /** Set by the parser threads (csvTask.ts): which parser split the chunk into cells. */
  via?: 'bytes' | 'udsv' | 'csv-parse';
  /**
   * A LOBSTER orderbook chunk compacted on the parser thread (task `lobsterLevels`; engine/orderbook/lobsterRows.ts):
   * then `values` is empty; the reader parses the chunk again (parseNumericChunk) when it has to take the
   * reference path.
   */
  compact?: CompactBook;
  /** Where the chunk's lines sit in the file, when a parser thread read them itself (csvTask.ts WindowTask). */
  range?: { start: number; end: number };
}

export interface RecordConverter {
  push(rec: string[]): void;
  finish(): ConvertedChunk;
}

/** A converter for one chunk of records; `capacity` is a hint for the number of rows. */
export function makeRecordConverter(spec: ConvertSpec, capacity: number): RecordConverter {
  const roles = spec.columns.length;
  let cap = Math.max(16, capacity);
  let vals = new Float64Array(roles * cap);
  let flags: Uint8Array | null = null;
  let lineOf: Int32Array | null = null;
  const issues: Array<{ row: number; role: number; text: string }> = [];
  let n = 0;
  let lines = 0;
  const grow = (): void => {
    const next = new Float64Array(roles * cap * 2);
    for (let r = 0; r < roles; r++) next.set(vals.subarray(r * cap, r * cap + n), r * cap * 2);
    vals = next;
    if (flags) {
      const f = new Uint8Array(cap * 2);
      f.set(flags);
      flags = f;
    }
    if (lineOf) {
      const l = new Int32Array(cap * 2);
      l.set(lineOf);
      lineOf = l;
    }
    cap *= 2;
  };
  // Number(text), faster for plain decimals (`-?digits[.digits]`, at most 15 digits): the digits as an integer
  // m < 10^15 < 2^53 and m / 10^k with k <= 15 are both exact doubles, so the one division is correctly rounded,
  // i.e. bit for bit what Number() returns (Clinger's fast path). Anything else goes to Number().
  const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];
  const toNumber = (text: string): number => {
    const len = text.length;
    let i = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
    if (len - i > 16 || len === i) return Number(text);
    const digits0 = i;
    let m = 0;
    let dot = -1;
    for (; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) m = m * 10 + (c - 48);
      else if (c === 46 && dot < 0) dot = i;
      else return Number(text);
    }
    if (dot >= 0) {
      if (dot === digits0 || dot === len - 1 || len - digits0 > 16) return Number(text);
      m /= POW10[len - 1 - dot];
    } else if (len - digits0 > 15) return Number(text);
    return digits0 === 1 ? -m : m;
  };
  const flag = (row: number, bit: number, role: number, text: string): void => {
    if (!flags) flags = new Uint8Array(cap);
    if (flags[row] === 0) issues.push({ row, role, text });
    flags[row] |= bit;
  };
  return {
    push(rec: string[]): void {
      const line = lines++;
      if (rec.length === 1 && rec[0].trim() === '' && spec.width > 1) {
        if (!lineOf) {
          lineOf = new Int32Array(cap);
          for (let i = 0; i < n; i++) lineOf[i] = i;
        }
        return;
      }
      if (n === cap) grow();
      const row = n++;
      if (lineOf) lineOf[row] = line;
      if (rec.length !== spec.width) flag(row, 2, -1, `${rec.length}/${spec.width}`);
      for (let r = 0; r < roles; r++) {
        const text = rec[spec.columns[r]];
        let v: number;
        if (text === undefined || text === '' || (text.charCodeAt(0) <= 32 && text.trim() === '')) {
          v = NaN;
        } else if (r === spec.timestampRole) {
          if (spec.timestampScale === 0) {
            v = parseIsoUtc(text) / 1000;
            if (v !== v) flag(row, 1, r, text);
          } else {
            v = Number(text) * spec.timestampScale;
            if (v - v !== 0) {
              flag(row, 1, r, text);
              v = NaN;
            }
          }
        } else {
          v = toNumber(text);
          if (v - v !== 0) {
            flag(row, 1, r, text);
            v = NaN;
          }
        }
        vals[r * cap + row] = v;
      }
    },
    finish(): ConvertedChunk {
      let values = vals;
      if (cap !== n) {
        values = new Float64Array(roles * n);
        for (let r = 0; r < roles; r++) values.set(vals.subarray(r * cap, r * cap + n), r * n);
      }
      return {
        n,
        lines,
        values,
        flags: flags ? (flags as Uint8Array).slice(0, n) : null,
        issues,
        rowLines: lineOf ? (lineOf as Int32Array).slice(0, n) : null,
      };
    },
  };
}
