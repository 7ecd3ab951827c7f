import { describe, expect, it } from 'vitest';
import { type BucketResult, BookAccumulator } from '../../../../src-main/engine/orderbook/accumulate';
import { type BookBatch, FLAG_CELL_COUNT, FLAG_NON_NUMERIC, rolePlan } from '../../../../src-main/engine/orderbook/batch';
import { BookInputError } from '../../../../src-main/engine/orderbook/errors';
import { realisedVol } from '../../../../src-main/engine/orderbook/realisedVol';
import { rowProblem } from '../../../../src-main/engine/orderbook/validate';

const mapping = {
  layout: 'competition' as const,
  levels: 2,
  timeId: 'time_id',
  secondsInBucket: 'seconds_in_bucket',
  bidPrice: ['bid_price1', 'bid_price2'],
  bidSize: ['bid_size1', 'bid_size2'],
  askPrice: ['ask_price1', 'ask_price2'],
  askSize: ['ask_size1', 'ask_size2'],
};
const plan = rolePlan(mapping);
type Row = [number, number, number, number, number, number, number, number, number, number];
// role order: time_id, seconds, bid_price1, bid_price2, bid_size1, bid_size2, ask_price1, ask_price2, ask_size1, ask_size2
const good = (t: number, s: number, mid = 1): Row => [t, s, mid - 0.001, mid - 0.002, 100, 200, mid + 0.001, mid + 0.002, 150, 50];

function batch(rows: Row[], extra: Partial<BookBatch> = {}): BookBatch {
  const cols = Array.from({ length: 10 }, (_, r) => Float64Array.from(rows, (row) => row[r]));
  return { n: rows.length, firstRow: 1, lineOffset: 1, cols, flags: null, issues: [], ...extra };
}

function run(rows: Row[], skip = false, extra: Partial<BookBatch> = {}) {
  const buckets: BucketResult[] = [];
  const acc = new BookAccumulator({ skipBadRows: skip, onBucket: (b) => buckets.push(b) });
  acc.beginFile('stock_id=3/part-0.csv', plan, 3);
  acc.add(batch(rows, extra));
  acc.endFile();
  return { acc, buckets };
}

