import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/host/dispatch';
import { type Workstation } from '../../src-main/workstation';
import { type AnyRun } from '../../src-shared/api/runs';
import {
  type BucketTable,
  type DatasetDetail,
  type DatasetSummary,
  type Histogram,
  type ImportMetrics,
  type InspectResult,
  type PathSetSummary,
  type PathsMetrics,
  type PathsPage,
  type SeriesData,
} from '../../src-shared/orderbook/contract';
import { loadPathSet } from '../../src-main/store/queries/orderbook';
import { writeGeneratedBooks } from '../../src-main/domains/orderbook/io/writeBooks';
import { DEFAULT_GENERATOR } from '../../src-main/engine/orderbook/generator';
import { ROOT, openWorkstation } from '../helpers/host';
import { tempDir } from '../helpers/tmp';

const SAMPLES = join(ROOT, 'resources', 'samples', 'orderbook');
const PARQUET = join(SAMPLES, 'book_train.parquet');
const CSV = join(SAMPLES, 'book_train.csv');
const GENERIC = join(SAMPLES, 'generic_custom_names.csv');

let ws: Workstation;
let dataDir: string;
beforeAll(async () => {
  dataDir = tempDir('hw-ob-');
  ws = await openWorkstation({ dataDir });
});
afterAll(async () => {
  await ws?.close();
});

async function call<T>(method: string, args: unknown): Promise<T> {
  const r = await dispatch(ws.handlers, 1, method, args);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { appError: r.error });
  return r.result as T;
}
async function fails(method: string, args: unknown) {
  const r = await dispatch(ws.handlers, 1, method, args);
  expect(r.ok).toBe(false);
  return (r as { error: { type: string; code: string; message: string; fields?: Array<{ field: string; message: string; value: unknown }> } }).error;
}
async function runJob(method: 'orderbook-import' | 'orderbook-build-paths', args: unknown): Promise<AnyRun> {
  const { runId } = await call<{ runId: string }>(method, args);
  await ws.jobs.idle();
  return ws.runs.get(runId)!;
}

