import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findResourcesDir, openDb, type Db } from '../../store/db';
import { importBooks } from './importJob';
import { buildPaths } from './pathsJob';

/**
 * First-start example data: the committed sample (resources/samples/orderbook/book_train.parquet, two
 * synthetic stocks in the competition layout, about 9,000 rows) imported as a data set, and a path set of
 * 30-step windows built from it, so the Order books view and the deep-hedging lab's real-data experiment have
 * something to show. Runs in-process on its own connection (about 0.1-0.3 s); does nothing when already
 * seeded or when the sample is not shipped. Never throws: a failed example must not stop the app.
 */

export const ORDERBOOK_EXAMPLE_LABEL = 'Example: synthetic competition-layout books (2 stocks)';
const SEEDED_KEY = 'orderbook-example-seeded';

export function orderbookSampleDir(): string | null {
  try {
    const dir = join(findResourcesDir(), 'samples', 'orderbook');
    return existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

export async function seedOrderbookExample(ws: { db: Db }): Promise<{ datasetId: string; pathSetId: string } | null> {
  try {
    if (ws.db.prepare(`SELECT value FROM app_meta WHERE key = ?`).get(SEEDED_KEY)) return null;
    const dir = orderbookSampleDir();
    const sample = dir ? join(dir, 'book_train.parquet') : null;
    if (!sample || !existsSync(sample)) return null;
    const dataDir = dirname(ws.db.name);
    const db = openDb({ dataDir });
    try {
      const noHooks = { onProgress: () => {}, shouldCancel: () => false };
      const { metrics } = await importBooks({ path: sample, label: ORDERBOOK_EXAMPLE_LABEL }, { hooks: noHooks, dataDir, runId: null }, db);
      const paths = await buildPaths(
        { datasetId: metrics.datasetId, steps: 30, intervalSeconds: 10, wap: 'all', windows: 'bucket', trainFraction: 0.8, label: 'Example: 30 x 10 s windows, all-level WAP' },
        { hooks: noHooks, dataDir, runId: null },
        db,
      );
      db.prepare(`INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)`).run(SEEDED_KEY, String(Date.now()));
      return { datasetId: metrics.datasetId, pathSetId: paths.pathSetId };
    } finally {
      db.close();
    }
  } catch (e) {
    console.error(`order-book example not seeded: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}
