import { type Db } from '../db';
import {
  TRADING_SECONDS_PER_YEAR,
  type BucketMessages,
  type BucketTable,
  type HaltInfo,
  type ColumnMapping,
  type DatasetSummary,
  type PathSetSummary,
  type PathsConfig,
  type RejectCode,
  type RejectExample,
  type RvStats,
  type StockSummary,
  type TimeUnits,
  type WapKind,
  type WindowMode,
} from '../../../src-shared/orderbook/contract';
import { reannualiseRvStats } from '../../engine/orderbook/realisedVol';
import { dataSessionOf, timeUnitsOf } from './orderbookTimeUnits';

/**
 * Every read and write of the order-book tables (resources/migrations/1763730000000_orderbook.sql).
 *
 * Big writes go through a STAGING database first (a separate SQLite file, see orderbookStage.ts): the import
 * and path jobs stream their bucket series / windows into it, then copy everything into the store in ONE
 * short transaction. So an import is all-or-nothing (a failure or cancel deletes the staging file and the
 * store never saw a row) without holding the store's write lock for the whole import, which would stall
 * every other writer (run progress, other jobs) for as long as the import runs.
 *
 * A data set or path set made by a job is visible once that run is `done` (or its run was deleted); rows left
 * by a run that ended otherwise are purged (`purgeOrphans`).
 */