describe('order-book handlers through the contract', () => {
  let parquetId = '';

  it('inspects the competition sample: files, stocks, rows, matched columns', async () => {
    const r = await call<InspectResult>('orderbook-inspect', { path: PARQUET });
    expect(r.kind).toBe('folder');
    expect(r.bookFiles).toBe(2);
    expect(r.files.map((f) => [f.path, f.stockId, f.format])).toEqual([
      ['stock_id=0/part-0.parquet', 0, 'parquet'],
      ['stock_id=1/part-0.parquet', 1, 'parquet'],
    ]);
    expect(r.files.reduce((a, f) => a + (f.rows ?? 0), 0)).toBe(8740);
    expect(r.mapping).toMatchObject({ layout: 'competition', levels: 2 });
    expect(r.sample).toHaveLength(5);
    expect(r.duplicateOf).toBeNull();
  });

  it('imports the Parquet sample as a job: metrics, data set, stocks, buckets', async () => {
    const events: string[] = [];
    const off = ws.subscribe((e) => events.push(e));
    const run = await runJob('orderbook-import', { path: PARQUET, label: 'sample parquet' });
    off();
    expect(run.status).toBe('done');
    expect(run.kind).toBe('orderbook-import');
    expect(run.backend).toBe('hyparquet');
    const m = run.metrics as ImportMetrics;
    expect(m).toMatchObject({ duplicateOf: null, files: 2, format: 'parquet', rows: 8740, acceptedRows: 8740, rejectedRows: 0, stocks: 2, buckets: 48 });
    expect(m.rowsPerSec).toBeGreaterThan(0);
    expect(events).toContain('run-finished');
    parquetId = m.datasetId;

    const list = await call<DatasetSummary[]>('orderbook-datasets', {});
    expect(list.map((d) => d.id)).toContain(parquetId);
    const d = await call<DatasetDetail>('orderbook-dataset-get', { datasetId: parquetId });
    expect(d).toMatchObject({ label: 'sample parquet', layout: 'competition', levels: 2, bucketSeconds: 600, stocks: 2, buckets: 48, rows: 8740 });
    expect(d.stocksTable.map((s) => [s.stockId, s.buckets])).toEqual([
      [0, 24],
      [1, 24],
    ]);
    expect(d.stocksTable.reduce((a, s) => a + s.rows, 0)).toBe(8740);
    expect(d.rv.count).toBe(48);
    expect(d.rv.median!).toBeGreaterThan(0.05);
    expect(d.rv.median!).toBeLessThan(5);
    expect(d.fileList).toHaveLength(2);
    // No staging file is left behind.
    expect(readdirSync(join(dataDir, 'orderbook-staging'))).toEqual([]);
  });

  it('returns a stock bucket table whose annualised RV matches rv / sqrt(span / year)', async () => {
    const t = await call<BucketTable>('orderbook-buckets', { datasetId: parquetId, stockId: 1 });
    expect(t.timeId).toHaveLength(24);
    expect([...t.timeId].sort((a, b) => a - b)).toEqual(t.timeId);
    for (let i = 0; i < t.timeId.length; i++) {
      expect(t.rvAnnual[i]! / t.rv[i]!).toBeGreaterThan(Math.sqrt(5_896_800 / 600) * 0.99);
      expect(t.spreadBp[i]).toBeGreaterThan(0);
    }
  });

  it('serves the WAP series reduced to bins for the whole stock and in full for a zoomed window', async () => {
    const whole = await call<SeriesData>('orderbook-series', { datasetId: parquetId, stockId: 0, maxPoints: 200 });
    expect(whole.decimated).toBe(true);
    expect(whole.x.length).toBeLessThanOrEqual(200);
    expect(whole.xMax).toBe(24 * 600);
    const rowsStock0 = (await call<DatasetDetail>('orderbook-dataset-get', { datasetId: parquetId })).stocksTable[0].rows;
    expect(whole.rows).toBe(rowsStock0);
    for (let i = 0; i < whole.x.length; i++) expect(whole.bid[i]).toBeLessThan(whole.ask[i]);
    const zoom = await call<SeriesData>('orderbook-series', { datasetId: parquetId, stockId: 0, from: 600, to: 1200, maxPoints: 5000 });
    expect(zoom.decimated).toBe(false);
    expect(zoom.x[0]).toBeGreaterThanOrEqual(600);
    expect(zoom.x[zoom.x.length - 1]).toBeLessThanOrEqual(1200);
    // Every row of the second bucket (plus its first second if a row sits exactly at 1200).
    expect(zoom.rows).toBeGreaterThan(50);
    // The level-1 WAP lies inside the level-1 spread (the all-level WAP need not: deeper levels pull it out).
    for (let i = 0; i < zoom.x.length; i++) {
      expect(zoom.wap1[i]).toBeGreaterThanOrEqual(zoom.bid[i] - 1e-6);
      expect(zoom.wap1[i]).toBeLessThanOrEqual(zoom.ask[i] + 1e-6);
    }
  });

  it('makes a realised-volatility histogram per stock and for the whole set', async () => {
    const h = await call<Histogram>('orderbook-rv-histogram', { datasetId: parquetId, stockId: 0, bins: 10 });
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(24);
    expect(h.edges).toHaveLength(11);
    const all = await call<Histogram>('orderbook-rv-histogram', { datasetId: parquetId, wap: 'level1' });
    expect(all.n).toBe(48);
    expect(all.wap).toBe('level1');
  });

  it('builds a path set (job) whose windows start at 1, split by time, and reads it back', async () => {
    const run = await runJob('orderbook-build-paths', { datasetId: parquetId, steps: 30 });
    expect(run.status).toBe('done');
    const m = run.metrics as PathsMetrics;
    // 48 buckets x 2 windows of 31 points at 10 s; 80% of the 24 time_ids (19) for training.
    expect(m.train + m.test).toBe(96);
    expect(m.train).toBe(2 * 2 * 19);
    expect(m.dtYears).toBeCloseTo(10 / 5_896_800, 15);
    expect(m.sigmaTrain).toBeGreaterThan(0);
    const sets = await call<PathSetSummary[]>('orderbook-path-sets', { datasetId: parquetId });
    expect(sets.map((s) => s.id)).toContain(m.pathSetId);
    const page = await call<PathsPage>('orderbook-paths-get', { pathSetId: m.pathSetId, split: 'train', offset: 10, limit: 5 });
    expect(page.count).toBe(m.train);
    expect(page.paths).toHaveLength(5);
    for (const p of page.paths) {
      expect(p).toHaveLength(31);
      expect(p[0]).toBe(1);
    }
    const test = await call<PathsPage>('orderbook-paths-get', { pathSetId: m.pathSetId, split: 'test', limit: 1000 });
    expect(test.paths).toHaveLength(m.test);
    expect(Math.min(...test.timeId)).toBe(m.cutTimeId);
    const train = await call<PathsPage>('orderbook-paths-get', { pathSetId: m.pathSetId, split: 'train', limit: 1000 });
    expect(Math.max(...train.timeId)).toBeLessThan(m.cutTimeId);
    // The typed loader the deep-hedging jobs use gives the same windows.
    const loaded = loadPathSet(ws.db, m.pathSetId, 'train')!;
    expect(loaded.count).toBe(m.train);
    expect(Array.from(loaded.paths.subarray(10 * 31, 11 * 31))).toEqual(page.paths[0]);
    expect(loaded.sigmaTrain).toBeCloseTo(m.sigmaTrain, 12);
  });

  it('detects a second import of the same content and stores nothing new', async () => {
    const insp = await call<InspectResult>('orderbook-inspect', { path: PARQUET });
    expect(insp.duplicateOf?.datasetId).toBe(parquetId);
    const before = (await call<DatasetSummary[]>('orderbook-datasets', {})).length;
    const run = await runJob('orderbook-import', { path: PARQUET });
    expect(run.status).toBe('done');
    expect((run.metrics as ImportMetrics).duplicateOf).toBe(parquetId);
    expect((run.metrics as ImportMetrics).datasetId).toBe(parquetId);
    expect((await call<DatasetSummary[]>('orderbook-datasets', {})).length).toBe(before);
  });

  it('imports the same books written as CSV and as Parquet to the same WAPs (to float32 precision)', async () => {
    const out = tempDir('hw-ob-gen-');
    const opts = { ...DEFAULT_GENERATOR, stocks: 1, buckets: 6, seed: 21 };
    await writeGeneratedBooks({ ...opts, format: 'csv', out });
    await writeGeneratedBooks({ ...opts, format: 'parquet', out });
    const a = await runJob('orderbook-import', { path: join(out, 'book_train.csv') });
    const b = await runJob('orderbook-import', { path: join(out, 'book_train.parquet') });
    expect(a.status).toBe('done');
    expect(a.backend).toMatch(/^udsv x\d workers$/);
    expect((a.metrics as ImportMetrics).reader).toMatch(/^udsv x\d workers$/); // no quotes: the parallel uDSV reader
    const [ta, tb] = await Promise.all(
      [a, b].map((r) => call<BucketTable>('orderbook-buckets', { datasetId: (r.metrics as ImportMetrics).datasetId, stockId: 0 })),
    );
    expect(ta.rows).toEqual(tb.rows);
    for (let i = 0; i < ta.rv.length; i++) expect(ta.rv[i]!).toBeCloseTo(tb.rv[i]!, 4);
    for (let i = 0; i < ta.wapOpen.length; i++) expect(Math.abs(ta.wapOpen[i] / tb.wapOpen[i] - 1)).toBeLessThan(2e-7);
  });

  it('imports the committed CSV sample (and sweeps a staging file left by a run that died)', async () => {
    const stale = join(dataDir, 'orderbook-staging', '11111111-2222-3333-4444-555555555555.sqlite');
    writeFileSync(stale, 'left over');
    const run = await runJob('orderbook-import', { path: CSV });
    expect(existsSync(stale)).toBe(false);
    expect(run.status).toBe('done');
    expect(run.metrics).toMatchObject({ rows: 1580, rejectedRows: 0, stocks: 1, buckets: 8, format: 'csv' });
  });

  it('needs a column mapping for a generic book with other names, and imports it with one', async () => {
    const insp = await call<InspectResult>('orderbook-inspect', { path: GENERIC });
    expect(insp.mapping).toBeNull();
    expect(insp.columns).toEqual(['ts_ms', 'bp1', 'bq1', 'ap1', 'aq1', 'bp2', 'bq2', 'ap2', 'aq2']);
    expect(insp.missing).toContain('timestamp');
    const without = await runJob('orderbook-import', { path: GENERIC });
    expect(without.status).toBe('failed');
    expect(without.error!.message).toMatch(/^generic_custom_names\.csv, line 1 \(header\), column timestamp, bid_price1, .*: no column for timestamp, bid_price1, /);
    const mapping = {
      layout: 'generic',
      levels: 2,
      timestamp: 'ts_ms',
      timestampUnit: 'ms',
      bucketSeconds: 600,
      bidPrice: ['bp1', 'bp2'],
      bidSize: ['bq1', 'bq2'],
      askPrice: ['ap1', 'ap2'],
      askSize: ['aq1', 'aq2'],
    };
    const run = await runJob('orderbook-import', { path: GENERIC, mapping, stockId: 42 });
    expect(run.status).toBe('done');
    const m = run.metrics as ImportMetrics;
    expect(m).toMatchObject({ rows: 1471, stocks: 1, buckets: 6 });
    const d = await call<DatasetDetail>('orderbook-dataset-get', { datasetId: m.datasetId });
    expect(d.layout).toBe('generic');
    expect(d.stocksTable[0].stockId).toBe(42);
    // ms timestamps from 1699999800577: buckets of 600 s start at time_id 2833333.
    expect(d.stocksTable[0].firstTimeId).toBe(2833333);
    // Rolling windows across the 6 joined buckets.
    const paths = await runJob('orderbook-build-paths', { datasetId: m.datasetId, steps: 20, intervalSeconds: 5, windows: 'rolling', stride: 10, trainFraction: 0.5 });
    expect(paths.status).toBe('done');
    expect((paths.metrics as PathsMetrics).train).toBeGreaterThan(0);
  });

  it('uploads a small file from the browser and imports it by the returned path', async () => {
    const bytes = readFileSync(join(CSV, 'stock_id=0', 'part-0.csv'));
    const up = await call<{ path: string; bytes: number }>('orderbook-upload', { name: 'stock_id=5.csv', dataBase64: bytes.toString('base64') });
    expect(up.bytes).toBe(bytes.length);
    expect(up.path.startsWith(join(dataDir, 'orderbook-uploads'))).toBe(true);
    const insp = await call<InspectResult>('orderbook-inspect', { path: up.path });
    expect(insp.files[0].stockId).toBe(5);
    const run = await runJob('orderbook-import', { path: up.path, label: 'uploaded' });
    expect(run.status).toBe('done');
    expect(existsSync(up.path)).toBe(false); // the upload is removed once imported
    const tooBig = await fails('orderbook-upload', { name: 'big.csv', dataBase64: 'A'.repeat(1_000_000) });
    expect(tooBig.fields?.[0].field).toBe('dataBase64');
  });

  it('refuses bad requests naming the field', async () => {
    expect((await fails('orderbook-import', { path: '' })).fields?.[0]).toMatchObject({ field: 'path' });
    expect((await fails('orderbook-import', { path: join(dataDir, 'nope.parquet') })).fields?.[0]).toMatchObject({ field: 'path', value: join(dataDir, 'nope.parquet') });
    const mismatch = await fails('orderbook-import', { path: PARQUET, mapping: { layout: 'competition', levels: 2, timeId: 't', secondsInBucket: 's', bidPrice: ['a'], bidSize: ['b', 'c'], askPrice: ['d', 'e'], askSize: ['f', 'g'] } });
    expect(mismatch.fields?.[0]).toMatchObject({ field: 'mapping.bidPrice' });
    expect(mismatch.message).toMatch(/exactly 2 columns/);
    const long = await fails('orderbook-build-paths', { datasetId: parquetId, steps: 100, intervalSeconds: 10 });
    expect(long.fields?.[0]).toMatchObject({ field: 'steps', value: 100 });
    expect(long.message).toMatch(/does not fit in one 600 s bucket/);
    const rolling = await fails('orderbook-build-paths', { datasetId: parquetId, steps: 30, intervalSeconds: 7, windows: 'rolling' });
    expect(rolling.fields?.[0]).toMatchObject({ field: 'intervalSeconds' });
    expect((await fails('orderbook-build-paths', { datasetId: parquetId, steps: 1 })).fields?.[0]).toMatchObject({ field: 'steps' });
    expect((await fails('orderbook-series', { datasetId: parquetId, stockId: 9 })).code).toBe('STOCK_NOT_FOUND');
    expect((await fails('orderbook-dataset-get', { datasetId: '00000000-0000-0000-0000-000000000000' })).code).toBe('DATASET_NOT_FOUND');
  });

  it('cancels a running import and leaves nothing behind', async () => {
    const out = tempDir('hw-ob-big-');
    await writeGeneratedBooks({ ...DEFAULT_GENERATOR, stocks: 1, buckets: 1500, format: 'csv', out });
    const before = (await call<DatasetSummary[]>('orderbook-datasets', {})).length;
    const { runId } = await call<{ runId: string }>('orderbook-import', { path: join(out, 'book_train.csv') });
    await new Promise<void>((resolve) => {
      const off = ws.subscribe((e, p) => {
        const d = (p as { runId?: string; detail?: { stage?: string; rowsRead?: number } }).detail;
        if (e === 'run-progress' && (p as { runId: string }).runId === runId && d?.stage === 'reading' && (d.rowsRead ?? 0) > 0) {
          off();
          resolve();
        }
      });
    });
    await call('runs-cancel', { runId });
    await ws.jobs.idle();
    expect(ws.runs.get(runId)!.status).toBe('cancelled');
    expect((await call<DatasetSummary[]>('orderbook-datasets', {})).length).toBe(before);
    expect(ws.db.prepare(`SELECT COUNT(*) AS n FROM orderbook_datasets WHERE import_run_id = ?`).get(runId)).toEqual({ n: 0 });
    expect(readdirSync(join(dataDir, 'orderbook-staging'))).toEqual([]);
  });

  it('fails a bad file as a run with file, row and column, and stores nothing', async () => {
    const dir = tempDir('hw-ob-bad-');
    const file = join(dir, 'stock_id=3.csv');
    const rows = readFileSync(join(CSV, 'stock_id=0', 'part-0.csv'), 'utf8').split('\n');
    rows[10] = rows[10].replace(/,(\d+)$/, ',-4'); // ask_size2 on line 11 (data row 10)
    writeFileSync(file, rows.join('\n'));
    const before = (await call<DatasetSummary[]>('orderbook-datasets', {})).length;
    const run = await runJob('orderbook-import', { path: file });
    expect(run.status).toBe('failed');
    expect(run.error!.message).toBe('stock_id=3.csv, row 10 (line 11), column ask_size2: sizes must be > 0, found -4. Fix the file, or import with "skip bad rows" to leave such rows out.');
    expect((await call<DatasetSummary[]>('orderbook-datasets', {})).length).toBe(before);
    const skipped = await runJob('orderbook-import', { path: file, skipBadRows: true });
    expect(skipped.status).toBe('done');
    expect(skipped.metrics).toMatchObject({ rows: 1580, acceptedRows: 1579, rejectedRows: 1, rejectReasons: { 'size-not-positive': 1 } });
    expect((skipped.metrics as ImportMetrics).rejectExamples[0]).toMatchObject({ file: 'stock_id=3.csv', row: 10, line: 11, column: 'ask_size2' });
  });

  it('deletes a data set and keeps its path sets (unlinked)', async () => {
    const sets = await call<PathSetSummary[]>('orderbook-path-sets', { datasetId: parquetId });
    const r = await call<{ deleted: number; pathSets: number }>('orderbook-dataset-delete', { datasetId: parquetId });
    expect(r).toEqual({ deleted: 1, pathSets: sets.length });
    expect((await call<DatasetSummary[]>('orderbook-datasets', {})).map((d) => d.id)).not.toContain(parquetId);
    const after = await call<PathSetSummary[]>('orderbook-path-sets', {});
    expect(after.find((s) => s.id === sets[0].id)?.datasetId).toBeNull();
    expect(ws.db.prepare(`SELECT COUNT(*) AS n FROM orderbook_buckets WHERE dataset_id = ?`).get(parquetId)).toEqual({ n: 0 });
  });
});