function problem(rows: Row[], extra: Partial<BookBatch> = {}): BookInputError {
  try {
    run(rows, false, extra);
  } catch (e) {
    if (e instanceof BookInputError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('accumulating book rows into buckets', () => {
  it('groups rows by time_id, computes both WAPs per row and the bucket statistics', () => {
    const rows = [good(5, 0, 1), good(5, 1, 1.001), good(5, 7, 0.999), good(11, 0, 1.01), good(11, 3, 1.012)];
    const { acc, buckets } = run(rows);
    expect(buckets.map((b) => [b.stockId, b.timeId, b.rows])).toEqual([
      [3, 5, 3],
      [3, 11, 2],
    ]);
    const b = buckets[0];
    // P_bid = ((m-0.001)*100 + (m-0.002)*200)/300 = m - 0.005/3; P_ask = ((m+0.001)*150 + (m+0.002)*50)/200 = m + 0.00125
    expect(b.wap[0]).toBeCloseTo(1 + 0.5 * (0.00125 - 0.005 / 3), 14);
    // level 1: (bid1*150 + ask1*100)/250 with bid1 = 0.999, ask1 = 1.001 -> 0.9998
    expect(b.wap1[0]).toBeCloseTo((0.999 * 150 + 1.001 * 100) / 250, 14);
    expect(Array.from(b.seconds)).toEqual([0, 1, 7]);
    expect(b.rv).toBeCloseTo(realisedVol(b.wap), 15);
    expect(b.rv1).toBeCloseTo(realisedVol(b.wap1), 15);
    expect(b.spreadBp).toBeCloseTo((20 / 1 + 20 / 1.001 + 20 / 0.999) / 3, 8); // (0.002/mid) in bp
    expect(b.depthMean).toBe(500);
    expect([b.firstSecond, b.lastSecond]).toEqual([0, 7]);
    expect(b.wapOpen).toBe(b.wap[0]);
    expect(b.wapClose).toBe(b.wap[2]);
    expect(acc.accepted).toBe(5);
    expect(acc.buckets).toBe(2);
  });

  it('accepts a missing deeper level (both cells empty) and leaves it out of the WAP', () => {
    const row = good(5, 0);
    row[3] = NaN; // bid_price2
    row[5] = NaN; // bid_size2
    const { buckets } = run([row]);
    // P_bid = bid1 = 0.999
    expect(buckets[0].wap[0]).toBeCloseTo(0.5 * (0.999 + 1.00125), 14);
  });
});

describe('bad rows: the default stops at the first one, naming file, row and column', () => {
  const cases: Array<[string, (r: Row) => void, string, RegExp]> = [
    ['a zero size', (r) => (r[4] = 0), 'bid_size1', /sizes must be > 0, found 0/],
    ['a negative size', (r) => (r[9] = -5), 'ask_size2', /sizes must be > 0, found -5/],
    ['a zero price', (r) => (r[6] = 0), 'ask_price1', /prices must be > 0/],
    ['a negative price', (r) => (r[3] = -1), 'bid_price2', /prices must be > 0/],
    ['an empty level-1 cell', (r) => (r[2] = NaN), 'bid_price1', /level 1 of the bid side must be present/],
    ['half a deeper level', (r) => (r[7] = NaN), 'ask_price2', /the cell is empty but ask_size2 is not/],
    ['a crossed book', (r) => (r[2] = 1.0015), 'bid_price1', /crossed book: bid_price1 = 1.0015 is not below ask_price1 = 1.001/],
    ['a locked book (bid = ask)', (r) => (r[2] = 1.001), 'bid_price1', /crossed book/],
    ['a fractional time_id', (r) => (r[0] = 5.5), 'time_id', /time_id must be a whole number/],
  ];
  it.each(cases)('%s', (_, spoil, column, message) => {
    const rows = [good(5, 0), good(5, 1), good(5, 2)];
    spoil(rows[1]);
    const e = problem(rows);
    expect(e.location).toMatchObject({ file: 'stock_id=3/part-0.csv', row: 2, line: 3, column });
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/^stock_id=3\/part-0\.csv, row 2 \(line 3\), column /);
    expect(e.message).toMatch(/skip bad rows/);
  });

  it('seconds going back within a bucket are kept in file order and reported (spec: non-increasing times)', () => {
    const { acc, buckets } = run([good(5, 0), good(5, 9), good(5, 4), good(5, 4), good(5, 2)], false);
    expect(acc.accepted).toBe(5);
    expect(Array.from(buckets[0].seconds)).toEqual([0, 9, 4, 4, 2]);
    expect(acc.backwardTimes).toBe(2);
    expect(acc.firstBackward).toMatchObject({ row: 3, time: 4, previous: 9, timeId: 5 });
    expect(acc.duplicateTimes).toBe(1);
    expect(acc.firstDuplicate).toMatchObject({ row: 4, time: 4, previous: 4 });
  });

  it('a time_id going back', () => {
    const e = problem([good(5, 0), good(11, 0), good(7, 0)]);
    expect(e.location).toMatchObject({ row: 3, column: 'time_id', code: 'unsorted-time' });
  });

  it('non-numeric cells and wrong cell counts flagged by the reader', () => {
    const rows = [good(5, 0), good(5, 1), good(5, 2)];
    const flags = new Uint8Array(3);
    flags[1] = FLAG_NON_NUMERIC;
    const e = problem(rows, { flags, issues: [{ row: 1, role: 8, text: 'abc' }] });
    expect(e.location).toMatchObject({ row: 2, column: 'ask_size1', code: 'non-numeric' });
    expect(e.message).toMatch(/expected a finite number, found "abc"/);
    flags[1] = FLAG_CELL_COUNT;
    const e2 = problem(rows, { flags, issues: [{ row: 1, role: -1, text: '9/10' }] });
    expect(e2.location).toMatchObject({ row: 2, column: null, code: 'wrong-cell-count' });
    expect(e2.message).toMatch(/the row has 9 cells, the header has 10/);
  });

  it('uses the reader row numbers when lines were skipped', () => {
    const rows = [good(5, 0), good(5, 0)];
    rows[1][4] = -1;
    const e = problem(rows, { rowNumbers: Int32Array.from([1, 5]) });
    expect(e.location).toMatchObject({ row: 5, line: 6 });
  });
});

describe('skip bad rows', () => {
  it('keeps the good rows and counts the bad ones by reason, with examples', () => {
    const rows = [good(5, 0), good(5, 1), good(5, 2), good(5, 3), good(5, 1), good(11, 0)];
    rows[1][4] = 0; // size
    rows[2][2] = 1.5; // crossed
    const { acc, buckets } = run(rows, true);
    expect(acc.rows).toBe(6);
    // Row 5 goes back in time inside its bucket: kept (and counted), not rejected.
    expect(acc.accepted).toBe(4);
    expect(acc.rejected).toBe(2);
    expect(acc.backwardTimes).toBe(1);
    expect(acc.reasons).toEqual({ 'size-not-positive': 1, 'crossed-book': 1 });
    expect(acc.examples.map((x) => [x.row, x.column, x.code])).toEqual([
      [2, 'bid_size1', 'size-not-positive'],
      [3, 'bid_price1', 'crossed-book'],
    ]);
    expect(buckets.map((b) => b.rows)).toEqual([3, 1]);
  });

  it('refuses a bucket already closed (e.g. split over two files of the same stock)', () => {
    const buckets: BucketResult[] = [];
    const acc = new BookAccumulator({ skipBadRows: false, onBucket: (b) => buckets.push(b) });
    acc.beginFile('a.csv', plan, 1);
    acc.add(batch([good(5, 0), good(6, 0)]));
    acc.endFile();
    acc.beginFile('b.csv', plan, 1);
    expect(() => acc.add(batch([good(6, 10)]))).toThrow(/b\.csv, row 1 \(line 2\), column time_id: bucket 6 of stock 1 was already read/);
  });
});

describe('the fast check of plain rows', () => {
  it('accepts exactly the rows validate.ts accepts (random cells: empty, zero, negative, crossed, fractional time)', () => {
    let x = 7;
    const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    const cell = (v: number): number => {
      const u = rnd();
      return u < 0.04 ? NaN : u < 0.06 ? 0 : u < 0.08 ? -v : u < 0.09 ? Infinity : v;
    };
    const rows: Row[] = [];
    for (let i = 0; i < 4000; i++) {
      const r = good(5, i);
      const bad = rnd() < 0.5;
      const row = (bad ? r.map((v, k) => (k === 1 ? v : cell(v))) : r) as Row;
      if (bad && rnd() < 0.05) row[0] = 5.5;
      if (bad && rnd() < 0.05) [row[2], row[6]] = [row[6], row[2]]; // crossed
      if (bad && rnd() < 0.1) [row[3], row[5]] = [NaN, NaN]; // a missing level 2 on the bid side: fine
      rows.push(row);
    }
    const b = batch(rows);
    const expected: Record<string, number> = {};
    for (let i = 0; i < rows.length; i++) {
      const p = rowProblem(b, plan, i);
      if (p) expected[p.code] = (expected[p.code] ?? 0) + 1;
    }
    const { acc } = run(rows, true);
    expect(Object.keys(expected).length).toBeGreaterThan(4);
    // Rows validate.ts accepts may still be dropped by the accumulator itself (a time_id of 0 or -5 goes back in
    // time; an infinite size gives a NaN WAP); a row wrongly let through by the fast check would instead change
    // the count of its validate.ts reason.
    const { 'unsorted-time': unsorted = 0, 'wap-not-positive': wap = 0, ...fromValidate } = acc.reasons;
    expect(fromValidate).toEqual(expected);
    expect(acc.accepted + acc.rejected).toBe(rows.length);
    expect(acc.accepted).toBe(rows.length - Object.values(expected).reduce((a, c) => a + c, 0) - unsorted - wap);
  });
});

describe('generic books: timestamps cut into buckets', () => {
  it('derives time_id = floor(ts / B) and the seconds within the bucket', () => {
    const gplan = rolePlan({ layout: 'generic', levels: 1, timestamp: 'ts', bidPrice: ['b'], bidSize: ['bs'], askPrice: ['a'], askSize: ['as'], bucketSeconds: 60 });
    const ts = [120.5, 150, 179.9, 180, 241];
    const cols = [Float64Array.from(ts), Float64Array.from(ts, () => 0.99), Float64Array.from(ts, () => 10), Float64Array.from(ts, () => 1.01), Float64Array.from(ts, () => 30)];
    const buckets: BucketResult[] = [];
    const acc = new BookAccumulator({ skipBadRows: false, onBucket: (b) => buckets.push(b) });
    acc.beginFile('g.csv', gplan, 0);
    acc.add({ n: 5, firstRow: 1, lineOffset: 1, cols, flags: null, issues: [] });
    acc.endFile();
    expect(buckets.map((b) => [b.timeId, Array.from(b.seconds).map((s) => Number(s.toFixed(6)))])).toEqual([
      [2, [0.5, 30, 59.9]],
      [3, [0]],
      [4, [1]],
    ]);
  });
});
