import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { appError } from '../../../src-shared/api/errors';
import { type ImportConfig, type ImportMetrics, type ImportProgressDetail } from '../../../src-shared/orderbook/contract';
import { CancelledError } from '../../engine/cancel';
import { BookAccumulator, type BucketResult } from '../../engine/orderbook/accumulate';
import { type BookBatch, rolePlan } from '../../engine/orderbook/batch';
import { TIME_UNIT_SECONDS, mappedColumns } from '../../engine/orderbook/columns';
import { BookInputError } from '../../engine/orderbook/errors';
import { addBucket, datasetStats, newStockAgg, type StockAgg, stockStats } from './stockAgg';
import { type JobContext, type JobRunner } from '../../jobs/runner';
import { openDb, type Db } from '../../store/db';
import { orderbookQueries } from '../../store/queries/orderbook';
import { openStage, stagingFile, sweepStaging } from '../../store/queries/orderbookStage';
import { CsvParsePool } from './io/csvPool';
import { readCsvBatches } from './io/csvReader';
import { type FoundFile, datasetHash, discover, hashFile } from './io/discover';
import { openParquet, readParquetBatches } from './io/parquetReader';
import { type FilePlan, planFiles, resolveMapping } from './plan';
import { removeUpload } from './uploads';
import { findLobsterPairs } from './io/lobsterPairs';
import { importLobster } from './lobsterImport';
import { excerpt } from '../../../src-shared/text/excerpt';

/**
 * The 'orderbook-import' job (runs in a worker): find the files, check their columns, hash them (an input
 * imported before is not imported again), stream every book row through the engine's accumulator (validation,
 * WAPs, per-bucket realised volatility) into a staging database, and copy it into the store in ONE transaction.
 * A bad row fails the whole import with its file, row and column, unless `skipBadRows`; cancelling or failing
 * leaves nothing behind. Progress reports rows read, rows per second and time left.
 */

const PROGRESS_MS = 250;
const RATE_WINDOW_MS = 3000;

export interface ImportOutcome {
  metrics: ImportMetrics;
}

