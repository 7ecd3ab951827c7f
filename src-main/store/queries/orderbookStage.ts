import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Db } from '../db';
import { blobOf } from './orderbook';

/**
 * Staging for the big order-book writes (see orderbook.ts): the import and path jobs stream bucket series /
 * windows into a separate SQLite file attached to their own connection, then copy everything into the store
 * in ONE short transaction, so the store's write lock is held for the copy only, never for a whole import.
 */

const STAGE_SCHEMA = `
CREATE TABLE IF NOT EXISTS stage.orderbook_buckets (
  dataset_id TEXT NOT NULL, stock_id INTEGER NOT NULL, time_id INTEGER NOT NULL, rows INTEGER NOT NULL,
  first_second REAL NOT NULL, last_second REAL NOT NULL, rv REAL, rv1 REAL, spread_bp REAL NOT NULL, depth REAL NOT NULL,
  wap_open REAL NOT NULL, wap_close REAL NOT NULL, wap_min REAL NOT NULL, wap_max REAL NOT NULL,
  seconds BLOB NOT NULL, wap BLOB NOT NULL, wap1 BLOB NOT NULL, bid1 BLOB NOT NULL, ask1 BLOB NOT NULL, depth_series BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stage.orderbook_path_chunks (
  path_set_id TEXT NOT NULL, split TEXT NOT NULL, chunk INTEGER NOT NULL, first_window INTEGER NOT NULL, count INTEGER NOT NULL,
  stock_ids BLOB NOT NULL, time_ids BLOB NOT NULL, start_seconds BLOB NOT NULL, paths BLOB NOT NULL);
`;

export interface StagedBucket {
  stockId: number;
  timeId: number;
  rows: number;
  firstSecond: number;
  lastSecond: number;
  rv: number;
  rv1: number;
  spreadBp: number;
  depthMean: number;
  wapOpen: number;
  wapClose: number;
  wapMin: number;
  wapMax: number;
  seconds: Float64Array;
  wap: Float64Array;
  wap1: Float64Array;
  bid1: Float32Array;
  ask1: Float32Array;
  depth: Float32Array;
}

export interface StagedChunk {
  split: 'train' | 'test';
  count: number;
  paths: Float64Array;
  stockId: Int32Array;
  timeId: Int32Array;
  startSecond: Float64Array;
}

/** The values of an orderbook_buckets row, for {@link bucketParams}. */
const BUCKET_VALUES = `(@datasetId, @stockId, @timeId, @rows, @firstSecond, @lastSecond, @rv, @rv1, @spreadBp, @depthMean,
  @wapOpen, @wapClose, @wapMin, @wapMax, @seconds, @wap, @wap1, @bid1, @ask1, @depth)`;

function bucketParams(datasetId: string, b: StagedBucket) {
  return {
    datasetId,
    stockId: b.stockId,
    timeId: b.timeId,
    rows: b.rows,
    firstSecond: b.firstSecond,
    lastSecond: b.lastSecond,
    rv: Number.isFinite(b.rv) ? b.rv : null,
    rv1: Number.isFinite(b.rv1) ? b.rv1 : null,
    spreadBp: b.spreadBp,
    depthMean: b.depthMean,
    wapOpen: b.wapOpen,
    wapClose: b.wapClose,
    wapMin: b.wapMin,
    wapMax: b.wapMax,
    seconds: blobOf(b.seconds),
    wap: blobOf(b.wap),
    wap1: blobOf(b.wap1),
    bid1: blobOf(b.bid1),
    ask1: blobOf(b.ask1),
    depth: blobOf(b.depth),
  };
}

/** The staging file of a run: `<dataDir>/orderbook-staging/<runId>.sqlite`. */
export const stagingFile = (dataDir: string, runId: string): string => join(dataDir, 'orderbook-staging', `${runId}.sqlite`);

