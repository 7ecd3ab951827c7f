import { type ConvertSpec, type ConvertedChunk } from './csvConvert';

/**
 * Byte-level parsing of a chunk of an all-numeric, unquoted CSV (the headerless LOBSTER pair, issue 15): the
 * chunk's bytes are read once, left to right, and each cell of a converted column is turned into a double as it
 * is read, straight into a preallocated role-major Float64Array: no UTF-8 decoding of the chunk, no per-cell
 * strings, no per-row arrays. It replaces uDSV splitting + `makeRecordConverter` (csvFast.ts, csvConvert.ts)
 * with identical results:
 *
 * - a plain decimal cell `[-]digits[.digits]` (at least one digit) whose digits, read as an integer m, are below
 *   2^53 (so at least every cell of up to 15 significant digits), with at most 22 digits after the point, is
 *   m / 10^k: m and 10^k (k <= 22) are exact doubles, so the one IEEE division is correctly rounded, i.e. bit
 *   for bit `Number(text)` (Clinger's fast path; W. D. Clinger, "How to read floating point numbers
 *   accurately", PLDI 1990);
 * - any other cell (more digits, exponents, `+`, spaces, text...) is decoded and given the converter's own
 *   treatment: blank -> NaN, else `Number(text)`, and a non-finite result is NaN and flags the row (flag 1) with
 *   the cell's text as written (a CRLF file's last cell keeps its `\r`, as uDSV returns it);
 * - a chunk that is not a plain grid of `spec.width` cells on every line (a blank line, a short or long row)
 *   returns null: the caller then parses it with uDSV / csv-parse, which locate and word those problems exactly
 *   as before.
 *
 * Timestamp roles are not handled here (null for a spec with one): the LOBSTER specs have none.
 */

const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const TWO53 = 2 ** 53;

/**
 * Parse one chunk of whole lines (a missing final line break is allowed) of an unquoted numeric CSV.
 *
 * @param bytes the chunk (UTF-8; only ASCII is read on the fast path)
 * @param spec columns to convert (`spec.columns[r]` is the cell index of role r) and cells per line
 * @param delimiter one ASCII character
 * @returns the converted chunk (`values[r * n + i]` is role r of row i), or null when the chunk is not a plain
 *   grid of `spec.width` cells per line, the delimiter is not one ASCII character, or the spec has a timestamp
 */
export function parseNumericChunk(bytes: Uint8Array, spec: ConvertSpec, delimiter: string): ConvertedChunk | null {
  const width = spec.width;
  const roles = spec.columns.length;
  if (width < 2 || delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || spec.timestampRole >= 0) return null;
  const d = delimiter.charCodeAt(0);
  if (d === 10 || d === 13 || d === 45 || d === 46 || (d >= 48 && d <= 57)) return null;
  const roleOf = new Int32Array(width).fill(-1);
  for (let r = 0; r < roles; r++) {
    const c = spec.columns[r];
    if (c < 0 || c >= width || roleOf[c] !== -1) return null;
    roleOf[c] = r;
  }
  // Indexing goes through a plain Uint8Array (one element kind for the JIT); the Buffer view is for indexOf
  // (memchr) and toString.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const buf = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buf.length;
  let lines = 0;
  for (let p = text.indexOf(10); p !== -1; p = text.indexOf(10, p + 1)) lines++;
  if (end > 0 && buf[end - 1] !== 10) lines++;
  const n = lines;
  const vals = new Float64Array(roles * n);
  let flags: Uint8Array | null = null;
  const issues: Array<{ row: number; role: number; text: string }> = [];
  const last = width - 1;
  let p = 0;
  for (let row = 0; row < n; row++) {
    for (let c = 0; c < width; c++) {
      const start = p;
      const r = roleOf[c];
      let ch: number;
      if (r >= 0) {
        // Fast path: [-]digits[.digits].
        let q = p;
        const neg = q < end && buf[q] === 45;
        if (neg) q++;
        let m = 0;
        let nd = 0;
        let k = 0;
        let dot = false;
        for (; q < end; q++) {
          const b = buf[q];
          if (b >= 48 && b <= 57) {
            m = m * 10 + (b - 48);
            nd++;
            if (dot) k++;
          } else if (b === 46 && !dot) dot = true;
          else break;
        }
        ch = q < end ? buf[q] : -1;
        const endsCell = c < last ? ch === d : ch === 10 || ch === -1 || (ch === 13 && (q + 1 === end || buf[q + 1] === 10));
        if (endsCell && nd > 0 && m < TWO53 && k <= 22) {
          const v = k === 0 ? m : m / POW10[k];
          vals[r * n + row] = neg ? -v : v;
          if (ch === 13) {
            p = q + 1; // CRLF (or a last line ending in CR): the \r is not part of the number
            ch = p < end ? buf[p] : -1;
          } else p = q;
        } else {
          // Any other cell: find its end, decode it and convert it as csvConvert.ts does.
          while (q < end && buf[q] !== d && buf[q] !== 10) q++;
          const cell = text.toString('utf8', start, q);
          p = q;
          ch = q < end ? buf[q] : -1;
          let v: number;
          if (cell === '' || (cell.charCodeAt(0) <= 32 && cell.trim() === '')) v = NaN;
          else {
            v = Number(cell);
            if (v - v !== 0) {
              v = NaN;
              if (!flags) flags = new Uint8Array(n);
              if (flags[row] === 0) issues.push({ row, role: r, text: cell });
              flags[row] |= 1;
            }
          }
          vals[r * n + row] = v;
        }
      } else {
        let q = p;
        while (q < end && buf[q] !== d && buf[q] !== 10) q++;
        p = q;
        ch = q < end ? buf[q] : -1;
      }
      // p is at the cell's end: the delimiter, the line break, or the end of the chunk.
      if (c < last) {
        if (ch !== d) return null; // too few cells on this line (or a blank line)
        p++;
      } else {
        if (ch === d) return null; // too many cells on this line
        if (ch === 10) p++;
      }
    }
  }
  if (p !== end) return null;
  return { n, lines, values: vals, flags, issues, rowLines: null };
}
