import { initParser } from 'udsv';
import { describe, expect, it } from 'vitest';
import { parseNumericChunk } from '../../../../src-main/domains/orderbook/io/csvBytes';
import { type ConvertSpec, type ConvertedChunk, makeRecordConverter } from '../../../../src-main/domains/orderbook/io/csvConvert';
import { type UdsvInit, parseChunkUdsv } from '../../../../src-main/domains/orderbook/io/csvFast';
import { parseCsvChunk } from '../../../../src-main/domains/orderbook/io/csvTask';

/**
 * The byte-level numeric parser (csvBytes.ts) must give exactly what the uDSV + record-converter path gives
 * (values bit for bit, flags, issue texts), and must refuse (null) every chunk that is not a plain grid, so that
 * the old path words those errors as before. The reference for every number is JavaScript's own Number().
 */

const spec: ConvertSpec = { columns: [0, 1, 3, 4, 5], width: 6, timestampRole: -1, timestampScale: 1 };
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const fast = (text: string, s = spec, delimiter = ','): ConvertedChunk | null => parseNumericChunk(bytes(text), s, delimiter);
const reference = (text: string, s = spec, delimiter = ','): ConvertedChunk | null =>
  parseChunkUdsv(initParser as unknown as UdsvInit, makeRecordConverter, text, s, delimiter, 4);
/** Values as bit patterns, so that -0 / NaN / the last ulp all count. */
const bits = (c: ConvertedChunk): string[] => Array.from(c.values, (v) => (Object.is(v, -0) ? '-0' : String(v)));

