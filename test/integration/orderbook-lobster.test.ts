import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportConfig, type ImportMetrics } from '../../src-shared/orderbook/contract';
import { BookInputError } from '../../src-main/engine/orderbook/errors';
import { importBooks } from '../../src-main/domains/orderbook/importJob';
import { inspectPath } from '../../src-main/domains/orderbook/inspect';
import { openDb, type Db } from '../../src-main/store/db';
import { orderbookQueries } from '../../src-main/store/queries/orderbook';
import { tempDir } from '../helpers/tmp';
import { ASK, BID, BOOKS, END, MESSAGES, START, writePair } from '../helpers/lobster';

/**
 * LOBSTER pairs (spec orderbook.md, format 3) through the import the job runs (in-process): small message +
 * orderbook files written here with empty levels, a halt, equal and backward times, a one-sided book, a `;`
 * variant, one and two levels, several days of a ticker. Checks the rows, buckets, WAPs computed by hand from
 * the file's numbers, the halts, the per-bucket message statistics, and each bad input's error text.
 */

/** All-level WAP by hand (eqs. 31-33) from one raw orderbook row: levels with dummy prices left out. */
function wapByHand(r: number[]): { wap: number; wap1: number } {
  let bv = 0;
  let bs = 0;
  let av = 0;
  let as = 0;
  for (let k = 0; k < r.length / 4; k++) {
    const [ap, az, bp, bz] = r.slice(4 * k, 4 * k + 4);
    if (bp !== BID) {
      bv += (bp / 1e4) * bz;
      bs += bz;
    }
    if (ap !== ASK) {
      av += (ap / 1e4) * az;
      as += az;
    }
  }
  const [a1, sa1, b1, sb1] = r.slice(0, 4).map((x, i) => (i % 2 === 0 ? x / 1e4 : x));
  return { wap: 0.5 * (bv / bs + av / as), wap1: (b1 * sa1 + a1 * sb1) / (sb1 + sa1) };
}

let dataDir: string;
let db: Db;
let dir: string;
beforeAll(() => {
  dataDir = tempDir('hw-ob-lobster-');
  dir = tempDir('hw-ob-lobster-files-');
  db = openDb({ dataDir });
});
afterAll(() => db?.close());

const hooks = { onProgress: () => {}, shouldCancel: () => false };
const importIt = (cfg: ImportConfig) => importBooks(cfg, { hooks, dataDir, runId: null }, db);

async function failure(cfg: ImportConfig): Promise<BookInputError> {
  try {
    await importIt(cfg);
  } catch (e) {
    if (e instanceof BookInputError) return e;
    throw e;
  }
  throw new Error('the import did not fail');
}

