import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { appError } from '../../../src-shared/api/errors';
import { type ColumnMapping, type ImportConfig, type ImportMetrics, type ImportProgressDetail } from '../../../src-shared/orderbook/contract';
import { CancelledError } from '../../engine/cancel';
import { BookAccumulator, type BucketResult } from '../../engine/orderbook/accumulate';
import { type BucketEvents, type LobsterHalt, LobsterConverter } from '../../engine/orderbook/lobster';
import { BookInputError } from '../../engine/orderbook/errors';
import { addBucket, datasetStats, newStockAgg, type StockAgg, stockStats } from './stockAgg';
import { type JobContext } from '../../jobs/runner';
import { openDb, type Db } from '../../store/db';
import { orderbookQueries } from '../../store/queries/orderbook';
import { openDirectBuckets, openStage, stagingFile, sweepStaging } from '../../store/queries/orderbookStage';
import { CsvParsePool } from './io/csvPool';
import { type FoundFile, datasetHash } from './io/discover';
import { type LobsterPair } from './io/lobsterPairs';
import { type LobsterHeads, readLobsterHeads, readLobsterSlices } from './io/lobsterReader';
import { removeUpload } from './uploads';

/**
 * Importing LOBSTER pairs (spec orderbook.md, format 3), the counterpart of importJob.ts for books that come as
 * message + orderbook file pairs: hash both files of every pair on the parser threads while the import runs (an
 * input imported before is not imported again: the import stops as soon as the hashes show it),
 * stream each pair through the CSV readers (lobsterReader.ts), the LOBSTER converter (engine/orderbook/lobster.ts:
 * prices / 10,000, empty levels, halts, message statistics) and the same accumulator as every other book (WAPs,
 * per-bucket realised volatility; orderbook rows come compacted from the parser threads, lobsterRows.ts) into the
 * store, then write the rest in ONE transaction: the data set, one stock per pair (named by ticker, with its
 * session), the buckets' message statistics and the halts. A job writes its buckets straight into the store as they
 * close (invisible until its run is done, deleted if it fails: orderbookStage.ts openDirectBuckets); an in-process
 * import stages them in a separate file and copies them in with the rest.
 *
 * Where the CPU goes (10,485,311 events, 10 levels, 2.8 GB, as a job; bench/lobster-import.profile.ts): parser
 * threads about 1.6 us per event (orderbook bytes -> compact rows 0.9, message rows, sha256 of both files), this
 * thread about 0.5 us (bucketing, message statistics, SQLite writes), V8's GC and compiler threads about 0.3 us.
 */

const PROGRESS_MS = 250;
export const DEFAULT_LOBSTER_BUCKET_SECONDS = 600;

interface LobsterStockAgg extends StockAgg {
  pair: LobsterPair;
  events: BucketEvents[];
  halts: LobsterHalt[];
}

/** The mapping recorded with a LOBSTER data set: where each value sits in the headerless files. */
export function lobsterMapping(levels: number, bucketSeconds: number, names: string[]): ColumnMapping {
  return {
    layout: 'generic',
    levels,
    header: false,
    timestamp: names[0],
    timestampUnit: 's',
    bucketSeconds,
    bidPrice: names.slice(1, 1 + levels),
    bidSize: names.slice(1 + levels, 1 + 2 * levels),
    askPrice: names.slice(1 + 2 * levels, 1 + 3 * levels),
    askSize: names.slice(1 + 3 * levels, 1 + 4 * levels),
  };
}

