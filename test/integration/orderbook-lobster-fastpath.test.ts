import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ImportMetrics } from '../../src-shared/orderbook/contract';
import { importBooks } from '../../src-main/domains/orderbook/importJob';
import { writeLobsterPair } from '../../src-main/domains/orderbook/io/writeLobster';
import { BookAccumulator } from '../../src-main/engine/orderbook/accumulate';
import { realisedVol } from '../../src-main/engine/orderbook/realisedVol';
import { openDb, type Db } from '../../src-main/store/db';
import { f64, orderbookQueries } from '../../src-main/store/queries/orderbook';
import { openDirectBuckets } from '../../src-main/store/queries/orderbookStage';
import { orderbookDigest } from '../helpers/orderbookDigest';
import { tempDir } from '../helpers/tmp';

/**
 * The LOBSTER import's fast path (orderbook rows parsed and compacted on the parser threads, lobsterRows.ts;
 * the job thread only buckets them: LobsterConverter.feed -> BookAccumulator.addPrepared) against the reference
 * path (LobsterConverter.convert -> BookAccumulator.add for every slice) on one generated pair of ~40,000 events
 * (several 1 MB chunks) with halts, one-sided books, a crossed book inside a halt (its chunk takes the reference
 * path even on the fast import), equal and backward times; and in skip mode with a bad event type and a
 * non-numeric cell. Everything stored must be identical (a digest of every stored row and blob), and so must
 * the import's report.
 */

const START = 34_200_000;
const ASK_DUMMY = 9999999999;

let work: string;
let pair: { message: string; orderbook: string };
beforeAll(async () => {
  work = tempDir('hw-ob-lobster-fast-');
  const out = join(work, 'pair');
  pair = await writeLobsterPair({ seed: 11, levels: 3, events: 40_000, startMs: START, endMs: START + 7_200_000, missingLevelProb: 0.01, out, ticker: 'FAST', date: '2024-03-04', separator: ',' });
  const msg = readFileSync(pair.message, 'utf8').trimEnd().split('\n');
  const book = readFileSync(pair.orderbook, 'utf8').trimEnd().split('\n');
  expect(msg.length).toBeGreaterThan(30_000);
  const time = (r: number): string => msg[r - 1].split(',')[0];
  const setMsg = (r: number, type: number, price: number): void => {
    msg[r - 1] = `${time(r)},${type},0,0,${price},0`;
  };
  const setBook = (r: number, f: (cells: number[]) => void): void => {
    const cells = book[r - 1].split(',').map(Number);
    f(cells);
    book[r - 1] = cells.join(',');
  };
  const oneSided = (c: number[]): void => {
    c[0] = ASK_DUMMY;
    c[1] = 0;
  };
  // A halt in the first chunks with a crossed book (ROW_OTHER: that chunk takes the reference path) and a
  // one-sided book inside it, and a book left two-sided (kept).
  setMsg(2000, 7, -1);
  setBook(2001, (c) => (c[0] = c[2] - 100));
  setBook(2002, oneSided);
  setMsg(2004, 7, 0);
  setMsg(2010, 7, 1);
  // A halt on the fast path: only a one-sided book inside it.
  setMsg(30_000, 7, -1);
  setBook(30_002, oneSided);
  setMsg(30_005, 7, 1);
  // One-sided books outside halts.
  setBook(15_000, oneSided);
  setBook(25_000, oneSided);
  // An equal and a backward time (same bucket).
  msg[20_000 - 1] = msg[20_000 - 1].replace(/^[^,]+/, time(19_999));
  const t = Number(time(20_100));
  msg[20_101 - 1] = msg[20_101 - 1].replace(/^[^,]+/, (t - 1e-6).toFixed(9));
  writeFileSync(pair.message, `${msg.join('\n')}\n`);
  writeFileSync(pair.orderbook, `${book.join('\n')}\n`);
});

const opened: Db[] = [];
afterAll(() => opened.forEach((db) => db.close()));

async function importOnce(path: string, referencePath: boolean, skipBadRows = false) {
  const dataDir = tempDir('hw-ob-lobster-fast-db-');
  const db = openDb({ dataDir });
  opened.push(db);
  const spy = vi.spyOn(BookAccumulator.prototype, 'addPrepared');
  try {
    const { metrics } = (await importBooks({ path, skipBadRows }, { hooks: {}, dataDir, runId: null, lobsterReferencePath: referencePath }, db)) as { metrics: ImportMetrics };
    return { metrics, db, fastCalls: spy.mock.calls.length, ...orderbookDigest(db, metrics.datasetId) };
  } finally {
    spy.mockRestore();
  }
}

