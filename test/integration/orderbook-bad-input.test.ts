import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportConfig, type ImportMetrics } from '../../src-shared/orderbook/contract';
import { BookInputError } from '../../src-main/engine/orderbook/errors';
import { importBooks } from '../../src-main/domains/orderbook/importJob';
import { openDb, type Db } from '../../src-main/store/db';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

/**
 * Every kind of bad input the issue lists, through the import the job runs (in-process here, so each case
 * takes milliseconds): wrong or missing columns, non-numeric cells, sizes <= 0, prices <= 0, crossed books,
 * unsorted timestamps, truncated or corrupt Parquet, empty files. Each error names the file, the row and the
 * column; nothing is stored; "skip bad rows" imports the rest and counts what it dropped.
 */

const SAMPLE_CSV = join(ROOT, 'resources', 'samples', 'orderbook', 'book_train.csv', 'stock_id=0', 'part-0.csv');
const SAMPLE_PARQUET = join(ROOT, 'resources', 'samples', 'orderbook', 'book_train.parquet', 'stock_id=0', 'part-0.parquet');
const LINES = readFileSync(SAMPLE_CSV, 'utf8').trimEnd().split('\n');
const HEADER = LINES[0].split(',');
const col = (name: string) => HEADER.indexOf(name);

let dataDir: string;
let db: Db;
let dir: string;
beforeAll(() => {
  dataDir = tempDir('hw-ob-bad-');
  dir = tempDir('hw-ob-files-');
  db = openDb({ dataDir });
});
afterAll(() => db?.close());

const hooks = { onProgress: () => {}, shouldCancel: () => false };
const importIt = (cfg: ImportConfig) => importBooks(cfg, { hooks, dataDir, runId: null }, db);

