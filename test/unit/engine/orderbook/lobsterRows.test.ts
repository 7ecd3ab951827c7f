import { describe, expect, it } from 'vitest';
import { ROW_OK, ROW_ONE_SIDED, compactColumns, parseCompactLobsterBook } from '../../../../src-main/engine/orderbook/lobsterRows';

/**
 * The parser threads' one-pass read of a LOBSTER orderbook chunk (lobsterRows.ts): cells are read as csvBytes.ts
 * reads them (plain decimals only; anything else sends the chunk to the general parser: null), rows compacted
 * with the accumulator's formulas. Values by hand from the rows written here (1 level: ask price, ask size, bid
 * price, bid size; prices x 10,000).
 */
const COMMA = 44;
const parse = (text: string, L = 1) => parseCompactLobsterBook(new Uint8Array(Buffer.from(text)), L, COMMA);

describe('parseCompactLobsterBook', () => {
  it('compacts a row: level-1 WAP, depth, spread, prices / 10,000', () => {
    const c = parse('1001000,5,1000000,10\n')!;
    expect(c.n).toBe(1);
    const col = compactColumns(c);
    expect(col.status[0]).toBe(ROW_OK);
    // wap1 = (bid x ask size + ask x bid size) / (sizes) = (100 x 5 + 100.1 x 10) / 15; one level: wap = mean of sides.
    expect(col.wap1[0]).toBe((100 * 5 + 100.1 * 10) / 15);
    expect(col.wap[0]).toBe(0.5 * ((100 * 10) / 10 + (100.1 * 5) / 5));
    expect(col.logWap1[0]).toBe(Math.log(col.wap1[0]));
    expect(col.depth[0]).toBe(15);
    expect(col.spreadBp[0]).toBe((2e4 * (100.1 - 100)) / (100.1 + 100));
    expect(col.bid1[0]).toBe(Math.fround(100));
    expect(col.ask1[0]).toBe(Math.fround(100.1));
  });

  it('reads cells as Number() does on the plain forms: "10.", "5.0", CRLF, a dummy level', () => {
    const a = compactColumns(parse('1001000,5,1000000,10\n1001000,5,1000000,10\n')!);
    const b = compactColumns(parse('1001000,5.0,1000000,10.\r\n1001000.00,5,1000000,10\r\n')!);
    expect(Array.from(b.wap)).toEqual(Array.from(a.wap));
    expect(Array.from(b.depth)).toEqual(Array.from(a.depth));
    const two = compactColumns(parse('1001000,5,1000000,10,9999999999,0,-9999999999,0\n', 2)!);
    expect(two.status[0]).toBe(ROW_OK);
    expect(two.depth[0]).toBe(15); // the empty second level adds nothing
    expect(compactColumns(parse('9999999999,0,1000000,10\n')!).status[0]).toBe(ROW_ONE_SIDED);
  });

  it('leaves to the general parser what it does not read: text, exponents, signs, 16+ digits, a bare ".", a short row, no final line break, a crossed book', () => {
    for (const bad of ['1001000,x,1000000,10\n', '1001000,5e0,1000000,10\n', '1001000,+5,1000000,10\n', '1001000,12345678901234567,1000000,10\n', '1001000,.,1000000,10\n', '1001000,5,1000000\n', '1001000,5,1000000,10', '1000000,5,1001000,10\n', '']) {
      expect(parse(bad)).toBeNull();
    }
  });
});