/** Bytes of a typed array as a Buffer (little-endian, as every supported platform is). */
export const blobOf = (a: Float64Array | Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * A blob as float64 / float32 / int32 values: a view on the Buffer SQLite returned when it is aligned, else an
 * aligned copy (small Buffers come from Node's shared pool at any offset). Read-only use.
 */
export function f64(b: Buffer): Float64Array {
  if (b.byteOffset % 8 === 0) return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}
export function f32(b: Buffer): Float32Array {
  if (b.byteOffset % 4 === 0) return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
export function i32(b: Buffer): Int32Array {
  if (b.byteOffset % 4 === 0) return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  const out = new Int32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

const VISIBLE_DATASET = `(d.import_run_id IS NULL OR EXISTS (SELECT 1 FROM runs r WHERE r.id = d.import_run_id AND r.status = 'done'))`;
const VISIBLE_PATH_SET = `(p.build_run_id IS NULL OR EXISTS (SELECT 1 FROM runs r WHERE r.id = p.build_run_id AND r.status = 'done'))`;

interface DatasetRow {
  id: string;
  label: string;
  source_path: string;
  format: 'parquet' | 'csv' | 'mixed';
  layout: 'competition' | 'generic';
  levels: number;
  bucket_seconds: number;
  content_hash: string;
  files: number;
  stocks: number;
  buckets: number;
  rows: number;
  rejected_rows: number;
  mapping_json: string;
  rejects_json: string;
  stats_json: string;
  import_seconds: number | null;
  import_run_id: string | null;
  created_at: number;
  source: 'book' | 'lobster';
}

export interface DatasetStats {
  rv: RvStats;
  rv1: RvStats;
  spreadBp: number | null;
}

export interface DatasetRejects {
  reasons: Partial<Record<RejectCode, number>>;
  examples: RejectExample[];
}

/**
 * A data set row as the contract shows it. Its stored volatility statistics are annualised per year of
 * TRADING_SECONDS_PER_YEAR (what the import computes); they are shown in the data set's own trading-time units
 * (`timeUnits`: set for it, the session its files name, or the spec's 252 x 6.5 h), rescaled by
 * sqrt(units.secondsPerYear / TRADING_SECONDS_PER_YEAR).
 */
const toDataset = (r: DatasetRow, units: TimeUnits): DatasetSummary => {
  const stats = JSON.parse(r.stats_json) as DatasetStats;
  return {
    id: r.id,
    label: r.label,
    source: r.source ?? 'book',
    sourcePath: r.source_path,
    format: r.format,
    layout: r.layout,
    levels: r.levels,
    bucketSeconds: r.bucket_seconds,
    contentHash: r.content_hash,
    files: r.files,
    stocks: r.stocks,
    buckets: r.buckets,
    rows: r.rows,
    rejectedRows: r.rejected_rows,
    createdAt: r.created_at,
    importRunId: r.import_run_id,
    importSeconds: r.import_seconds,
    rv: reannualiseRvStats(stats.rv, units.secondsPerYear),
    rv1: reannualiseRvStats(stats.rv1, units.secondsPerYear),
    spreadBp: stats.spreadBp,
    timeUnits: units,
  };
};

interface PathSetRow {
  id: string;
  dataset_id: string | null;
  dataset_label: string | null;
  label: string;
  config_json: string;
  steps: number;
  interval_seconds: number;
  dt_years: number;
  wap: WapKind;
  windows: WindowMode;
  train_count: number;
  test_count: number;
  dropped: number;
  sigma_train: number | null;
  sigma_test: number | null;
  cut_time_id: number;
  build_run_id: string | null;
  created_at: number;
}

const toPathSet = (r: PathSetRow): PathSetSummary => ({
  id: r.id,
  datasetId: r.dataset_id,
  datasetLabel: r.dataset_label,
  label: r.label,
  config: JSON.parse(r.config_json) as PathsConfig,
  steps: r.steps,
  intervalSeconds: r.interval_seconds,
  dtYears: r.dt_years,
  wap: r.wap,
  windows: r.windows,
  train: r.train_count,
  test: r.test_count,
  dropped: r.dropped,
  sigmaTrain: r.sigma_train ?? NaN,
  sigmaTest: r.sigma_test ?? NaN,
  cutTimeId: r.cut_time_id,
  createdAt: r.created_at,
  buildRunId: r.build_run_id,
});

interface StockRow {
  stock_id: number;
  buckets: number;
  rows: number;
  first_time_id: number;
  last_time_id: number;
  stats_json: string;
  name: string | null;
  session_date: string | null;
  session_start_seconds: number | null;
  session_end_seconds: number | null;
}

/** The series of one bucket as stored. */
export interface BucketSeriesRow {
  timeId: number;
  seconds: Float64Array;
  wap: Float64Array;
  wap1: Float64Array;
  bid1: Float32Array;
  ask1: Float32Array;
}

/** Reads and small writes of the order-book tables. */
export function orderbookQueries(db: Db) {
  const s = {
    purgeDatasets: db.prepare(
      `DELETE FROM orderbook_datasets WHERE import_run_id IN (SELECT id FROM runs WHERE status IN ('failed','cancelled','interrupted'))`,
    ),
    purgePathSets: db.prepare(
      `DELETE FROM orderbook_path_sets WHERE build_run_id IN (SELECT id FROM runs WHERE status IN ('failed','cancelled','interrupted'))`,
    ),
    byHash: db.prepare(`SELECT d.* FROM orderbook_datasets d WHERE d.content_hash = ? AND ${VISIBLE_DATASET} ORDER BY created_at LIMIT 1`),
    list: db.prepare(`SELECT d.* FROM orderbook_datasets d WHERE ${VISIBLE_DATASET} ORDER BY created_at DESC, id DESC`),
    get: db.prepare(`SELECT d.* FROM orderbook_datasets d WHERE d.id = ? AND ${VISIBLE_DATASET}`),
    stocks: db.prepare(`SELECT * FROM orderbook_stocks WHERE dataset_id = ? ORDER BY stock_id`),
    layout: db.prepare(`SELECT layout FROM orderbook_datasets WHERE id = ?`),
    files: db.prepare(`SELECT path, format, stock_id, rows, rejected, bytes FROM orderbook_files WHERE dataset_id = ? ORDER BY path`),
    del: db.prepare(`DELETE FROM orderbook_datasets WHERE id = ?`),
    bucketStats: db.prepare(
      `SELECT time_id, rows, first_second, last_second, rv, rv1, spread_bp, depth, wap_open, wap_close
       FROM orderbook_buckets WHERE dataset_id = ? AND stock_id = ? ORDER BY time_id`,
    ),
    bucketIds: db.prepare(`SELECT time_id, rows FROM orderbook_buckets WHERE dataset_id = ? AND stock_id = ? ORDER BY time_id`),
    rvAll: db.prepare(`SELECT rv, rv1, last_second - first_second AS span FROM orderbook_buckets WHERE dataset_id = ?`),
    rvStock: db.prepare(`SELECT rv, rv1, last_second - first_second AS span FROM orderbook_buckets WHERE dataset_id = ? AND stock_id = ?`),
    seriesRange: db.prepare(
      `SELECT time_id, seconds, wap, wap1, bid1, ask1 FROM orderbook_buckets
       WHERE dataset_id = ? AND stock_id = ? AND time_id BETWEEN ? AND ? ORDER BY time_id`,
    ),
    wapSeries: db.prepare(`SELECT time_id, seconds, wap FROM orderbook_buckets WHERE dataset_id = ? AND stock_id = ? ORDER BY time_id`),
    wap1Series: db.prepare(`SELECT time_id, seconds, wap1 AS wap FROM orderbook_buckets WHERE dataset_id = ? AND stock_id = ? ORDER BY time_id`),
    distinctTimeIds: db.prepare(`SELECT DISTINCT time_id FROM orderbook_buckets WHERE dataset_id = ? ORDER BY time_id`),
    pathSets: db.prepare(
      `SELECT p.*, d.label AS dataset_label FROM orderbook_path_sets p LEFT JOIN orderbook_datasets d ON d.id = p.dataset_id
       WHERE ${VISIBLE_PATH_SET} ORDER BY p.created_at DESC, p.id DESC`,
    ),
    pathSetsOf: db.prepare(
      `SELECT p.*, d.label AS dataset_label FROM orderbook_path_sets p LEFT JOIN orderbook_datasets d ON d.id = p.dataset_id
       WHERE p.dataset_id = ? AND ${VISIBLE_PATH_SET} ORDER BY p.created_at DESC, p.id DESC`,
    ),
    pathSet: db.prepare(
      `SELECT p.*, d.label AS dataset_label FROM orderbook_path_sets p LEFT JOIN orderbook_datasets d ON d.id = p.dataset_id
       WHERE p.id = ? AND ${VISIBLE_PATH_SET}`,
    ),
    chunks: db.prepare(
      `SELECT first_window, count, stock_ids, time_ids, start_seconds, paths FROM orderbook_path_chunks
       WHERE path_set_id = ? AND split = ? AND first_window < ? AND first_window + count > ? ORDER BY chunk`,
    ),
    allChunks: db.prepare(`SELECT count, paths FROM orderbook_path_chunks WHERE path_set_id = ? AND split = ? ORDER BY chunk`),
    delPathSet: db.prepare(`DELETE FROM orderbook_path_sets WHERE id = ?`),
    pathSetsOfDataset: db.prepare(`SELECT COUNT(*) AS n FROM orderbook_path_sets WHERE dataset_id = ?`),
    events: db.prepare(`SELECT * FROM orderbook_bucket_events WHERE dataset_id = ? AND stock_id = ? ORDER BY time_id`),
    hasEvents: db.prepare(`SELECT 1 FROM orderbook_bucket_events WHERE dataset_id = ? LIMIT 1`),
    halts: db.prepare(`SELECT stock_id, start_second, end_second FROM orderbook_halts WHERE dataset_id = ? ORDER BY stock_id, start_second`),
  };

  /** Per-bucket message statistics of a stock (LOBSTER data sets), null when the data set has none. */
  const bucketMessages = (datasetId: string, stockId: number): BucketMessages | null => {
    if (!s.hasEvents.get(datasetId)) return null;
    const rows = s.events.all(datasetId, stockId) as Array<Record<string, number>>;
    return {
      timeId: rows.map((r) => r.time_id),
      events: [1, 2, 3, 4, 5, 6, 7].map((t) => rows.map((r) => r[`type${t}`])),
      visibleVolume: rows.map((r) => r.visible_volume),
      hiddenVolume: rows.map((r) => r.hidden_volume),
      trades: rows.map((r) => r.trades),
      haltedRows: rows.map((r) => r.halted_rows),
    };
  };

  const annualised = (rv: number | null, span: number, secondsPerYear: number): number => (rv !== null && span > 0 ? rv / Math.sqrt(span / secondsPerYear) : NaN);
  /** A data set row with its figures in its trading-time units (the data set's session when its stocks name one). */
  const dataset = (r: DatasetRow): DatasetSummary => toDataset(r, timeUnitsOf(db, r.id, r.layout, dataSessionOf(db, r.id, null)));

  return {
    /** Remove data and path sets whose job failed, was cancelled or was interrupted after writing. */
    purgeOrphans(): void {
      s.purgeDatasets.run();
      s.purgePathSets.run();
    },
    findByHash(hash: string): DatasetSummary | null {
      const r = s.byHash.get(hash) as DatasetRow | undefined;
      return r ? dataset(r) : null;
    },
    listDatasets(): DatasetSummary[] {
      return (s.list.all() as DatasetRow[]).map(dataset);
    },
    getDataset(id: string): DatasetSummary | null {
      const r = s.get.get(id) as DatasetRow | undefined;
      return r ? dataset(r) : null;
    },
    datasetExtras(id: string): { mapping: ColumnMapping; rejects: DatasetRejects } | null {
      const r = s.get.get(id) as DatasetRow | undefined;
      return r ? { mapping: JSON.parse(r.mapping_json) as ColumnMapping, rejects: JSON.parse(r.rejects_json) as DatasetRejects } : null;
    },
    stocks(id: string): StockSummary[] {
      const halts = new Map<number, HaltInfo[]>();
      for (const h of s.halts.all(id) as Array<{ stock_id: number; start_second: number; end_second: number | null }>) {
        const list = halts.get(h.stock_id) ?? [];
        list.push({ startSecond: h.start_second, endSecond: h.end_second });
        halts.set(h.stock_id, list);
      }
      const layout = (s.layout.get(id) as { layout: string } | undefined)?.layout ?? 'generic';
      return (s.stocks.all(id) as StockRow[]).map((r) => {
        const st = JSON.parse(r.stats_json) as { rv: RvStats; rv1: RvStats; spreadBp: number | null; depth: number | null };
        const session = r.session_start_seconds !== null && r.session_end_seconds !== null ? { date: r.session_date, startSeconds: r.session_start_seconds, endSeconds: r.session_end_seconds } : null;
        // stored per year of TRADING_SECONDS_PER_YEAR; shown in the stock's units (its own session, as its analyses)
        const timeUnits = timeUnitsOf(db, id, layout, session);
        const rv = reannualiseRvStats(st.rv, timeUnits.secondsPerYear);
        const rv1 = reannualiseRvStats(st.rv1, timeUnits.secondsPerYear);
        return { stockId: r.stock_id, name: r.name, session, halts: halts.get(r.stock_id) ?? [], buckets: r.buckets, rows: r.rows, firstTimeId: r.first_time_id, lastTimeId: r.last_time_id, ...st, rv, rv1, timeUnits };
      });
    },
    bucketMessages,
    files(id: string): Array<{ path: string; format: 'parquet' | 'csv'; stockId: number; rows: number; rejected: number; bytes: number }> {
      return (s.files.all(id) as Array<{ path: string; format: 'parquet' | 'csv'; stock_id: number; rows: number; rejected: number; bytes: number }>).map((f) => ({
        path: f.path,
        format: f.format,
        stockId: f.stock_id,
        rows: f.rows,
        rejected: f.rejected,
        bytes: f.bytes,
      }));
    },
    /** Delete a data set (its buckets go with it; path sets built from it are kept, unlinked). */
    deleteDataset(id: string): { deleted: number; pathSets: number } {
      return db.transaction(() => {
        const pathSets = (s.pathSetsOfDataset.get(id) as { n: number }).n;
        return { deleted: s.del.run(id).changes, pathSets };
      })();
    },
    /**
     * Per-bucket figures of a stock; `rvAnnual` / `rv1Annual` per year of `secondsPerYear` trading seconds
     * (default 252 x 6.5 h; the handler passes the stock's units and names them in `timeUnits`).
     */
    bucketTable(datasetId: string, stockId: number, bucketSeconds: number, secondsPerYear = TRADING_SECONDS_PER_YEAR): Omit<BucketTable, 'timeUnits'> {
      const rows = s.bucketStats.all(datasetId, stockId) as Array<{
        time_id: number;
        rows: number;
        first_second: number;
        last_second: number;
        rv: number | null;
        rv1: number | null;
        spread_bp: number;
        depth: number;
        wap_open: number;
        wap_close: number;
      }>;
      const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);
      return {
        datasetId,
        stockId,
        bucketSeconds,
        timeId: rows.map((r) => r.time_id),
        rows: rows.map((r) => r.rows),
        rv: rows.map((r) => r.rv),
        rv1: rows.map((r) => r.rv1),
        rvAnnual: rows.map((r) => fin(annualised(r.rv, r.last_second - r.first_second, secondsPerYear))),
        rv1Annual: rows.map((r) => fin(annualised(r.rv1, r.last_second - r.first_second, secondsPerYear))),
        spreadBp: rows.map((r) => r.spread_bp),
        depth: rows.map((r) => r.depth),
        wapOpen: rows.map((r) => r.wap_open),
        wapClose: rows.map((r) => r.wap_close),
        messages: bucketMessages(datasetId, stockId),
      };
    },
    /** Annualised realised volatility of every bucket (of one stock, or all), from the chosen WAP, per year of `secondsPerYear` trading seconds. */
    annualRv(datasetId: string, stockId: number | null, wap: WapKind, secondsPerYear = TRADING_SECONDS_PER_YEAR): Float64Array {
      const rows = (stockId === null ? s.rvAll.all(datasetId) : s.rvStock.all(datasetId, stockId)) as Array<{ rv: number | null; rv1: number | null; span: number }>;
      return Float64Array.from(rows, (r) => annualised(wap === 'all' ? r.rv : r.rv1, r.span, secondsPerYear));
    },
    /** time_id and row count of every bucket of a stock, in time order. */
    bucketIndex(datasetId: string, stockId: number): Array<{ timeId: number; rows: number }> {
      return (s.bucketIds.all(datasetId, stockId) as Array<{ time_id: number; rows: number }>).map((r) => ({ timeId: r.time_id, rows: r.rows }));
    },
    /** Full series of the buckets with time_id in [fromTimeId, toTimeId], in time order. */
    seriesRange(datasetId: string, stockId: number, fromTimeId: number, toTimeId: number): BucketSeriesRow[] {
      return (s.seriesRange.all(datasetId, stockId, fromTimeId, toTimeId) as Array<{ time_id: number; seconds: Buffer; wap: Buffer; wap1: Buffer; bid1: Buffer; ask1: Buffer }>).map((r) => ({
        timeId: r.time_id,
        seconds: f64(r.seconds),
        wap: f64(r.wap),
        wap1: f64(r.wap1),
        bid1: f32(r.bid1),
        ask1: f32(r.ask1),
      }));
    },
    /** Seconds and one WAP series of every bucket of a stock, in time order (what the path builder needs). */
    wapSeries(datasetId: string, stockId: number, wap: WapKind): Array<{ timeId: number; seconds: Float64Array; wap: Float64Array }> {
      const stmt = wap === 'all' ? s.wapSeries : s.wap1Series;
      return (stmt.all(datasetId, stockId) as Array<{ time_id: number; seconds: Buffer; wap: Buffer }>).map((r) => ({ timeId: r.time_id, seconds: f64(r.seconds), wap: f64(r.wap) }));
    },
    distinctTimeIds(datasetId: string): number[] {
      return (s.distinctTimeIds.all(datasetId) as Array<{ time_id: number }>).map((r) => r.time_id);
    },
    listPathSets(datasetId?: string): PathSetSummary[] {
      return ((datasetId ? s.pathSetsOf.all(datasetId) : s.pathSets.all()) as PathSetRow[]).map(toPathSet);
    },
    getPathSet(id: string): PathSetSummary | null {
      const r = s.pathSet.get(id) as PathSetRow | undefined;
      return r ? toPathSet(r) : null;
    },
    /** Windows [offset, offset + limit) of one split with their provenance. */
    pathsPage(id: string, split: 'train' | 'test', offset: number, limit: number, width: number) {
      const chunks = s.chunks.all(id, split, offset + limit, offset) as Array<{ first_window: number; count: number; stock_ids: Buffer; time_ids: Buffer; start_seconds: Buffer; paths: Buffer }>;
      const out = { paths: [] as number[][], stockId: [] as number[], timeId: [] as number[], startSecond: [] as number[] };
      for (const c of chunks) {
        const paths = f64(c.paths);
        const st = i32(c.stock_ids);
        const ti = i32(c.time_ids);
        const ss = f64(c.start_seconds);
        const lo = Math.max(offset, c.first_window) - c.first_window;
        const hi = Math.min(offset + limit, c.first_window + c.count) - c.first_window;
        for (let w = lo; w < hi; w++) {
          out.paths.push(Array.from(paths.subarray(w * width, (w + 1) * width)));
          out.stockId.push(st[w]);
          out.timeId.push(ti[w]);
          out.startSecond.push(ss[w]);
        }
      }
      return out;
    },
    deletePathSet(id: string): number {
      return s.delPathSet.run(id).changes;
    },
  };
}

export type OrderbookQueries = ReturnType<typeof orderbookQueries>;

/**
 * All windows of one split of a path set as one row-major Float64Array (count x (steps + 1), each row
 * starting at 1), with the set's time step and training volatility: what a deep-hedging job (in its worker,
 * on its own connection) trains or evaluates on. Returns null when the set does not exist (or is not done).
 */
export function loadPathSet(
  db: Db,
  pathSetId: string,
  split: 'train' | 'test',
): { paths: Float64Array; count: number; steps: number; dtYears: number; sigmaTrain: number; summary: PathSetSummary } | null {
  const q = orderbookQueries(db);
  const summary = q.getPathSet(pathSetId);
  if (!summary) return null;
  const count = split === 'train' ? summary.train : summary.test;
  const width = summary.steps + 1;
  const paths = new Float64Array(count * width);
  let at = 0;
  for (const c of db.prepare(`SELECT count, paths FROM orderbook_path_chunks WHERE path_set_id = ? AND split = ? ORDER BY chunk`).all(pathSetId, split) as Array<{ count: number; paths: Buffer }>) {
    paths.set(f64(c.paths), at * width);
    at += c.count;
  }
  return { paths, count: at, steps: summary.steps, dtYears: summary.dtYears, sigmaTrain: summary.sigmaTrain, summary };
}