describe('a LOBSTER pair', () => {
  it('imports rows, buckets, WAPs, halts and message statistics as computed by hand', async () => {
    const folder = join(dir, 'one');
    writePair(folder);
    const { metrics } = (await importIt({ path: folder })) as { metrics: ImportMetrics };
    expect(metrics.rows).toBe(11);
    // Row 5 (crossed, in the halt) and row 11 (no ask) have no WAP; the other 9 are stored.
    expect(metrics.acceptedRows).toBe(9);
    expect(metrics.rejectedRows).toBe(0);
    expect(metrics.lobster).toEqual({ pairs: 1, messages: 11, oneSidedRows: 1, haltedRows: 2, haltedDropped: 1, halts: 1, bucketSeconds: 600 });
    expect(metrics.duplicateTimes).toMatchObject({ count: 1, first: { row: 8, line: 8, time: 800 } });
    expect(metrics.backwardTimes).toMatchObject({ count: 1, first: { row: 10, line: 10, time: 1250, previous: 1300 } });
    expect(metrics.buckets).toBe(3);
    expect(metrics.stocks).toBe(1);

    const q = orderbookQueries(db);
    const ds = q.getDataset(metrics.datasetId)!;
    expect(ds.source).toBe('lobster');
    expect(ds.bucketSeconds).toBe(600);
    const [stock] = q.stocks(metrics.datasetId);
    expect(stock).toMatchObject({ stockId: 0, name: 'AAPL', session: { date: '2012-06-21', startSeconds: 34200, endSeconds: 57600 }, buckets: 3, rows: 9 });
    expect(stock.halts).toEqual([{ startSecond: 700, endSecond: 800 }]);

    const series = q.seriesRange(metrics.datasetId, 0, -1e9, 1e9);
    expect(series.map((b) => b.timeId)).toEqual([0, 1, 2]);
    const kept = [1, 2, 3, 4, 6, 7, 8, 9, 10];
    const seconds = series.flatMap((b) => Array.from(b.seconds).map((s) => s + b.timeId * 600));
    expect(seconds.map((s) => Number(s.toFixed(9)))).toEqual(kept.map((r) => Number((MESSAGES[r - 1][0] - 34200).toFixed(9))));
    const wap = series.flatMap((b) => Array.from(b.wap));
    const wap1 = series.flatMap((b) => Array.from(b.wap1));
    kept.forEach((r, i) => {
      const h = wapByHand(BOOKS[r - 1]);
      expect(wap[i]).toBeCloseTo(h.wap, 10);
      expect(wap1[i]).toBeCloseTo(h.wap1, 10);
    });
    // Row 1 by hand: P_bid = (100 x 100 + 99.9 x 40) / 140, P_ask = (100.1 x 50 + 100.2 x 30) / 80.
    expect(wap[0]).toBeCloseTo(0.5 * (13996 / 140 + 8011 / 80), 10);
    // Row 3: bid level 2 is empty, so P_bid = 100.
    expect(wap[2]).toBeCloseTo(0.5 * (100 + (100.1 * 30 + 100.2 * 30) / 60), 10);

    const t = q.bucketTable(metrics.datasetId, 0, 600);
    expect(t.rows).toEqual([3, 4, 2]);
    expect(t.messages).toEqual({
      timeId: [0, 1, 2],
      events: [
        [1, 1, 1], // type 1
        [0, 0, 1],
        [1, 0, 0],
        [1, 0, 0], // type 4
        [0, 1, 0], // type 5
        [0, 0, 1],
        [0, 3, 0], // type 7
      ],
      visibleVolume: [20, 0, 0],
      hiddenVolume: [0, 7, 0],
      trades: [1, 1, 0],
      haltedRows: [0, 2, 0],
    });
  });

  it('reads the `;` variant, one level, and names several days of a ticker by ticker and date', async () => {
    const folder = join(dir, 'many');
    writePair(folder, { date: '2012-06-21' });
    writePair(folder, { date: '2012-06-22', sep: ';' });
    writePair(folder, { ticker: 'MSFT', levels: 1 });
    const inspected = await inspectPath(folder, orderbookQueries(db));
    expect(inspected.lobster?.map((p) => [p.stockName, p.levels, p.startSeconds, p.endSeconds])).toEqual([
      ['AAPL 2012-06-21', 2, 34200, 57600],
      ['AAPL 2012-06-22', 2, 34200, 57600],
      ['MSFT', 1, 34200, 57600],
    ]);
    expect(inspected.mapping).not.toBeNull();
    expect(inspected.hasHeader).toBe(false);
    const { metrics } = await importIt({ path: folder, bucketSeconds: 300 });
    expect(metrics.stocks).toBe(3);
    const q = orderbookQueries(db);
    const stocks = q.stocks(metrics.datasetId);
    expect(stocks.map((s) => s.name)).toEqual(['AAPL 2012-06-21', 'AAPL 2012-06-22', 'MSFT']);
    // 300-second buckets: rows at session seconds 0, 0.5, 50 | 600 | (700) 750 | 800, 800 | (1300) 1250, 1260.
    expect(q.bucketTable(metrics.datasetId, 0, 300).timeId).toEqual([0, 2, 4]);
    // The `;` file gives the same WAPs as the `,` file.
    const a = q.wapSeries(metrics.datasetId, 0, 'all').flatMap((b) => Array.from(b.wap));
    const b = q.wapSeries(metrics.datasetId, 1, 'all').flatMap((x) => Array.from(x.wap));
    expect(b).toEqual(a);
    // One level: the WAP is level 1's.
    const m = q.wapSeries(metrics.datasetId, 2, 'all').flatMap((x) => Array.from(x.wap));
    expect(m[0]).toBeCloseTo(0.5 * (100 + 100.1), 10);
  });
});