const report = (m: ImportMetrics) => ({
  rows: m.rows, accepted: m.acceptedRows, rejected: m.rejectedRows, reasons: m.rejectReasons, examples: m.rejectExamples, buckets: m.buckets, lobster: m.lobster,
  duplicateTimes: m.duplicateTimes, backwardTimes: m.backwardTimes,
});

describe('the LOBSTER fast path', () => {
  it('stores exactly what the reference path stores: rows, buckets, series blobs, message statistics, halts', async () => {
    const folder = join(work, 'pair');
    const fast = await importOnce(folder, false);
    const ref = await importOnce(folder, true);
    expect(fast.fastCalls).toBeGreaterThan(0);
    expect(ref.fastCalls).toBe(0);
    // The edits above show in the report: 2 halts, 1 halted row dropped as crossed + 2 as one-sided, 2 one-sided.
    expect(fast.metrics.lobster).toMatchObject({ halts: 2, haltedDropped: 3, oneSidedRows: 2 });
    expect(fast.metrics.duplicateTimes?.count).toBeGreaterThanOrEqual(1);
    expect(fast.metrics.backwardTimes?.first).toMatchObject({ row: 20_101 });
    expect(report(fast.metrics)).toEqual(report(ref.metrics));
    expect(fast.rows).toEqual(ref.rows);
    expect(fast.rows.orderbook_buckets).toBe(12); // 2 h of 600 s buckets
    expect(fast.digest).toBe(ref.digest);
    // The realised volatility summed as rows come equals realisedVol over the stored series (bit for bit).
    const stored = fast.db.prepare(`SELECT rv, rv1, wap, wap1 FROM orderbook_buckets WHERE dataset_id = ? ORDER BY time_id`).all(fast.metrics.datasetId) as Array<{ rv: number; rv1: number; wap: Buffer; wap1: Buffer }>;
    for (const b of stored) {
      expect(b.rv).toBe(realisedVol(f64(b.wap)));
      expect(b.rv1).toBe(realisedVol(f64(b.wap1)));
    }
  });

  it('in skip mode too, with a bad event type and a non-numeric cell (their chunks take the reference path)', async () => {
    const folder = join(work, 'skip');
    const { cpSync } = await import('node:fs');
    cpSync(join(work, 'pair'), folder, { recursive: true });
    const name = (p: string) => join(folder, p.split('/').pop()!);
    const msg = readFileSync(name(pair.message), 'utf8').split('\n');
    msg[5000 - 1] = msg[5000 - 1].replace(/^([^,]+),\d/, '$1,9');
    writeFileSync(name(pair.message), msg.join('\n'));
    const book = readFileSync(name(pair.orderbook), 'utf8').split('\n');
    book[35_000 - 1] = book[35_000 - 1].replace(/^(\d+),(\d+)/, '$1,n/a');
    writeFileSync(name(pair.orderbook), book.join('\n'));
    const fast = await importOnce(folder, false, true);
    const ref = await importOnce(folder, true, true);
    expect(fast.fastCalls).toBeGreaterThan(0);
    expect(fast.metrics.rejectedRows).toBe(2);
    expect(fast.metrics.rejectReasons).toEqual({ 'non-numeric': 2 });
    expect(report(fast.metrics)).toEqual(report(ref.metrics));
    expect(fast.digest).toBe(ref.digest);
  });

  it('a pair imported before is found by its hashes (taken beside the parsing), even when it has rows the second import would refuse', async () => {
    const dataDir = tempDir('hw-ob-lobster-dup-');
    const db = openDb({ dataDir });
    opened.push(db);
    const ctx = { hooks: {}, dataDir, runId: null };
    const first = (await importBooks({ path: join(work, 'skip'), skipBadRows: true }, ctx, db)).metrics;
    expect(first.duplicateOf).toBeNull();
    expect(first.rejectedRows).toBe(2);
    // Without skipping, the bad rows would fail the import; the input is a duplicate, so the answer is the data set.
    const again = (await importBooks({ path: join(work, 'skip') }, ctx, db)).metrics;
    expect(again).toMatchObject({ duplicateOf: first.datasetId, datasetId: first.datasetId, rows: 0 });
    const other = (await importBooks({ path: join(work, 'pair') }, ctx, db)).metrics;
    expect(other.duplicateOf).toBeNull();
    expect((await importBooks({ path: join(work, 'pair') }, ctx, db)).metrics.duplicateOf).toBe(other.datasetId);
  }, 120_000);

  it('a job writes its buckets straight into the store: invisible until its run is done, the same data, nothing left when it fails', async () => {
    const dataDir = tempDir('hw-ob-lobster-direct-');
    const db = openDb({ dataDir });
    opened.push(db);
    const q = orderbookQueries(db);
    const run = (id: string) =>
      db.prepare(`INSERT INTO runs (id, kind, model, status, config_json, seed, created_at) VALUES (?, 'orderbook-import', 'orderbook', 'running', '{}', 0, ?)`).run(id, Date.now());
    run('run-direct');
    const { metrics } = await importBooks({ path: join(work, 'pair') }, { hooks: {}, dataDir, runId: 'run-direct' }, db);
    expect(db.prepare(`SELECT count(*) AS n FROM orderbook_buckets WHERE dataset_id = ?`).get(metrics.datasetId)).toEqual({ n: 12 });
    expect(q.getDataset(metrics.datasetId)).toBeNull();
    expect(q.listDatasets().map((d) => d.id)).not.toContain(metrics.datasetId);
    db.prepare(`UPDATE runs SET status = 'done' WHERE id = 'run-direct'`).run();
    expect(q.getDataset(metrics.datasetId)?.rows).toBe(metrics.acceptedRows);
    const staged = await importOnce(join(work, 'pair'), false);
    expect(orderbookDigest(db, metrics.datasetId).digest).toBe(staged.digest);

    // A failing job (a crossed book outside a halt, far into the file) leaves no data set and no bucket behind.
    const folder = join(work, 'crossed');
    const { cpSync } = await import('node:fs');
    cpSync(join(work, 'pair'), folder, { recursive: true });
    const file = join(folder, pair.orderbook.split('/').pop()!);
    const book = readFileSync(file, 'utf8').split('\n');
    book[36_000 - 1] = book[36_000 - 1].replace(/^(\d+),(\d+),(\d+)/, (_, ap: string, as: string) => `${ap},${as},${Number(ap) + 100}`);
    writeFileSync(file, book.join('\n'));
    run('run-failing');
    const before = db.prepare(`SELECT count(*) AS n FROM orderbook_buckets`).get();
    await expect(importBooks({ path: folder }, { hooks: {}, dataDir, runId: 'run-failing' }, db)).rejects.toThrow(/row 36000 .*crossed book/);
    expect(db.prepare(`SELECT count(*) AS n FROM orderbook_datasets WHERE import_run_id = 'run-failing'`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM orderbook_buckets`).get()).toEqual(before);
  }, 120_000);

  it('direct bucket writes: flushed in ~8 MB transactions as they come, all deleted by discard', () => {
    const dataDir = tempDir('hw-ob-direct-unit-');
    const db = openDb({ dataDir });
    opened.push(db);
    db.prepare(`INSERT INTO runs (id, kind, model, status, config_json, seed, created_at) VALUES ('run-d', 'orderbook-import', 'orderbook', 'running', '{}', 0, 0)`).run();
    const id = 'ds-direct';
    const sink = openDirectBuckets(db, id, () =>
      db.prepare(`INSERT INTO orderbook_datasets (id, label, source_path, format, layout, levels, bucket_seconds, content_hash, files, stocks, buckets, rows, rejected_rows, mapping_json, rejects_json, stats_json, import_run_id, created_at)
        VALUES (?, 'x', '/x', 'csv', 'generic', 1, 600, '', 1, 0, 0, 0, 0, '{}', '{}', '{}', 'run-d', 0)`).run(id),
    );
    const n = 300_000; // 36 bytes a row: 10.8 MB, more than one transaction's worth
    const f64a = new Float64Array(n).fill(1);
    const f32a = new Float32Array(n).fill(1);
    const bucket = (timeId: number) => ({ stockId: 0, timeId, rows: n, firstSecond: 0, lastSecond: 1, rv: 0.1, rv1: 0.1, spreadBp: 1, depthMean: 1, wapOpen: 1, wapClose: 1, wapMin: 1, wapMax: 1, seconds: f64a, wap: f64a, wap1: f64a, bid1: f32a, ask1: f32a, depth: f32a });
    const count = () => (db.prepare(`SELECT count(*) AS n FROM orderbook_buckets WHERE dataset_id = ?`).get(id) as { n: number }).n;
    sink.putBucket(id, bucket(0));
    expect(count()).toBe(1); // written at once, in its own transaction
    sink.putBucket(id, { ...bucket(1), seconds: f64a.subarray(0, 10), wap: f64a.subarray(0, 10), wap1: f64a.subarray(0, 10), bid1: f32a.subarray(0, 10), ask1: f32a.subarray(0, 10), depth: f32a.subarray(0, 10), rows: 10 });
    expect(count()).toBe(1); // a small one waits for more
    expect(orderbookQueries(db).getDataset(id)).toBeNull();
    sink.discard();
    expect(count()).toBe(0);
    expect(db.prepare(`SELECT count(*) AS n FROM orderbook_datasets WHERE id = ?`).get(id)).toEqual({ n: 0 });
  });
});
