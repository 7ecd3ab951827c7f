import { parse } from 'csv-parse/sync';
import { initParser } from 'udsv';
import { describe, expect, it } from 'vitest';
import { type ConvertedChunk, makeRecordConverter } from '../../../../src-main/domains/orderbook/io/csvConvert';
import { type UdsvInit, parseChunkUdsv } from '../../../../src-main/domains/orderbook/io/csvFast';

/**
 * The uDSV fast path must give exactly what the csv-parse path gives (same converter) for a plain grid, and
 * must refuse (null: the chunk is parsed again by csv-parse) every chunk where uDSV's unquoted parser would
 * lose the line structure: blank lines, rows with too few or too many cells.
 */

const spec = { columns: [0, 1, 3, 2], width: 4, timestampRole: -1, timestampScale: 1 };
const fast = (text: string, s = spec, delimiter = ','): ConvertedChunk | null =>
  parseChunkUdsv(initParser as unknown as UdsvInit, makeRecordConverter, text, s, delimiter, 4);
const slow = (text: string, s = spec, delimiter = ','): ConvertedChunk => {
  const conv = makeRecordConverter(s, 4);
  for (const rec of parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false }) as string[][]) conv.push(rec);
  return conv.finish();
};

describe('uDSV fast path for CSV chunks', () => {
  it('converts a plain grid exactly as the csv-parse path does', () => {
    const text = '5,0,1.000600,1.001150\n5,1,1.0008,1.00095\n6,599,-2.5e-3,7\n';
    const out = fast(text)!;
    expect(out).not.toBeNull();
    expect(out).toEqual(slow(text));
    expect(out.n).toBe(3);
    expect(out.lines).toBe(3);
    expect(Array.from(out.values.subarray(0, 3))).toEqual([5, 5, 6]);
    expect(Array.from(out.values.subarray(6, 9))).toEqual([1.00115, 1.00095, 7]);
    expect(out.values[11]).toBe(-0.0025);
  });

  it('accepts a last line without a line break, CRLF line ends and other delimiters', () => {
    expect(fast('1,2,3,4\n5,6,7,8')).toEqual(slow('1,2,3,4\n5,6,7,8\n'));
    const crlf = fast('1,2,3,4\r\n5,6,7,\r\n')!;
    expect(Array.from(crlf.values)).toEqual([1, 5, 2, 6, 4, NaN, 3, 7]);
    expect(crlf.flags).toBeNull();
    expect(fast('1;2;3;4\n', spec, ';')).toEqual(slow('1;2;3;4\n', spec, ';'));
    expect(fast('1\t2\t3\t4\n', spec, '\t')).toEqual(slow('1\t2\t3\t4\n', spec, '\t'));
  });

  it('flags non-numeric and empty cells as the csv-parse path does (text kept, UTF-8 included)', () => {
    const text = '1,abc,3,4\n5,,7,8\n9,10,é,12\n';
    const out = fast(text)!;
    expect(out).toEqual(slow(text));
    expect(out.issues).toEqual([
      { row: 0, role: 1, text: 'abc' },
      { row: 2, role: 3, text: 'é' },
    ]);
    expect(out.values[4]).toBeNaN(); // role 1 (column 1) of row 1: empty
  });

  it('refuses blank lines, short rows and long rows (csv-parse then reports them by line)', () => {
    expect(fast('1,2,3,4\n\n5,6,7,8\n')).toBeNull();
    expect(fast('1,2,3,4\n5,6,7\n9,10,11,12\n')).toBeNull();
    expect(fast('1,2,3,4\n5,6,7,8,9\n')).toBeNull();
    expect(fast('1,2,3,4\n5,6\n')).toBeNull(); // a short LAST row: uDSV would start over from the chunk's start
    expect(fast('5\n')).toBeNull();
    expect(fast('1,2,3,4\n5,6,7,8\n9\n')).toBeNull();
    expect(fast('1,2\n3,4\n')).toBeNull(); // two short rows that would pair up into one of four cells
    expect(slow('1,2,3,4\n5,6\n').flags).not.toBeNull();
  });

  it('returns an empty chunk for empty text', () => {
    expect(fast('')).toMatchObject({ n: 0, lines: 0 });
  });
});
