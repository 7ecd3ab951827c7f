import { createHash } from 'node:crypto';
import { type Db } from '../../src-main/store/db';

/**
 * A digest of everything an order-book import stored for one data set (the data set row without its id, times
 * and label; its files, stocks, buckets with their series blobs, per-bucket message statistics and halts), in a
 * fixed order, so two imports of the same input can be compared for identical results.
 */
const TABLES: Array<{ table: string; order: string }> = [
  { table: 'orderbook_files', order: 'path' },
  { table: 'orderbook_stocks', order: 'stock_id' },
  { table: 'orderbook_buckets', order: 'stock_id, time_id' },
  { table: 'orderbook_bucket_events', order: 'stock_id, time_id' },
  { table: 'orderbook_halts', order: 'stock_id, start_second' },
];
const VOLATILE = new Set(['id', 'dataset_id', 'label', 'import_seconds', 'import_run_id', 'created_at', 'source_path']);

export function orderbookDigest(db: Db, datasetId: string): { digest: string; rows: Record<string, number> } {
  const h = createHash('sha256');
  const rows: Record<string, number> = {};
  const add = (r: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(r)) {
      if (VOLATILE.has(k)) continue;
      h.update(k);
      if (Buffer.isBuffer(v)) h.update(v);
      else h.update(`=${typeof v}:${String(v)};`);
    }
  };
  const ds = db.prepare(`SELECT * FROM orderbook_datasets WHERE id = ?`).get(datasetId) as Record<string, unknown> | undefined;
  if (!ds) throw new Error(`no data set ${datasetId}`);
  add(ds);
  for (const { table, order } of TABLES) {
    const all = db.prepare(`SELECT * FROM ${table} WHERE dataset_id = ? ORDER BY ${order}`).all(datasetId) as Array<Record<string, unknown>>;
    rows[table] = all.length;
    h.update(`#${table}:${all.length}`);
    for (const r of all) add(r);
  }
  return { digest: h.digest('hex'), rows };
}