describe('byte-level numeric CSV parser', () => {
  it('reads a LOBSTER message chunk as Number() does, role-major', () => {
    const text = '34200.004241176,1,16113575,18,5853300,1\n34200.025552080,5,0,1,5859400,-1\n';
    const out = fast(text)!;
    expect(out.n).toBe(2);
    expect(out.lines).toBe(2);
    expect(out.flags).toBeNull();
    expect(out.rowLines).toBeNull();
    // Role r of row i at values[r * n + i]; column 2 (order id) is not converted.
    expect(Array.from(out.values)).toEqual([Number('34200.004241176'), Number('34200.025552080'), 1, 5, 18, 1, 5853300, 5859400, 1, -1]);
    expect(out.values[0]).toBe(34200.004241176);
    expect(bits(out)).toEqual(bits(reference(text)!));
  });

  it('handles CRLF, a missing final line break, and the `;` separator', () => {
    for (const text of ['1.5,2,x,3,4,5\r\n6,7,y,8,9,-10\r\n', '1.5,2,x,3,4,5\n6,7,y,8,9,-10', '1.5,2,x,3,4,5\r\n6,7,y,8,9,-10\r', '1.5,2,x,3,4,5\r\n6,7,y,8,9,-10']) {
      const out = fast(text)!;
      expect(out, JSON.stringify(text)).not.toBeNull();
      expect(out.n).toBe(2);
      expect(Array.from(out.values)).toEqual([1.5, 6, 2, 7, 3, 8, 4, 9, 5, -10]);
      expect(out).toEqual(reference(text));
    }
    const semi = '1;2;3;4;5;6\n7;8;9;10;11;12\n';
    expect(fast(semi, spec, ';')).toEqual(reference(semi, spec, ';'));
    expect(Array.from(fast(semi, spec, ';')!.values.subarray(0, 2))).toEqual([1, 7]);
  });

  it('falls back to Number() for long, exponent, signed and spaced cells, and gives -0 for -0', () => {
    const cells = ['12345678901234567890.5', '0.1234567890123456789', '1e5', '-2.5E-3', '+3', ' 4 ', '5.', '.25', '-.5', '-0', '0x10', '9007199254740993', '1.00000000000000000000001'];
    const text = cells.map((c) => `${c},1,1,1,1,1`).join('\n') + '\n';
    const out = fast(text)!;
    expect(out.flags).toBeNull();
    expect(Array.from(out.values.subarray(0, cells.length)).map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(
      cells.map((c) => (Object.is(Number(c), -0) ? '-0' : String(Number(c)))),
    );
    expect(bits(out)).toEqual(bits(reference(text)!));
  });

  it('flags a non-numeric cell with its text as written (a CRLF last cell keeps its \\r), an empty cell is NaN unflagged', () => {
    const text = '1,2,3,abc,5,6\r\n1,2,3,4,5,x\r\n1,,3,4,5,6\r\n1,2,3,4,5,Infinity\r\n';
    const out = fast(text)!;
    expect(Array.from(out.flags!)).toEqual([1, 1, 0, 1]);
    expect(out.issues).toEqual([
      { row: 0, role: 2, text: 'abc' },
      { row: 1, role: 4, text: 'x\r' },
      { row: 3, role: 4, text: 'Infinity\r' },
    ]);
    expect(Number.isNaN(out.values[1 * 4 + 2])).toBe(true);
    expect(out).toEqual(reference(text));
  });

  it('does not read the cells of columns it does not convert', () => {
    const text = '1,2,not a number,4,5,6\n';
    expect(fast(text)!.flags).toBeNull();
  });

  it('refuses chunks that are not a plain grid (the old path then words the error)', () => {
    expect(fast('1,2,3,4,5,6\n\n1,2,3,4,5,6\n')).toBeNull(); // blank line
    expect(fast('1,2,3,4,5,6\r\n\r\n1,2,3,4,5,6\r\n')).toBeNull(); // blank CRLF line
    expect(fast('1,2,3,4,5\n1,2,3,4,5,6\n')).toBeNull(); // short row
    expect(fast('1,2,3,4,5,6,7\n')).toBeNull(); // long row
    expect(fast('1,2,3,4,5,6\n1,2,3,4,5,6,\n')).toBeNull(); // trailing separator
    expect(fast('1,2,3,4,5,6\n', { ...spec, timestampRole: 0 })).toBeNull();
    expect(fast('1,2,3,4,5,6\n', spec, '.')).toBeNull();
    expect(fast('1,2\n', { ...spec, width: 1, columns: [0] })).toBeNull();
  });

  it('matches Number() bit for bit on 20,000 random decimals (1..19 digits, any point position, either sign)', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const cells: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const nd = 1 + Math.floor(rnd() * 19);
      let digits = '';
      for (let k = 0; k < nd; k++) digits += String(Math.floor(rnd() * 10));
      const at = Math.floor(rnd() * (nd + 1));
      let cell = rnd() < 0.8 ? `${digits.slice(0, at)}.${digits.slice(at)}` : digits;
      if (cell === '.') cell = '0';
      if (rnd() < 0.3) cell = `-${cell}`;
      cells.push(cell);
    }
    // Four cells a row in converted columns 0, 1, 3, 4; the rest filler.
    const rows: string[] = [];
    for (let i = 0; i < cells.length; i += 4) rows.push(`${cells[i]},${cells[i + 1]},0,${cells[i + 2]},${cells[i + 3]},1`);
    const out = fast(rows.join('\n') + '\n')!;
    expect(out.flags).toBeNull();
    const n = out.n;
    let mismatches = 0;
    for (let i = 0; i < cells.length; i++) {
      const row = i >> 2;
      const role = i & 3;
      if (!Object.is(out.values[role * n + row], Number(cells[i]))) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('is used by the parser threads for a numericGrid spec, and the old path takes over for a broken chunk', async () => {
    const ok = await parseCsvChunk({ bytes: bytes('1,2,3,4,5,6\n'), spec: { ...spec, numericGrid: true }, delimiter: ',', capacity: 1 });
    expect(ok.via).toBe('bytes');
    const broken = await parseCsvChunk({ bytes: bytes('1,2,3,4,5,6\n1,2\n'), spec: { ...spec, numericGrid: true }, delimiter: ',', capacity: 2 });
    expect(broken.via).toBe('csv-parse');
    expect(Array.from(broken.flags!)).toEqual([0, 2]);
    const plain = await parseCsvChunk({ bytes: bytes('1,2,3,4,5,6\n'), spec, delimiter: ',', capacity: 1 });
    expect(plain.via).toBe('udsv');
  });
});
