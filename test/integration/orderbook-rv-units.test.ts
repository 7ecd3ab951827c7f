import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/host/dispatch';
import { type Workstation } from '../../src-main/workstation';
import {
  type BucketTable,
  type DatasetDetail,
  type DatasetSummary,
  type Histogram,
  type ImportMetrics,
  type RvStats,
  TRADING_SECONDS_PER_YEAR,
} from '../../src-shared/orderbook/contract';
import { annualisedText } from '../../src-shared/orderbook/timeUnitsText';
import { ROOT, openWorkstation } from '../helpers/host';
import { writePair } from '../helpers/lobster';
import { tempDir } from '../helpers/tmp';

/**
 * The older per-bucket volatility figures (data set and stock summaries, the RV histogram, the bucket table)
 * are annualised in the data set's trading-time units, like the signature plot and the profiles: an annualised
 * volatility is rv sqrt(secondsPerYear / span), so editing the units scales every figure by the square root
 * of the ratio of the years (variances by the ratio). Data: the committed competition sample (2 stocks, 48
 * buckets) and test/helpers/lobster.ts's pair renamed to a 09:30-12:30 session (3 h).
 */

let ws: Workstation;
let dataDir: string;
beforeAll(async () => {
  dataDir = tempDir('hw-ob-rv-units-');
  ws = await openWorkstation({ dataDir });
});
afterAll(async () => {
  await ws?.close();
});

async function call<T>(method: string, args: unknown): Promise<T> {
  const r = await dispatch(ws.handlers, 1, method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
}
async function importPath(path: string): Promise<string> {
  const { runId } = await call<{ runId: string }>('orderbook-import', { path });
  await ws.jobs.idle();
  const run = ws.runs.get(runId)!;
  expect(run.status, run.error?.message).toBe('done');
  return (run.metrics as ImportMetrics).datasetId;
}

/** Every figure of `b` is `k` times that of `a` (relative 1e-12), nulls where `a` has them. */
function scaled(a: Array<number | null>, b: Array<number | null>, k: number): void {
  expect(b.length).toBe(a.length);
  expect(a.filter((v) => v !== null && v > 0).length).toBeGreaterThan(0);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === null) expect(b[i]).toBeNull();
    else expect(Math.abs(b[i]! - a[i]! * k)).toBeLessThanOrEqual(1e-12 * Math.abs(a[i]! * k));
  }
}
const statsList = (s: RvStats): Array<number | null> => [s.mean, s.median, s.p05, s.p95, s.min, s.max];

