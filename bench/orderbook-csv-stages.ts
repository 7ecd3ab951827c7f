/**
 * Where a CSV book import spends its time, stage by stage (a profiling aid for bench/orderbook.bench.ts):
 * `npx tsx bench/orderbook-csv-stages.ts FILE.csv`.
 *
 * 1. hash   - sha256 + quote scan of the whole file (discover.ts hashFile), as the import does first;
 * 2. parse  - read + parse into columnar batches (csvReader.ts, worker pool), batches dropped;
 * 3. accumulate - validation + WAPs + buckets (engine BookAccumulator) on batches already in memory
 *    (first 2,500,000 rows, so memory stays bounded), buckets dropped; three times (JIT warm-up, noise);
 * 4. pipeline - the import's own pipeline: parse in the pool while this thread validates, accumulates and
 *    writes every bucket to a staging SQLite file;
 * 5. store copy - the one transaction that copies the staged buckets into the store (with its WAL checkpoint).
 * Prints wall seconds, CPU seconds (all threads of this process) and rows per second for each.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BookAccumulator } from '../src-main/engine/orderbook/accumulate';
import { type BookBatch, rolePlan } from '../src-main/engine/orderbook/batch';
import { mappedColumns, matchHeader } from '../src-main/engine/orderbook/columns';
import { CsvParsePool } from '../src-main/domains/orderbook/io/csvPool';
import { readCsvBatches, readCsvHead } from '../src-main/domains/orderbook/io/csvReader';
import { hashFile } from '../src-main/domains/orderbook/io/discover';
import { openDb } from '../src-main/store/db';
import { openStage } from '../src-main/store/queries/orderbookStage';

const KEEP_ROWS = 2_500_000;

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx bench/orderbook-csv-stages.ts FILE.csv');
  const workers = Math.max(1, Math.min(3, availableParallelism()));
  console.log(`${basename(file)}: ${availableParallelism()} CPUs, ${workers} parser threads, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const timed = async <T>(label: string, rows: () => number, f: () => Promise<T>): Promise<T> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await f();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    const n = rows();
    const perRow = n > 0 ? `${n.toLocaleString('en-US').padStart(11)} rows ${Math.round(n / wall).toLocaleString('en-US').padStart(10)} rows/s  ${((cpu / n) * 1e6).toFixed(2)} us CPU/row` : `${(statSync(file).size / 1e6 / wall).toFixed(0)} MB/s`;
    console.log(`  ${label.padEnd(13)} ${wall.toFixed(2).padStart(6)} s wall ${cpu.toFixed(2).padStart(6)} s CPU  ${perRow}  load ${loadavg()[0].toFixed(2)}`);
    return out;
  };

  let rows = 0;
  const h = await timed('hash', () => rows, async () => hashFile(file));
  const head = await readCsvHead(file, basename(file));
  const match = matchHeader(head.columns);
  if (!match.mapping) throw new Error(`header not recognised: missing ${match.missing.join(', ')}`);
  const plan = rolePlan(match.mapping);
  const columns = mappedColumns(match.mapping);
  const spec = { columns: columns.map((c) => head.columns.indexOf(c)), width: head.columns.length, timestampRole: -1, timestampScale: 1 };

  const kept: BookBatch[] = [];
  let keptRows = 0;
  const pool = new CsvParsePool(workers);
  try {
    rows = 0;
    await timed('parse', () => rows, async () => {
      for await (const b of readCsvBatches(file, basename(file), head, spec, { pool, hasQuotes: h.hasQuotes, onBytes: () => {} })) {
        rows += b.n;
        if (keptRows < KEEP_ROWS) {
          kept.push(b);
          keptRows += b.n;
        }
      }
    });
  } finally {
    await pool.close();
  }

  const accumulate = (onBucket: ConstructorParameters<typeof BookAccumulator>[0]['onBucket']): BookAccumulator => {
    const acc = new BookAccumulator({ skipBadRows: false, onBucket });
    acc.beginFile(basename(file), plan, 0);
    for (const b of kept) acc.add(b);
    acc.endFile();
    return acc;
  };
  for (let rep = 0; rep < 3; rep++) await timed(`accumulate${rep ? ` #${rep + 1}` : ''}`, () => keptRows, async () => accumulate(() => {}));
  kept.length = 0;

  // The import's own pipeline (parse in the pool, accumulate + stage here), then the copy into the store.
  const dir = mkdtempSync(join(tmpdir(), 'hw-ob-stages-'));
  const db = openDb({ dataDir: dir });
  const pool2 = new CsvParsePool(workers);
  try {
    const stage = openStage(db, join(dir, 'stage.sqlite'));
    const acc = new BookAccumulator({ skipBadRows: false, onBucket: (b) => stage.putBucket('x', b) });
    acc.beginFile(basename(file), plan, 0);
    await timed('pipeline', () => acc.rows, async () => {
      for await (const b of readCsvBatches(file, basename(file), head, spec, { pool: pool2, hasQuotes: h.hasQuotes, onBytes: () => {} })) acc.add(b);
      acc.endFile();
    });
    await timed('store copy', () => acc.rows, async () =>
      stage.commit(() => {
        db.prepare(
          `INSERT INTO orderbook_datasets (id, label, source_path, format, layout, levels, bucket_seconds, content_hash, files, stocks, buckets, rows,
            rejected_rows, mapping_json, rejects_json, stats_json, created_at) VALUES ('x', 'x', 'x', 'csv', 'competition', 2, 600, 'x', 1, 1, 0, 0, 0, '{}', '{}', '{}', 0)`,
        ).run();
        db.exec('INSERT INTO orderbook_buckets SELECT * FROM stage.orderbook_buckets');
      }),
    );
  } finally {
    await pool2.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