/** A copy of the committed CSV sample (80 data rows) with some cells changed: edits[line] = { column: text }. */
function csvWith(name: string, edits: Record<number, Record<string, string>> = {}, transform?: (lines: string[]) => string[]): string {
  let lines = LINES.slice(0, 81).map((l, i) => {
    const e = edits[i + 1];
    if (!e) return l;
    const cells = l.split(',');
    for (const [c, v] of Object.entries(e)) cells[col(c)] = v;
    return cells.join(',');
  });
  if (transform) lines = transform(lines);
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

async function failure(cfg: ImportConfig): Promise<BookInputError> {
  const before = datasets();
  try {
    await importIt(cfg);
  } catch (e) {
    expect(datasets()).toBe(before); // nothing stored
    expect(existsSync(join(dataDir, 'orderbook-staging')) ? readdirSync(join(dataDir, 'orderbook-staging')) : []).toEqual([]);
    if (e instanceof BookInputError) return e;
    throw e;
  }
  throw new Error('the import did not fail');
}
const datasets = (): number => (db.prepare('SELECT COUNT(*) AS n FROM orderbook_datasets').get() as { n: number }).n;

describe('bad CSV rows fail the import with file, row and column', () => {
  const cases: Array<[string, number, Record<string, string>, string, RegExp, string]> = [
    ['a non-numeric cell', 7, { bid_price1: 'abc' }, 'bid_price1', /expected a finite number, found "abc"/, 'non-numeric'],
    ['a zero size', 12, { ask_size1: '0' }, 'ask_size1', /sizes must be > 0, found 0/, 'size-not-positive'],
    ['a negative size', 13, { bid_size2: '-3' }, 'bid_size2', /sizes must be > 0, found -3/, 'size-not-positive'],
    ['a zero price', 20, { ask_price2: '0' }, 'ask_price2', /prices must be > 0, found 0/, 'price-not-positive'],
    ['a negative price', 21, { bid_price1: '-1.0', bid_price2: '-1.1' }, 'bid_price1', /prices must be > 0, found -1/, 'price-not-positive'],
    ['a crossed book', 30, { bid_price1: '1.2' }, 'bid_price1', /crossed book: bid_price1 = 1.2 is not below ask_price1/, 'crossed-book'],
    ['an empty level-1 cell', 31, { ask_size1: '' }, 'ask_size1', /level 1 of the ask side must be present/, 'missing-value'],
    ['a time_id going back', 41, { time_id: '4' }, 'time_id', /not in time order: time_id 4 comes after time_id 5/, 'unsorted-time'],
  ];
  it.each(cases)('%s', async (_, line, edit, column, message, code) => {
    const file = csvWith(`${code}-${line}.csv`, { [line]: edit });
    const e = await failure({ path: file });
    expect(e.location).toMatchObject({ file: `${code}-${line}.csv`, row: line - 1, line, column, code });
    expect(e.message).toMatch(new RegExp(`^${code}-${line}\\.csv, row ${line - 1} \\(line ${line}\\), column ${column}: `));
    expect(e.message).toMatch(message);
  });

  it('a row with a missing cell (wrong cell count)', async () => {
    const file = csvWith('short-row.csv', {}, (ls) => ls.map((l, i) => (i === 9 ? l.split(',').slice(0, 9).join(',') : l)));
    const e = await failure({ path: file });
    expect(e.message).toMatch(/^short-row\.csv, row 9 \(line 10\): the row has 9 cells, the header has 10/);
  });

  it('wrong (missing) columns, named with what the file has', async () => {
    const file = csvWith('renamed.csv', {}, (ls) => [ls[0].replace('ask_size2', 'ask_qty2').replace('bid_price1', 'bp1'), ...ls.slice(1)]);
    const e = await failure({ path: file });
    expect(e.location).toMatchObject({ code: 'MISSING_COLUMNS', column: 'bid_price1, ask_size2', line: 1 });
    expect(e.message).toMatch(/^renamed\.csv, line 1 \(header\), column bid_price1, ask_size2: no column for bid_price1, ask_size2 \(the file has: "time_id", "seconds_in_bucket", "bp1", /);
    expect(e.message).toMatch(/map the columns/);
  });

  it('a mapping naming columns the file does not have', async () => {
    const file = csvWith('mapped.csv');
    const mapping = { layout: 'competition' as const, levels: 1, timeId: 'time_id', secondsInBucket: 'secs', bidPrice: ['bid_price1'], bidSize: ['bid_size1'], askPrice: ['ask_price1'], askSize: ['ask_size1'] };
    const e = await failure({ path: file, mapping });
    expect(e.message).toMatch(/^mapped\.csv, line 1 \(header\), column secs: no column for secs .*fix the column mapping/);
  });

  it('an empty file and a header without rows', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect((await failure({ path: empty })).message).toMatch(/^empty\.csv, line 1 \(header\): the file is empty \(no header line\)/);
    const headerOnly = join(dir, 'header-only.csv');
    writeFileSync(headerOnly, `${LINES[0]}\n`);
    expect((await failure({ path: headerOnly })).message).toMatch(/^header-only\.csv, line 2: the file has a header but no rows/);
  });

  it('a quoted CSV (read by one csv-parse stream) reports the same rows and lines', async () => {
    const file = csvWith('quoted.csv', { 15: { ask_size1: '"-7"' } }, (ls) => ls.map((l, i) => (i === 3 ? l.replace(/^(\d+),/, '"$1",') : l)));
    const e = await failure({ path: file });
    expect(e.message).toMatch(/^quoted\.csv, row 14 \(line 15\), column ask_size1: sizes must be > 0, found -7/);
  });
});

describe('bad Parquet files', () => {
  const good = readFileSync(SAMPLE_PARQUET);
  const write = (name: string, bytes: Uint8Array | ArrayBuffer) => {
    const d = join(dir, name.replace(/\W/g, '_'));
    mkdirSync(d, { recursive: true });
    const p = join(d, name);
    writeFileSync(p, Buffer.from(bytes as ArrayBuffer));
    return p;
  };

  it('a truncated file (footer cut off)', async () => {
    const e = await failure({ path: write('cut.parquet', good.subarray(0, Math.floor(good.length * 0.6))) });
    expect(e.location.code).toBe('CORRUPT_PARQUET');
    expect(e.message).toMatch(/^cut\.parquet: the Parquet file is truncated or corrupt \(no PAR1 marker at its end/);
  });

  it('a corrupt file (damaged data pages)', async () => {
    const bad = Buffer.from(good);
    for (let i = 200; i < bad.length - 3000; i += 7) bad[i] = (bad[i] * 31 + 17) & 0xff;
    const e = await failure({ path: write('damaged.parquet', bad) });
    expect(e.location.code).toBe('CORRUPT_PARQUET');
    expect(e.message).toMatch(/^damaged\.parquet, row 1: rows 1-\d+ \(row group 1\) could not be decoded: /);
  });

  it('a damaged footer', async () => {
    const bad = Buffer.from(good);
    const footerLen = bad.readUInt32LE(bad.length - 8);
    bad.fill(0xee, bad.length - 8 - footerLen, bad.length - 8);
    const e = await failure({ path: write('footer.parquet', bad) });
    expect(e.message).toMatch(/^footer\.parquet: the Parquet footer could not be read/);
  });

  it('a file that is not Parquet at all, and an empty one', async () => {
    expect((await failure({ path: write('text.parquet', Buffer.from('time_id,seconds\n1,2\n')) })).message).toMatch(/^text\.parquet: this is not a Parquet file/);
    expect((await failure({ path: write('zero.parquet', new Uint8Array(0)) })).message).toMatch(/^zero\.parquet: the file is empty \(0 bytes\)/);
  });

  const book = (over: Record<string, unknown[]> = {}, n = 4) => {
    const base: Record<string, unknown[]> = {
      time_id: Array.from({ length: n }, () => 5),
      seconds_in_bucket: Array.from({ length: n }, (_, i) => i),
      bid_price1: Array.from({ length: n }, () => 0.999),
      ask_price1: Array.from({ length: n }, () => 1.001),
      bid_price2: Array.from({ length: n }, () => 0.998),
      ask_price2: Array.from({ length: n }, () => 1.002),
      bid_size1: Array.from({ length: n }, () => 10),
      ask_size1: Array.from({ length: n }, () => 20),
      bid_size2: Array.from({ length: n }, () => 30),
      ask_size2: Array.from({ length: n }, () => 40),
    };
    const data = { ...base, ...over };
    return parquetWriteBuffer({
      columnData: Object.entries(data).map(([name, values]) => ({
        name,
        data: values,
        type: typeof values.find((v) => v !== null) === 'string' ? 'STRING' : name.includes('price') ? 'DOUBLE' : 'INT32',
      })) as never,
    });
  };

  it('bad values name the row (1-based, no line numbers in Parquet) and the column', async () => {
    const e = await failure({ path: write('neg.parquet', book({ ask_size2: [40, 40, -1, 40] })) });
    expect(e.message).toMatch(/^neg\.parquet, row 3, column ask_size2: sizes must be > 0, found -1/);
    const c = await failure({ path: write('crossed.parquet', book({ bid_price1: [0.999, 1.5, 0.999, 0.999] })) });
    expect(c.message).toMatch(/^crossed\.parquet, row 2, column bid_price1: crossed book/);
    const u = await failure({ path: write('unsorted.parquet', book({ time_id: [5, 6, 5, 6] })) });
    expect(u.message).toMatch(/^unsorted\.parquet, row 3, column time_id: rows are not in time order: time_id 5 comes after time_id 6/);
  });

  it('seconds going back inside a bucket are kept in file order and reported (spec: non-increasing times)', async () => {
    const { metrics } = await importIt({ path: write('backward.parquet', book({ seconds_in_bucket: [0, 5, 3, 9] })) });
    expect(metrics).toMatchObject({ rows: 4, acceptedRows: 4, rejectedRows: 0, backwardTimes: { count: 1, first: { file: 'backward.parquet', row: 3, line: null, time: 3, previous: 5 } } });
  });

  it('text in a numeric role (a string column)', async () => {
    const e = await failure({ path: write('text-col.parquet', book({ bid_size1: ['10', 'ten', '10', '10'] })) });
    expect(e.message).toMatch(/^text-col\.parquet, row 2, column bid_size1: expected a finite number, found "ten"/);
  });

  it('a Parquet file without rows', async () => {
    const e = await failure({ path: write('norows.parquet', book({}, 0)) });
    expect(e.message).toMatch(/^norows\.parquet: the Parquet file has no rows/);
  });
});

describe('skip bad rows', () => {
  it('imports the rest and reports how many rows were dropped and why', async () => {
    const file = csvWith('mixed.csv', {
      5: { bid_price1: 'x' },
      6: { ask_size1: '-2' },
      7: { bid_price1: '5' },
      9: { time_id: '4' },
    });
    const { metrics } = await importIt({ path: file, skipBadRows: true });
    expect(metrics).toMatchObject<Partial<ImportMetrics>>({ rows: 80, acceptedRows: 76, rejectedRows: 4, rejectReasons: { 'non-numeric': 1, 'size-not-positive': 1, 'crossed-book': 1, 'unsorted-time': 1 } });
    expect(metrics.rejectExamples.map((x) => [x.row, x.line, x.column])).toEqual([
      [4, 5, 'bid_price1'],
      [5, 6, 'ask_size1'],
      [6, 7, 'bid_price1'],
      [8, 9, 'time_id'],
    ]);
    const stored = db.prepare('SELECT rows, rejected_rows FROM orderbook_datasets WHERE id = ?').get(metrics.datasetId);
    expect(stored).toEqual({ rows: 76, rejected_rows: 4 });
  });

  it('leaves empty files of a folder out (and says so), and fails when no row is good', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'stock_id=1.csv'), LINES.slice(0, 40).join('\n'));
    writeFileSync(join(folder, 'stock_id=2.csv'), '');
    const strict = await failure({ path: folder });
    expect(strict.message).toMatch(/^stock_id=2\.csv, line 1 \(header\): the file is empty/);
    const { metrics } = await importIt({ path: folder, skipBadRows: true });
    expect(metrics.skippedFiles).toEqual([{ path: 'stock_id=2.csv', reason: 'the file is empty (no header line); expected a header and book rows' }]);
    expect(metrics.stocks).toBe(1);
    const allBad = csvWith('all-bad.csv', {}, (ls) => [ls[0], ...ls.slice(1).map((l) => l.split(',').map((c, j) => (j === col('bid_size1') ? '0' : c)).join(','))]);
    await expect(importIt({ path: allBad, skipBadRows: true })).rejects.toThrow(/no book rows were imported: all 80 rows were rejected \(size-not-positive: 80\)/);
  });
});