describe('realised-volatility figures in the data set\'s trading time', () => {
  it('edited units (200 sessions x 8 h) scale the summaries, histogram and bucket table by sqrt of the ratio of the years', async () => {
    const id = await importPath(join(ROOT, 'resources', 'samples', 'orderbook', 'book_train.parquet'));
    const read = async () => ({
      ds: (await call<DatasetSummary[]>('orderbook-datasets', {})).find((d) => d.id === id)!,
      detail: await call<DatasetDetail>('orderbook-dataset-get', { datasetId: id }),
      histAll: await call<Histogram>('orderbook-rv-histogram', { datasetId: id }),
      hist1: await call<Histogram>('orderbook-rv-histogram', { datasetId: id, stockId: 1, wap: 'level1' }),
      table: await call<BucketTable>('orderbook-buckets', { datasetId: id, stockId: 0 }),
    });
    const before = await read();
    for (const u of [before.ds.timeUnits, before.detail.stocksTable[0].timeUnits, before.histAll.timeUnits, before.hist1.timeUnits, before.table.timeUnits]) {
      expect(u).toMatchObject({ source: 'default', secondsPerYear: TRADING_SECONDS_PER_YEAR });
    }
    expect(annualisedText(before.histAll.timeUnits)).toBe('annualised, 252 d × 6.5 h trading time');
    // the bucket table's annualised figure is rv / sqrt(span / 252 x 6.5 h): at least as large as rv over a bucket of 600 s
    expect(before.table.rvAnnual[0]! / before.table.rv[0]!).toBeGreaterThanOrEqual(Math.sqrt(TRADING_SECONDS_PER_YEAR / 600));

    await call('orderbook-time-units-set', { datasetId: id, sessionHours: 8, sessionsPerYear: 200 });
    const after = await read();
    const year = 200 * 8 * 3600;
    const k = Math.sqrt(year / TRADING_SECONDS_PER_YEAR);
    for (const u of [after.ds.timeUnits, after.detail.timeUnits, after.detail.stocksTable[1].timeUnits, after.histAll.timeUnits, after.hist1.timeUnits, after.table.timeUnits]) {
      expect(u).toMatchObject({ source: 'dataset', sessionHours: 8, sessionsPerYear: 200, secondsPerYear: year });
    }
    scaled(statsList(before.ds.rv), statsList(after.ds.rv), k);
    scaled(statsList(before.ds.rv1), statsList(after.ds.rv1), k);
    for (const i of [0, 1]) scaled(statsList(before.detail.stocksTable[i].rv), statsList(after.detail.stocksTable[i].rv), k);
    for (const [b, a] of [
      [before.histAll, after.histAll],
      [before.hist1, after.hist1],
    ]) {
      expect(a.counts).toEqual(b.counts); // same buckets in the same bins, the bins scaled
      scaled(b.edges, a.edges, k);
      scaled(statsList(b.stats), statsList(a.stats), k);
    }
    scaled(before.table.rvAnnual, after.table.rvAnnual, k);
    scaled(before.table.rv1Annual, after.table.rv1Annual, k);
    expect(after.table.rv).toEqual(before.table.rv); // not annualised: unchanged
    // variances scale by the ratio of the years itself
    expect(after.table.rvAnnual[0]! ** 2 / before.table.rvAnnual[0]! ** 2).toBeCloseTo(year / TRADING_SECONDS_PER_YEAR, 12);
    expect(annualisedText(after.table.timeUnits)).toBe('annualised, 200 d × 8 h trading time set for this data set');

    // back to the spec's default: the figures return
    await call('orderbook-time-units-set', { datasetId: id, sessionHours: 6.5, sessionsPerYear: 252 });
    const back = await read();
    scaled(statsList(before.ds.rv), statsList(back.ds.rv), 1);
    scaled(before.table.rvAnnual, back.table.rvAnnual, 1);
  });

  it('a LOBSTER pair of a 3 h session (09:30-12:30 in its file names) is annualised in 252 sessions of 3 h', async () => {
    const folder = join(tempDir('hw-ob-rv-units-files-'), 'pair');
    const p = writePair(folder, { ticker: 'ABC' });
    // START 09:30 (34200000 ms), END 12:30 (45000000 ms) instead of 16:00
    for (const f of [p.message, p.orderbook]) renameSync(f, f.replace('_57600000_', '_45000000_'));
    const id = await importPath(folder);
    const ds = (await call<DatasetSummary[]>('orderbook-datasets', {})).find((d) => d.id === id)!;
    expect(ds.timeUnits).toMatchObject({ source: 'data', sessionHours: 3, sessionsPerYear: 252, secondsPerYear: 252 * 3 * 3600, sessionStartSeconds: 34_200 });
    expect(annualisedText(ds.timeUnits)).toBe('annualised, 252 d × 3 h session of the files');
    // the import stores the summaries per year of 252 x 6.5 h: shown scaled by sqrt(3 / 6.5)
    const stored = JSON.parse((ws.db.prepare(`SELECT stats_json FROM orderbook_datasets WHERE id = ?`).get(id) as { stats_json: string }).stats_json) as { rv: RvStats };
    scaled(statsList(stored.rv), statsList(ds.rv), Math.sqrt(3 / 6.5));
    const table = await call<BucketTable>('orderbook-buckets', { datasetId: id, stockId: 0 });
    const hist = await call<Histogram>('orderbook-rv-histogram', { datasetId: id, stockId: 0 });
    expect(table.timeUnits.secondsPerYear).toBe(252 * 3 * 3600);
    expect(hist.timeUnits).toEqual(table.timeUnits);
    expect(hist.stats.median).toBeCloseTo(ds.rv.median!, 12); // one stock: the same buckets
  });
});
