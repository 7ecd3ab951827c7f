import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ColumnMapping, type ImportConfig } from '../../src-shared/orderbook/contract';
import { BookInputError } from '../../src-main/engine/orderbook/errors';
import { importBooks } from '../../src-main/domains/orderbook/importJob';
import { inspectPath } from '../../src-main/domains/orderbook/inspect';
import { parseIsoUtc } from '../../src-main/domains/orderbook/io/csvConvert';
import { openDb, type Db } from '../../src-main/store/db';
import { orderbookQueries } from '../../src-main/store/queries/orderbook';
import { tempDir } from '../helpers/tmp';

// Not UTC on purpose: timestamps without a zone must still be read as UTC (spec orderbook.md). Set before any
// parser thread starts (they inherit the environment).
process.env.TZ = 'America/New_York';

/**
 * Headerless CSV books (spec orderbook.md, format 4): the first line is data when all its cells are numbers,
 * columns are mapped by position (`column 3`), rows and lines count from line 1; ISO times without a zone are
 * UTC; times going back or repeating inside a bucket are kept in file order and reported.
 */

const ROWS = [
  '2024-01-02T10:00:00,99.9,10,100.1,20',
  '2024-01-02T10:00:01.5,99.9,10,100.1,30',
  '2024-01-02T10:00:01.5,99.95,5,100.1,30',
  '2024-01-02T10:00:01,99.9,10,100.1,20',
  '2024-01-02 10:10:00,99.8,10,100.0,20',
];
const MAPPING: ColumnMapping = {
  layout: 'generic', levels: 1, header: false, timestamp: 'column 1', timestampUnit: 'iso', bucketSeconds: 600,
  bidPrice: ['column 2'], bidSize: ['column 3'], askPrice: ['column 4'], askSize: ['column 5'],
};

let dataDir: string;
let dir: string;
let db: Db;
beforeAll(() => {
  dataDir = tempDir('hw-ob-headerless-');
  dir = tempDir('hw-ob-headerless-files-');
  db = openDb({ dataDir });
});
afterAll(() => db?.close());
const importIt = (cfg: ImportConfig) => importBooks(cfg, { hooks: { onProgress: () => {}, shouldCancel: () => false }, dataDir, runId: null }, db);

describe('headerless CSV', () => {
  it('reads ISO times without a zone as UTC, whatever the machine zone', () => {
    expect(new Date(2024, 0, 2, 10).getTimezoneOffset()).toBe(300); // the zone really is New York here
    expect(parseIsoUtc('2024-01-02T10:00:00')).toBe(Date.UTC(2024, 0, 2, 10));
    expect(parseIsoUtc('2024-01-02 10:00:01.5')).toBe(Date.UTC(2024, 0, 2, 10, 0, 1, 500));
    expect(parseIsoUtc('2024-01-02T10:00:00-05:00')).toBe(Date.UTC(2024, 0, 2, 15));
    expect(parseIsoUtc('2024-01-02T10:00:00Z')).toBe(Date.UTC(2024, 0, 2, 10));
    expect(parseIsoUtc('2024-01-02')).toBe(Date.UTC(2024, 0, 2));
    expect(parseIsoUtc('soon')).toBeNaN();
  });

  it('is detected when the first line is all numbers, and offers columns by position with a preview', async () => {
    const file = join(dir, 'numbers.csv');
    writeFileSync(file, '1704189600,99.9,10,100.1,20\n1704189601,99.9,10,100.1,30\n');
    const r = await inspectPath(file, orderbookQueries(db));
    expect(r.hasHeader).toBe(false);
    expect(r.columns).toEqual(['column 1', 'column 2', 'column 3', 'column 4', 'column 5']);
    expect(r.sample[0]).toEqual(['1704189600', '99.9', '10', '100.1', '20']);
    expect(r.firstRow).toEqual(r.sample[0]);
    expect(r.mapping).toBeNull();
    // A header line is still a header.
    const named = join(dir, 'named.csv');
    writeFileSync(named, 'timestamp,bid_price1,bid_size1,ask_price1,ask_size1\n1704189600,99.9,10,100.1,20\n');
    const n = await inspectPath(named, orderbookQueries(db));
    expect(n.hasHeader).toBe(true);
    expect(n.firstRow[0]).toBe('timestamp');
    expect(n.mapping).not.toBeNull();
  });

  it('imports with a mapping by position: every row from line 1, UTC buckets, non-increasing times reported', async () => {
    const file = join(dir, 'iso.csv');
    writeFileSync(file, `${ROWS.join('\n')}\n`);
    const { metrics } = await importIt({ path: file, mapping: MAPPING });
    expect(metrics).toMatchObject({ rows: 5, acceptedRows: 5, buckets: 2 });
    expect(metrics.duplicateTimes).toMatchObject({ count: 1, first: { row: 3, line: 3, time: Date.UTC(2024, 0, 2, 10, 0, 1, 500) / 1000 } });
    expect(metrics.backwardTimes).toMatchObject({ count: 1, first: { row: 4, line: 4, time: Date.UTC(2024, 0, 2, 10, 0, 1) / 1000 } });
    const q = orderbookQueries(db);
    const t = q.bucketTable(metrics.datasetId, 0, 600);
    // 2024-01-02T10:00:00Z is 1,704,189,600 s = 2,840,316 buckets of 600 s; read in New York time it would be 5 h later.
    expect(t.timeId).toEqual([2840316, 2840317]);
    expect(t.rows).toEqual([4, 1]);
    const [b0] = q.seriesRange(metrics.datasetId, 0, 2840316, 2840316);
    expect(Array.from(b0.seconds)).toEqual([0, 1.5, 1.5, 1]); // file order kept
  });

  it('names the row and line of a bad cell counting from line 1', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, `${ROWS.map((r, i) => (i === 2 ? r.replace(',5,', ',five,') : r)).join('\n')}\n`);
    const e = await importIt({ path: file, mapping: MAPPING }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(BookInputError);
    expect((e as BookInputError).message).toMatch(/^bad\.csv, row 3 \(line 3\), column column 3: expected a finite number, found "five"/);
  });
});