/** Remove staging files left by runs that are no longer queued or running (the app stopped mid-import). */
export function sweepStaging(db: Db, dataDir: string): number {
  const dir = join(dataDir, 'orderbook-staging');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  const live = db.prepare(`SELECT 1 FROM runs WHERE id = ? AND status IN ('queued','running')`);
  let removed = 0;
  for (const name of names) {
    const id = name.replace(/\.sqlite(-journal)?$/, '');
    if (live.get(id)) continue;
    rmSync(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

/**
 * Attach a fresh staging database to `db` (a job's own connection). Writes to it are batched in small
 * transactions that never touch the store's tables; `commit(write)` runs `write` (which copies from `stage.*`
 * with INSERT ... SELECT and adds the small rows) in one IMMEDIATE transaction on the store; `discard()` drops
 * the file. Always call one of them.
 */
export function openStage(db: Db, file: string) {
  mkdirSync(join(file, '..'), { recursive: true });
  for (const f of [file, `${file}-journal`]) if (existsSync(f)) rmSync(f);
  db.prepare(`ATTACH DATABASE ? AS stage`).run(file);
  db.pragma('stage.journal_mode = OFF');
  db.pragma('stage.synchronous = OFF');
  db.exec(STAGE_SCHEMA);
  const putBucket = db.prepare(`INSERT INTO stage.orderbook_buckets VALUES ${BUCKET_VALUES}`);
  const putChunk = db.prepare(`INSERT INTO stage.orderbook_path_chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let inTx = false;
  let pending = 0;
  const begin = (): void => {
    if (!inTx) {
      db.exec('BEGIN');
      inTx = true;
    }
  };
  const flush = (): void => {
    if (inTx) {
      db.exec('COMMIT');
      inTx = false;
      pending = 0;
    }
  };
  const counters = { train: 0, test: 0, chunk: 0 };
  let detached = false;
  const detach = (): void => {
    if (detached) return;
    detached = true;
    if (inTx) {
      try {
        db.exec('ROLLBACK');
      } catch {
        /* already rolled back */
      }
      inTx = false;
    }
    try {
      db.exec('DETACH DATABASE stage');
    } catch {
      /* not attached */
    }
    for (const f of [file, `${file}-journal`]) if (existsSync(f)) rmSync(f, { force: true });
  };
  return {
    putBucket(datasetId: string, b: StagedBucket): void {
      begin();
      putBucket.run(bucketParams(datasetId, b));
      if (++pending >= 500) flush();
    },
    putChunk(pathSetId: string, c: StagedChunk): void {
      begin();
      const first = counters[c.split];
      counters[c.split] += c.count;
      putChunk.run(pathSetId, c.split, counters.chunk++, first, c.count, blobOf(c.stockId), blobOf(c.timeId), blobOf(c.startSecond), blobOf(c.paths));
      if (++pending >= 50) flush();
    },
    /** Inside `commit`'s `write`: copy the staged buckets into the store. */
    copyBuckets(): void {
      db.exec(`INSERT INTO orderbook_buckets SELECT * FROM stage.orderbook_buckets`);
    },
    /** Copy the staged rows into the store (inside `write`) in one transaction, then drop the staging file. */
    commit<T>(write: () => T): T {
      flush();
      try {
        return db.transaction(write).immediate();
      } finally {
        detach();
      }
    },
    discard: detach,
  };
}

export type Stage = ReturnType<typeof openStage>;

/** Pending bucket bytes written in one transaction by {@link openDirectBuckets}. */
const DIRECT_TX_BYTES = 8 << 20;

/**
 * An import JOB's bucket series written straight into the store (no staging file, no copy at the end): the
 * data set row goes in first (`insertDataset`, its own short transaction), then buckets in short transactions of
 * about 8 MB as they close, so the writes (and the WAL checkpoints) run beside the parsing instead of after it;
 * `commit(write)` runs `write` (which completes the data set row and adds the small rows) in one IMMEDIATE
 * transaction. Until the job's run is `done` nothing of it is visible (VISIBLE_DATASET in orderbook.ts: the row
 * names the running run), and `discard()` deletes it (cascade); a crash leaves the run `interrupted`, whose rows
 * `purgeOrphans` removes. Only for a job (a run id): without one, a data set is visible at once, so use
 * {@link openStage}.
 */
export function openDirectBuckets(db: Db, datasetId: string, insertDataset: () => void) {
  const putBucket = db.prepare(`INSERT INTO orderbook_buckets VALUES ${BUCKET_VALUES}`);
  db.transaction(insertDataset).immediate();
  let pending: StagedBucket[] = [];
  let bytes = 0;
  let done = false;
  const flush = (): void => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    bytes = 0;
    db.transaction(() => {
      for (const b of batch) putBucket.run(bucketParams(datasetId, b));
    }).immediate();
  };
  return {
    putBucket(_datasetId: string, b: StagedBucket): void {
      pending.push(b);
      bytes += b.seconds.byteLength + b.wap.byteLength + b.wap1.byteLength + b.bid1.byteLength + b.ask1.byteLength + b.depth.byteLength;
      if (bytes >= DIRECT_TX_BYTES) flush();
    },
    /** The buckets are in the store already. */
    copyBuckets(): void {},
    commit<T>(write: () => T): T {
      flush();
      const out = db.transaction(write).immediate();
      done = true;
      return out;
    },
    /** Delete everything written (the data set row and, by cascade, its buckets). */
    discard(): void {
      if (done) return;
      done = true;
      pending = [];
      db.prepare(`DELETE FROM orderbook_datasets WHERE id = ?`).run(datasetId);
    },
  };
}