export async function importLobster(
  cfg: ImportConfig,
  ctx: Pick<JobContext, 'hooks' | 'dataDir'> & { runId: string | null; started?(backend: string): void; lobsterReferencePath?: boolean },
  root: string,
  pairs: LobsterPair[],
  others: FoundFile[],
  dbIn?: Db,
): Promise<{ metrics: ImportMetrics }> {
  const t0 = performance.now();
  const hooks = ctx.hooks;
  const cancelled = (): boolean => hooks.shouldCancel?.() === true;
  const skip = cfg.skipBadRows === true;
  const B = cfg.bucketSeconds ?? DEFAULT_LOBSTER_BUCKET_SECONDS;
  const levelsSet = new Set(pairs.map((p) => p.name.levels));
  const levels = Math.max(...levelsSet);
  const skippedFiles = others.map((f) => ({ path: f.rel, reason: 'not a LOBSTER file (the import reads the LOBSTER pairs in this folder)' }));
  const heads: LobsterHeads[] = [];
  for (const p of pairs) heads.push(await readLobsterHeads(p));

  const workers = Math.max(1, Math.min(3, availableParallelism()));
  const reader = `byte-level numeric parser x${workers} workers (LOBSTER pairs)`;
  ctx.started?.(reader);
  const files = pairs.flatMap((p) => [p.message, p.orderbook]);
  const totalBytes = files.reduce((a, f) => a + f.bytes, 0);
  // Rows expected: orderbook bytes over the mean length of its first lines.
  const estOf = (p: LobsterPair, h: LobsterHeads): number => {
    const avg = h.orderbook.sample.length ? h.orderbook.sample.reduce((a, r) => a + r.join(',').length + 1, 0) / h.orderbook.sample.length : 100;
    return Math.max(1, Math.round(p.orderbook.bytes / avg));
  };
  let estTotal = pairs.reduce((a, p, i) => a + estOf(p, heads[i]), 0);
  let rowsRead = 0;
  let lastReport = 0;
  let readingSince = 0;
  let currentFile = '';
  let fileIndex = 0;
  const report = (stage: ImportProgressDetail['stage'], force = false, extra: Partial<ImportProgressDetail> = {}): void => {
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_MS) return;
    lastReport = now;
    const rate = stage === 'reading' ? rowsRead / Math.max(1e-3, (now - readingSince) / 1000) : 0;
    const total = Math.max(estTotal, rowsRead);
    hooks.onProgress?.(rowsRead, total, {
      stage, rowsRead, rowsTotal: total, rowsPerSec: rate, secondsLeft: stage === 'reading' && rate > 0 ? (total - rowsRead) / rate : null,
      file: currentFile, fileIndex, files: pairs.length, rejectedRows: 0, ...extra,
    });
  };

  // Content hash of both files of every pair, with the bucket length (it changes what is stored). The files are
  // hashed on the parser threads beside the parsing (hashing 2.8 GB takes about 2 CPU-seconds): the input is
  // checked against the store as soon as the hashes are in, and a duplicate stops the import there.
  const pairOf = (i: number): LobsterPair => pairs[Math.floor(i / 2)];
  const db = dbIn ?? openDb({ dataDir: ctx.dataDir });
  const q = orderbookQueries(db);
  const pool = new CsvParsePool(workers);
  let hashes: string[] | null = null;
  const hashing = Promise.all(files.map((f) => pool.hash(f.abs))).then((h) => (hashes = h));
  hashing.catch(() => {}); // awaited below; never left unhandled
  let dupChecked = false;
  let dup: ReturnType<typeof q.findByHash> = null;
  const contentHash = (): string => datasetHash(files.map((f, i) => ({ sha256: hashes![i], stockId: pairOf(i).stockId })), { lobster: true, bucketSeconds: B });
  /** Once the hashes are in (or waiting for them): the data set this input was imported as before, if any. */
  const duplicate = async (wait: boolean): Promise<boolean> => {
    if (!dupChecked && (hashes !== null || wait)) {
      await hashing;
      dupChecked = true;
      dup = q.findByHash(contentHash());
    }
    return dup !== null;
  };
  const duplicateResult = (): { metrics: ImportMetrics } => {
    const d = dup!;
    return {
      metrics: {
        datasetId: d.id, duplicateOf: d.id, files: files.length, format: 'csv', bytes: totalBytes, rows: 0, acceptedRows: 0, rejectedRows: 0,
        rejectReasons: {}, rejectExamples: [], skippedFiles, stocks: d.stocks, buckets: d.buckets, seconds: (performance.now() - t0) / 1000, rowsPerSec: 0, reader,
      },
    };
  };
  let staging: ReturnType<typeof openStage> | ReturnType<typeof openDirectBuckets> | null = null;
  try {
    q.purgeOrphans();
    sweepStaging(db, ctx.dataDir);
    const datasetId = randomUUID();
    const label = cfg.label?.trim() || `${basename(root)} (LOBSTER, ${pairs.length} pair${pairs.length === 1 ? '' : 's'})`;
    // The data set row, written in full at the end (an upsert: a job writes a placeholder first, see below).
    const putDataset = db.prepare(
      `INSERT INTO orderbook_datasets (id, label, source_path, format, layout, levels, bucket_seconds, content_hash, files, stocks, buckets, rows,
        rejected_rows, mapping_json, rejects_json, stats_json, import_seconds, import_run_id, created_at, source)
       VALUES (?, ?, ?, 'csv', 'generic', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'lobster')
       ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash, stocks = excluded.stocks, buckets = excluded.buckets, rows = excluded.rows,
        rejected_rows = excluded.rejected_rows, mapping_json = excluded.mapping_json, rejects_json = excluded.rejects_json, stats_json = excluded.stats_json,
        import_seconds = excluded.import_seconds, created_at = excluded.created_at`,
    );
    // A job writes its buckets straight into the store as they close (invisible until its run is done); an
    // in-process import (no run: visible at once) stages them and copies them in at the end.
    const stage =
      ctx.runId !== null
        ? openDirectBuckets(db, datasetId, () => putDataset.run(datasetId, label, root, levels, B, '', files.length, 0, 0, 0, 0, '{}', '{}', '{}', null, ctx.runId, Date.now()))
        : openStage(db, stagingFile(ctx.dataDir, datasetId));
    staging = stage;
    const stocks = new Map<number, LobsterStockAgg>();
    let current: LobsterStockAgg | null = null;
    const onBucket = (b: BucketResult): void => {
      stage.putBucket(datasetId, b);
      addBucket(current!, b);
    };
    const acc = new BookAccumulator({ skipBadRows: skip, onBucket });
    readingSince = performance.now();
    const report2 = { messages: 0, oneSidedRows: 0, haltedRows: 0, haltedDropped: 0, halts: 0 };
    const fileRows: Array<{ rows: number; rejected: number }> = [];
    let plan = null;
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i];
      fileIndex = i;
      currentFile = p.orderbook.rel;
      const conv = new LobsterConverter({ levels: p.name.levels, bucketSeconds: B, startSecond: p.name.startMs / 1000, messageFile: p.message.rel, bookFile: p.orderbook.rel, skipBadRows: skip, referencePath: ctx.lobsterReferencePath });
      plan ??= conv.plan;
      current = { ...newStockAgg(), pair: p, events: [], halts: [] };
      stocks.set(p.stockId, current);
      const rej0 = acc.rejected;
      acc.beginFile(p.orderbook.rel, conv.plan, p.stockId);
      const before = rowsRead;
      let bytesDone = 0;
      for await (const slice of readLobsterSlices(p, heads[i], pool, (b) => (bytesDone = b))) {
        if (cancelled()) throw new CancelledError();
        if (!dupChecked && hashes !== null && (await duplicate(false))) return duplicateResult();
        conv.feed(slice, acc);
        rowsRead += slice.n;
        if (bytesDone > 0) estTotal = Math.max(rowsRead, Math.round(before + ((rowsRead - before) / bytesDone) * p.orderbook.bytes) + pairs.slice(i + 1).reduce((a, x, j) => a + estOf(x, heads[i + 1 + j]), 0));
        report('reading');
      }
      acc.endFile();
      if (rowsRead === before) {
        throw new BookInputError({ file: p.message.rel, row: null, line: 1, column: null, code: 'EMPTY_FILE', problem: 'the file has no rows: a LOBSTER message file has one row per message' });
      }
      current.events = conv.bucketList();
      current.halts = conv.halts;
      const haltedRows = current.events.reduce((a, e) => a + e.haltedRows, 0);
      report2.messages += conv.messages;
      report2.oneSidedRows += conv.oneSidedRows;
      report2.haltedRows += haltedRows;
      report2.haltedDropped += conv.haltedDropped;
      report2.halts += conv.halts.length;
      fileRows.push({ rows: rowsRead - before, rejected: acc.rejected - rej0 });
    }
    if (cancelled()) throw new CancelledError();
    if (await duplicate(true)) return duplicateResult();
    if (acc.accepted === 0) {
      throw appError('validation', 'NO_ROWS', `no book rows were imported: of ${acc.rows} rows, ${acc.rejected} were rejected and the rest had an empty side at level 1 or fell in a halt (${report2.oneSidedRows} one-sided, ${report2.haltedDropped} halted)`);
    }
    report('storing', true);
    await new Promise((r) => setTimeout(r, 50));

    const all = [...stocks.values()];
    const mapping = lobsterMapping(levels, B, plan!.names);
    const tStore = performance.now();
    stage.commit(() => {
      putDataset.run(
        datasetId, label, root, levels, B, contentHash(), files.length, stocks.size, acc.buckets, acc.accepted, acc.rejected, JSON.stringify(mapping),
        JSON.stringify({ reasons: acc.reasons, examples: acc.examples }),
        JSON.stringify(datasetStats(all, acc.accepted)),
        (performance.now() - t0) / 1000, ctx.runId, Date.now(),
      );
      const putFile = db.prepare(`INSERT INTO orderbook_files (dataset_id, path, format, stock_id, rows, rejected, bytes, sha256) VALUES (?, ?, 'csv', ?, ?, ?, ?, ?)`);
      files.forEach((f, i) => putFile.run(datasetId, f.rel, pairOf(i).stockId, fileRows[Math.floor(i / 2)].rows, fileRows[Math.floor(i / 2)].rejected, f.bytes, hashes![i]));
      const putStock = db.prepare(
        `INSERT INTO orderbook_stocks (dataset_id, stock_id, buckets, rows, first_time_id, last_time_id, stats_json, name, session_date, session_start_seconds, session_end_seconds)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const putEvents = db.prepare(`INSERT INTO orderbook_bucket_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const putHalt = db.prepare(`INSERT INTO orderbook_halts (dataset_id, stock_id, start_second, end_second, row) VALUES (?, ?, ?, ?, ?)`);
      for (const s of all) {
        const id = s.pair.stockId;
        if (s.buckets > 0) {
          putStock.run(datasetId, id, s.buckets, s.rows, s.firstTimeId, s.lastTimeId, JSON.stringify(stockStats(s)), s.pair.stockName, s.pair.name.date, s.pair.name.startMs / 1000, s.pair.name.endMs / 1000);
        }
        for (const e of s.events) putEvents.run(datasetId, id, e.timeId, ...Array.from(e.events), e.visibleVolume, e.hiddenVolume, e.trades, e.haltedRows);
        for (const h of s.halts) putHalt.run(datasetId, id, h.startSecond, h.endSecond, h.row);
      }
      stage.copyBuckets();
    });
    staging = null;
    const storeSeconds = (performance.now() - tStore) / 1000;
    removeUpload(ctx.dataDir, root);
    const total = (performance.now() - t0) / 1000;
    return {
      metrics: {
        datasetId, duplicateOf: null, files: files.length, format: 'csv', bytes: totalBytes, rows: rowsRead, acceptedRows: acc.accepted, rejectedRows: acc.rejected,
        rejectReasons: acc.reasons, rejectExamples: acc.examples,
        duplicateTimes: { count: acc.duplicateTimes, first: acc.firstDuplicate },
        backwardTimes: { count: acc.backwardTimes, first: acc.firstBackward },
        lobster: { pairs: pairs.length, ...report2, bucketSeconds: B },
        skippedFiles, stocks: [...stocks.values()].filter((s) => s.buckets > 0).length, buckets: acc.buckets, seconds: total, rowsPerSec: rowsRead / total, reader, storeSeconds,
      },
    };
  } catch (e) {
    // A bad row in an input imported before (with other options) is not an error: the input is a duplicate.
    if (e instanceof BookInputError && (await duplicate(true).catch(() => false))) return duplicateResult();
    throw e;
  } finally {
    staging?.discard();
    await pool.close();
    if (!dbIn) db.close();
  }
}