describe('bad LOBSTER input fails with file, row and column', () => {
  it('a message file without its orderbook file, and the reverse', async () => {
    const f1 = join(dir, 'no-book');
    const p1 = writePair(f1);
    writeFileSync(p1.orderbook, '');
    const { rmSync } = await import('node:fs');
    rmSync(p1.orderbook);
    const e1 = await failure({ path: f1 });
    expect(e1.message).toBe(
      `AAPL_2012-06-21_${START}_${END}_message_2.csv: no orderbook file for this LOBSTER message file: its pair AAPL_2012-06-21_${START}_${END}_orderbook_2.csv must sit beside it (same ticker, date, START, END and levels); put the two files of the pair in the same folder, or upload them together`,
    );
    const f2 = join(dir, 'no-message');
    rmSync(writePair(f2).message);
    expect((await failure({ path: f2 })).message).toMatch(new RegExp(`^AAPL_2012-06-21_${START}_${END}_orderbook_2\\.csv: no message file for this LOBSTER orderbook file: its pair AAPL_2012-06-21_${START}_${END}_message_2\\.csv must sit beside it`));
  });

  it('different row counts', async () => {
    const f = join(dir, 'short-book');
    writePair(f, { books: BOOKS.slice(0, 10).map((b) => b.join(',')) });
    const e = await failure({ path: f });
    expect(e.message).toBe(
      `AAPL_2012-06-21_${START}_${END}_message_2.csv, row 11 (line 11): AAPL_2012-06-21_${START}_${END}_orderbook_2.csv ends after 10 rows but this file goes on: a LOBSTER pair has exactly one orderbook row per message; are both files from the same download, complete?`,
    );
  });

  it('a non-numeric cell in the orderbook file and in the message file', async () => {
    const f = join(dir, 'text-book');
    const books = BOOKS.map((b) => b.join(','));
    books[2] = books[2].replace(/^(\d+),(\d+),(\d+),(\d+)/, '$1,$2,$3,x7');
    writePair(f, { books });
    const e = await failure({ path: f });
    expect(e.message).toBe(`AAPL_2012-06-21_${START}_${END}_orderbook_2.csv, row 3 (line 3), column bid size 1 (column 4): expected a number, found "x7"`);
    const g = join(dir, 'text-message');
    const messages = MESSAGES.map((m) => m.join(','));
    messages[5] = messages[5].replace(/^[^,]+/, '34950.0s');
    writePair(g, { messages });
    expect((await failure({ path: g })).message).toMatch(
      new RegExp(`^AAPL_2012-06-21_${START}_${END}_message_2\\.csv, row 6 \\(line 6\\), column time \\(column 1\\): expected a number, found "34950\\.0s"`),
    );
  });

  it('a crossed book outside a halt (inside one it is left out)', async () => {
    const f = join(dir, 'crossed');
    const books = BOOKS.map((b) => b.join(','));
    books[1] = [1001000, 30, 1001000, 100, 1002000, 30, 999000, 40].join(',');
    writePair(f, { books });
    const e = await failure({ path: f });
    expect(e.message).toMatch(
      new RegExp(`^AAPL_2012-06-21_${START}_${END}_orderbook_2\\.csv, row 2 \\(line 2\\), column bid price 1 \\(column 3\\): crossed book: bid price 1 \\(column 3\\) = 100\\.1 is not below ask price 1 \\(column 1\\) = 100\\.1`),
    );
  });

  it('an orderbook file with the wrong number of columns for its levels', async () => {
    const f = join(dir, 'wide');
    writePair(f, { books: BOOKS.map((b) => [...b, 5].join(',')) });
    expect((await failure({ path: f })).message).toBe(
      `AAPL_2012-06-21_${START}_${END}_orderbook_2.csv, row 1 (line 1): the row has 9 cells; a LOBSTER orderbook file with 2 levels (the _2 in its name) has 8: ask price, ask size, bid price, bid size per level`,
    );
  });
});

describe('the LOBSTER generator (gen:orderbook --format lobster)', () => {
  it('writes a pair the import reads whole: every book two-sided and uncrossed, times in order, every event type', async () => {
    const { writeLobsterPair } = await import('../../src-main/domains/orderbook/io/writeLobster');
    const { parseLobsterName } = await import('../../src-main/engine/orderbook/lobster');
    const out = join(dir, 'generated');
    const r = await writeLobsterPair({ seed: 5, levels: 3, events: 20_000, startMs: START, endMs: START + 3_600_000, missingLevelProb: 0.01, out, ticker: 'SYN', date: '2024-01-02', separator: ';' });
    expect(parseLobsterName('SYN_2024-01-02_34200000_37800000_message_3.csv')).toMatchObject({ ticker: 'SYN', levels: 3, kind: 'message' });
    expect(r.message.endsWith('SYN_2024-01-02_34200000_37800000_message_3.csv')).toBe(true);
    // The burst sizes are random: within 15% of the messages asked for.
    expect(Math.abs(r.messages / 20_000 - 1)).toBeLessThan(0.15);
    const { metrics } = await importIt({ path: out });
    expect(metrics.rows).toBe(r.messages);
    expect(metrics.acceptedRows).toBe(r.messages);
    expect(metrics.backwardTimes?.count).toBe(0);
    expect(metrics.buckets).toBe(6);
    const t = orderbookQueries(db).bucketTable(metrics.datasetId, 0, 600);
    const byType = t.messages!.events.map((e) => e.reduce((a, b) => a + b, 0));
    expect(byType.slice(0, 5).every((n) => n > 0)).toBe(true);
    // New orders and deletions dominate, executions are a few per cent (lobsterGenerator.ts: 45%, 41.9%, 8%).
    expect(byType[0] / r.messages).toBeCloseTo(0.45, 1);
    expect(byType[3] / r.messages).toBeCloseTo(0.08, 1);
    expect(t.messages!.trades.reduce((a, b) => a + b, 0)).toBe(byType[3] + byType[4]);
  });
});