/** Also used in-process (first-start seeding, tests): `runId` null means "not a job" (visible at once). */
export async function importBooks(
  cfg: ImportConfig,
  ctx: Pick<JobContext, 'hooks' | 'dataDir'> & { runId: string | null; started?(backend: string): void; lobsterReferencePath?: boolean },
  dbIn?: Db,
): Promise<ImportOutcome> {
  const t0 = performance.now();
  const hooks = ctx.hooks;
  const cancelled = (): boolean => hooks.shouldCancel?.() === true;
  const skip = cfg.skipBadRows === true;

  const found = await discover(cfg.path);
  const lobster = findLobsterPairs(found.files);
  if (lobster) return importLobster(cfg, ctx, found.root, lobster.pairs, lobster.others, dbIn);
  const plans = await planFiles(found.files, { sample: false, header: cfg.mapping?.header });
  const skippedFiles: Array<{ path: string; reason: string }> = [];
  const books: FilePlan[] = [];
  for (const p of plans) {
    if (p.role === 'trade') skippedFiles.push({ path: p.rel, reason: 'a trade file (price, size, order_count), not a book' });
    else if (p.error) {
      if (skip && p.error.location.code === 'EMPTY_FILE') skippedFiles.push({ path: p.rel, reason: p.error.location.problem });
      else throw p.error;
    } else books.push(p);
  }
  const mapping = resolveMapping(books, cfg.mapping);
  const plan = rolePlan(mapping);
  const columns = mappedColumns(mapping);
  const timestampRole = mapping.layout === 'generic' ? plan.time : -1;
  const timestampScale = mapping.layout === 'generic' ? (mapping.timestampUnit === 'iso' ? 0 : TIME_UNIT_SECONDS[mapping.timestampUnit ?? 's']) : 1;
  const fileStock = (f: FoundFile): number => f.stockId ?? cfg.stockId ?? 0;

  const anyFastCsv = books.some((b) => b.format === 'csv');
  const workers = Math.max(1, Math.min(3, availableParallelism()));
  let reader = books.every((b) => b.format === 'parquet') ? 'hyparquet' : `udsv x${workers} workers${books.some((b) => b.format === 'parquet') ? ' + hyparquet' : ''}`;
  ctx.started?.(reader);

  // Progress: rows read against an estimate (exact for Parquet, from bytes for CSV, refined as we read).
  const totalBytes = books.reduce((a, b) => a + b.bytes, 0);
  let estTotal = books.reduce((a, b) => a + b.estRows, 0);
  let rowsRead = 0;
  let lastReport = 0;
  let stage: ImportProgressDetail['stage'] = 'hashing';
  let currentFile = '';
  let fileIndex = 0;
  let rejectedRows = 0;
  // Rows per second over the last few seconds of reading (not diluted by hashing and start-up).
  const recent: Array<[number, number]> = [];
  let readingSince = 0;
  const report = (force = false): void => {
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_MS) return;
    lastReport = now;
    recent.push([now, rowsRead]);
    while (recent.length > 2 && now - recent[0][0] > RATE_WINDOW_MS) recent.shift();
    const [t1, r1] = recent.length > 1 && now - recent[0][0] >= 500 ? recent[0] : [readingSince, 0];
    const rate = (rowsRead - r1) / Math.max(1e-3, (now - t1) / 1000);
    const total = Math.max(estTotal, rowsRead);
    const detail: ImportProgressDetail = {
      stage,
      rowsRead,
      rowsTotal: total,
      rowsPerSec: rate,
      secondsLeft: rowsRead > 0 && stage === 'reading' ? (total - rowsRead) / rate : null,
      file: currentFile,
      fileIndex,
      files: books.length,
      rejectedRows,
    };
    hooks.onProgress?.(rowsRead, total, detail);
  };

  // Content hash (and whether CSV files need the quote-aware reader).
  const hashes: Array<{ sha256: string; hasQuotes: boolean }> = [];
  let hashedBefore = 0;
  for (const b of books) {
    currentFile = b.rel;
    hashes.push(await hashFile(b.abs, (n) => {
      if (performance.now() - lastReport >= PROGRESS_MS) {
        lastReport = performance.now();
        hooks.onProgress?.(0, estTotal, { stage: 'hashing', rowsRead: 0, rowsTotal: estTotal, rowsPerSec: 0, secondsLeft: null, file: b.rel, fileIndex, files: books.length, rejectedRows: 0, bytesHashed: hashedBefore + n, bytesTotal: totalBytes });
      }
    }, cancelled));
    if (cancelled()) throw new CancelledError();
    hashedBefore += b.bytes;
  }
  // Now that quotes are known: files with quoted fields are read by one csv-parse stream (csvReader.ts).
  const csvKind = (quoted: boolean): boolean => books.some((b, i) => b.format === 'csv' && hashes[i].hasQuotes === quoted);
  reader = [
    csvKind(false) ? `udsv x${workers} workers` : '',
    csvKind(true) ? 'csv-parse stream' : '',
    books.some((b) => b.format === 'parquet') ? 'hyparquet' : '',
  ].filter((x) => x !== '').join(' + ');
  const contentHash = datasetHash(books.map((b, i) => ({ sha256: hashes[i].sha256, stockId: fileStock(b) })), mapping);

  const db = dbIn ?? openDb({ dataDir: ctx.dataDir });
  const q = orderbookQueries(db);
  let pool: CsvParsePool | null = null;
  let stagingOpen: ReturnType<typeof openStage> | null = null;
  try {
    q.purgeOrphans();
    sweepStaging(db, ctx.dataDir);
    const dup = q.findByHash(contentHash);
    const format: ImportMetrics['format'] = books.every((b) => b.format === 'parquet') ? 'parquet' : books.every((b) => b.format === 'csv') ? 'csv' : 'mixed';
    if (dup) {
      const seconds = (performance.now() - t0) / 1000;
      return {
        metrics: {
          datasetId: dup.id, duplicateOf: dup.id, files: books.length, format, bytes: totalBytes, rows: 0, acceptedRows: 0, rejectedRows: 0,
          rejectReasons: {}, rejectExamples: [], skippedFiles, stocks: dup.stocks, buckets: dup.buckets, seconds, rowsPerSec: 0, reader,
        },
      };
    }

    const datasetId = randomUUID();
    const stageDb = openStage(db, stagingFile(ctx.dataDir, ctx.runId ?? datasetId));
    stagingOpen = stageDb;
    const stocks = new Map<number, StockAgg>();
    const onBucket = (b: BucketResult): void => {
      stageDb.putBucket(datasetId, b);
      let agg = stocks.get(b.stockId);
      if (!agg) {
        agg = newStockAgg();
        stocks.set(b.stockId, agg);
      }
      addBucket(agg, b);
    };
    const acc = new BookAccumulator({ skipBadRows: skip, onBucket });

    if (anyFastCsv && hashes.some((h, i) => books[i].format === 'csv' && !h.hasQuotes)) pool = new CsvParsePool(workers);
    stage = 'reading';
    readingSince = performance.now();
    const fileRows: Array<{ rows: number; rejected: number }> = [];
    let csvBytesDone = 0;
    let csvRowsDone = 0;
    const csvBytesTotal = books.filter((b) => b.format === 'csv').reduce((a, b) => a + b.bytes, 0);
    const parquetRowsTotal = books.reduce((a, b) => a + (b.rows ?? 0), 0);
    for (let i = 0; i < books.length; i++) {
      const b = books[i];
      fileIndex = i;
      currentFile = b.rel;
      const rows0 = acc.rows;
      const rej0 = acc.rejected;
      acc.beginFile(b.rel, plan, fileStock(b));
      const rowsBefore = rowsRead;
      let fileBytesRead = 0;
      let batches: AsyncGenerator<BookBatch>;
      let closeFile = async (): Promise<void> => {};
      if (b.format === 'csv') {
        const spec = { columns: columns.map((c) => b.csvHead!.columns.indexOf(c)), width: b.csvHead!.columns.length, timestampRole, timestampScale };
        batches = readCsvBatches(b.abs, b.rel, b.csvHead!, spec, {
          pool,
          hasQuotes: hashes[i].hasQuotes,
          onBytes: (bytes) => (fileBytesRead = bytes),
        });
      } else {
        const pq = await openParquet(b.abs, b.rel);
        closeFile = () => pq.close();
        batches = readParquetBatches(pq, b.rel, { columns, timestampRole, timestampScale }, () => {});
      }
      try {
        for await (const batch of batches) {
          if (cancelled()) throw new CancelledError();
          acc.add(batch);
          rowsRead += batch.n;
          rejectedRows = acc.rejected;
          if (b.format === 'csv' && fileBytesRead > 0) {
            // Refine the CSV row estimate from the rows per byte seen so far.
            const perByte = (csvRowsDone + rowsRead - rowsBefore) / (csvBytesDone + fileBytesRead);
            estTotal = Math.round(parquetRowsTotal + perByte * csvBytesTotal);
          }
          report();
        }
      } finally {
        await closeFile();
      }
      acc.endFile();
      if (b.format === 'csv') {
        csvBytesDone += b.bytes;
        csvRowsDone += rowsRead - rowsBefore;
      }
      fileRows.push({ rows: acc.rows - rows0, rejected: acc.rejected - rej0 });
      if (acc.rows - rows0 === 0) {
        const empty = new BookInputError({ file: b.rel, row: null, line: b.format === 'csv' ? 2 : null, column: null, code: 'EMPTY_FILE', problem: 'the file has a header but no rows' });
        if (!skip) throw empty;
        skippedFiles.push({ path: b.rel, reason: empty.location.problem });
      }
    }
    if (cancelled()) throw new CancelledError();
    if (acc.accepted === 0) {
      throw appError('validation', 'NO_ROWS', `no book rows were imported: all ${acc.rows} rows were rejected (${Object.entries(acc.reasons).map(([k, v]) => `${k}: ${v}`).join(', ')})`);
    }
    stage = 'storing';
    report(true);
    // Let the main thread record that progress before this job takes the store's write lock for the copy.
    await new Promise((r) => setTimeout(r, 50));

    // One transaction: the data set, its files and stocks, and every staged bucket.
    const seconds = (performance.now() - t0) / 1000;
    const label = cfg.label?.trim() || defaultLabel(found.root, books.length, stocks.size);
    const tStore = performance.now();
    stageDb.commit(() => {
      db.prepare(
        `INSERT INTO orderbook_datasets (id, label, source_path, format, layout, levels, bucket_seconds, content_hash, files, stocks, buckets, rows,
          rejected_rows, mapping_json, rejects_json, stats_json, import_seconds, import_run_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        datasetId, label, found.root, format, mapping.layout, mapping.levels, plan.bucketSeconds, contentHash, books.length, stocks.size, acc.buckets,
        acc.accepted, acc.rejected, JSON.stringify(mapping), JSON.stringify({ reasons: acc.reasons, examples: acc.examples }),
        JSON.stringify(datasetStats([...stocks.values()], acc.accepted)),
        seconds, ctx.runId, Date.now(),
      );
      const putFile = db.prepare(`INSERT INTO orderbook_files (dataset_id, path, format, stock_id, rows, rejected, bytes, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
      books.forEach((b, i) => putFile.run(datasetId, b.rel, b.format, fileStock(b), fileRows[i]?.rows ?? 0, fileRows[i]?.rejected ?? 0, b.bytes, hashes[i].sha256));
      const putStock = db.prepare(`INSERT INTO orderbook_stocks (dataset_id, stock_id, buckets, rows, first_time_id, last_time_id, stats_json) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const [stockId, s] of stocks) {
        putStock.run(datasetId, stockId, s.buckets, s.rows, s.firstTimeId, s.lastTimeId, JSON.stringify(stockStats(s)));
      }
      db.exec(`INSERT INTO orderbook_buckets SELECT * FROM stage.orderbook_buckets`);
    });
    stagingOpen = null;
    const storeSeconds = (performance.now() - tStore) / 1000;
    removeUpload(ctx.dataDir, found.root);
    const total = (performance.now() - t0) / 1000;
    return {
      metrics: {
        datasetId, duplicateOf: null, files: books.length, format, bytes: totalBytes, rows: acc.rows, acceptedRows: acc.accepted, rejectedRows: acc.rejected,
        rejectReasons: acc.reasons, rejectExamples: acc.examples, duplicateTimes: { count: acc.duplicateTimes, first: acc.firstDuplicate },
        backwardTimes: { count: acc.backwardTimes, first: acc.firstBackward }, skippedFiles, stocks: stocks.size, buckets: acc.buckets, seconds: total,
        rowsPerSec: acc.rows / total, reader, storeSeconds,
      },
    };
  } finally {
    stagingOpen?.discard();
    await pool?.close();
    if (!dbIn) db.close();
  }
}

function defaultLabel(root: string, files: number, stocks: number): string {
  return `${basename(root)} (${stocks} stock${stocks === 1 ? '' : 's'}${files > 1 ? `, ${files} files` : ''})`;
}

/** Turn a bad-input error into the AppError the run records (message names file, row and column). */
export function importError(e: unknown): unknown {
  if (e instanceof BookInputError) {
    const l = e.location;
    return appError('validation', l.code === 'MISSING_COLUMNS' ? 'ORDERBOOK_COLUMNS' : 'ORDERBOOK_BAD_INPUT', e.message, [
      { field: l.column ?? l.file, message: `${l.file}${l.row !== null ? `, row ${l.row}` : ''}: ${l.problem}`, value: l.value === undefined ? null : excerpt(l.value) },
    ]);
  }
  return e;
}

export const runOrderbookImportJob: JobRunner<'orderbook-import'> = async (config, ctx) => {
  try {
    const { metrics } = await importBooks(config, { hooks: ctx.hooks, dataDir: ctx.dataDir, runId: ctx.runId, started: ctx.started });
    return { metrics };
  } catch (e) {
    throw importError(e);
  }
};
