import { describe, expect, it } from 'vitest';
import { FLAG_NON_NUMERIC } from '../../../../src-main/engine/orderbook/batch';
import { LobsterConverter, lobsterBookColumns, lobsterPartnerName, parseLobsterName } from '../../../../src-main/engine/orderbook/lobster';

/** The pure parts of the LOBSTER reader (engine/orderbook/lobster.ts): file names, column order, conversion. */
describe('LOBSTER file names', () => {
  it('parse ticker, date, session and levels, and name the partner file', () => {
    expect(parseLobsterName('AAPL_2012-06-21_34200000_57600000_orderbook_10.csv')).toEqual({ ticker: 'AAPL', date: '2012-06-21', startMs: 34200000, endMs: 57600000, kind: 'orderbook', levels: 10 });
    expect(parseLobsterName('BRK.B_2019-01-02_0_86400000_message_1.csv')).toMatchObject({ ticker: 'BRK.B', kind: 'message', levels: 1 });
    expect(parseLobsterName('book.csv')).toBeNull();
    expect(parseLobsterName('AAPL_2012-06-21_34200000_57600000_trades_10.csv')).toBeNull();
    expect(lobsterPartnerName('AAPL_2012-06-21_34200000_57600000_message_5.csv')).toBe('AAPL_2012-06-21_34200000_57600000_orderbook_5.csv');
    expect(lobsterPartnerName('AAPL_2012-06-21_34200000_57600000_orderbook_5.csv')).toBe('AAPL_2012-06-21_34200000_57600000_message_5.csv');
  });

  it('read the orderbook columns as bid prices, bid sizes, ask prices, ask sizes (file order ask p, ask s, bid p, bid s)', () => {
    expect(lobsterBookColumns(2)).toEqual([2, 6, 3, 7, 0, 4, 1, 5]);
  });
});

describe('LobsterConverter', () => {
  const conv = () => new LobsterConverter({ levels: 1, bucketSeconds: 60, startSecond: 100, messageFile: 'm.csv', bookFile: 'o.csv', skipBadRows: false });
  const slice = (msgs: number[][], books: number[][]) => ({
    n: msgs.length,
    rows: Int32Array.from(msgs, (_, i) => i + 1),
    message: [0, 1, 2, 3, 4].map((c) => Float64Array.from(msgs, (m) => m[c])),
    book: lobsterBookColumns(1).map((c) => Float64Array.from(books, (b) => b[c])),
    messageFlags: null,
    messageIssues: [],
    bookFlags: null,
    bookIssues: [],
  });

  it('puts the time on the session clock, divides prices by 10,000 and counts events per bucket', () => {
    const c = conv();
    // time, type, size, price, direction; book: ask p, ask s, bid p, bid s
    const b = c.convert(slice([[100.5, 1, 10, 1000000, 1], [170, 4, 3, 1001000, -1]], [[1001000, 5, 1000000, 10], [1001000, 2, 1000000, 10]]));
    expect(b.n).toBe(2);
    expect(Array.from(b.cols[0])).toEqual([0.5, 70]);
    expect(Array.from(b.cols[1])).toEqual([100, 100]); // bid price in dollars
    expect(Array.from(b.cols[3])).toEqual([100.1, 100.1]);
    expect(c.bucketList().map((x) => [x.timeId, x.events[0], x.events[3], x.visibleVolume, x.trades])).toEqual([
      [0, 1, 0, 0, 0],
      [1, 0, 1, 3, 1],
    ]);
  });

  it('fails on an event type outside 1..7, and on a non-numeric cell, naming file, row and column', () => {
    expect(() => conv().convert(slice([[101, 8, 1, 1, 1]], [[1001000, 5, 1000000, 10]]))).toThrow(/^m\.csv, row 1 \(line 1\), column event type \(column 2\): event types are 1 to 7/);
    const s = slice([[101, 1, 1, 1, 1]], [[1001000, NaN, 1000000, 10]]);
    const flagged = { ...s, bookFlags: Uint8Array.of(FLAG_NON_NUMERIC), bookIssues: [{ row: 0, role: 3, text: 'n/a' }] };
    expect(() => conv().convert(flagged)).toThrow('o.csv, row 1 (line 1), column ask size 1 (column 2): expected a number, found "n/a"');
  });
});
