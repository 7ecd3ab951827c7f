import { afterAll, describe, expect, it } from 'vitest';
import { CsvParsePool } from '../../../../src-main/domains/orderbook/io/csvPool';

/**
 * The parser threads as the import uses them: a plain chunk goes through uDSV, a chunk with a blank line or a
 * short row through csv-parse (which keeps the line structure), with the same values either way.
 */

const spec = { columns: [1, 0], width: 3, timestampRole: -1, timestampScale: 1 };
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
const pool = new CsvParsePool(2);
afterAll(() => pool.close());

describe('CSV parser threads', () => {
  it('parse a plain chunk with uDSV', async () => {
    const out = await pool.parse(bytes('1,2.5,x\n3,4.25,y\n'), spec, ',');
    expect(out.via).toBe('udsv');
    expect(out.n).toBe(2);
    expect(Array.from(out.values)).toEqual([2.5, 4.25, 1, 3]);
  });

  it('hand a chunk that is not a plain grid to csv-parse, keeping lines and flags', async () => {
    const blank = await pool.parse(bytes('1,2.5,x\n\n3,4.25,y\n'), spec, ',');
    expect(blank.via).toBe('csv-parse');
    expect(blank).toMatchObject({ n: 2, lines: 3 });
    expect(Array.from(blank.rowLines!)).toEqual([0, 2]);
    expect(Array.from(blank.values)).toEqual([2.5, 4.25, 1, 3]);
    const short = await pool.parse(bytes('1,2.5,x\n3,4.25\n5,6,z\n'), spec, ',');
    expect(short.via).toBe('csv-parse');
    expect(short.issues).toEqual([{ row: 1, role: -1, text: '2/3' }]);
  });

  it('runs many chunks at once and returns each its own result', async () => {
    const chunks = Array.from({ length: 24 }, (_, k) => Array.from({ length: 500 }, (_, i) => `${k},${i}.5,t`).join('\n'));
    const outs = await Promise.all(chunks.map((c) => pool.parse(bytes(c), spec, ',')));
    outs.forEach((o, k) => {
      expect(o.via).toBe('udsv');
      expect(o.n).toBe(500);
      expect(o.values[499]).toBe(499.5);
      expect(o.values[500]).toBe(k);
    });
  });
});
