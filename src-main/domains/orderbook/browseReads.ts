import { performance } from 'node:perf_hooks';
import { type Histogram, type SeriesData, type WapKind } from '../../../src-shared/orderbook/contract';
import { Decimator, histogram } from '../../engine/orderbook/decimate';
import { quantileOfSorted, rvStats } from '../../engine/orderbook/realisedVol';
import { type Db } from '../../store/db';
import { f32, f64, orderbookQueries } from '../../store/queries/orderbook';
import { dataSessionOf, timeUnitsOf } from '../../store/queries/orderbookTimeUnits';
import { type ReadResult } from '../runs/reads';
import { datasetLookups } from './lookups';

/**
 * Order-book browsing reads that touch every bucket of a stock or a data set, on a read worker (task kinds
 * 'orderbook-series' and 'orderbook-rv-histogram' of src-main/reads/tasks.ts). Not cached (deps null): they
 * are cheap to repeat next to the work of a page of paths, and a data set's visibility depends on its run.
 */
function lookups(db: Db) {
  const q = orderbookQueries(db);
  return { q, ...datasetLookups(q) };
}

/** 'orderbook-series': the WAP/bid/ask series of one stock in a window, decimated to at most maxPoints. */
export function seriesRead(db: Db, { datasetId, stockId, from, to, maxPoints }: { datasetId: string; stockId: number; from?: number; to?: number; maxPoints?: number }): ReadResult<SeriesData> {
  const t0 = performance.now();
  const { mustGet, mustHaveStock } = lookups(db);
  const ds = mustGet(datasetId);
  const index = mustHaveStock(datasetId, stockId);
  const B = ds.bucketSeconds;
  const xMax = index.length * B;
  const lo = Math.max(0, Math.min(from ?? 0, xMax));
  const hi = Math.max(lo, Math.min(to ?? xMax, xMax));
  const i0 = Math.min(index.length - 1, Math.floor(lo / B));
  const i1 = Math.min(index.length - 1, Math.floor(hi / B));
  const cap = maxPoints ?? 4000;
  const rowsInWindow = index.slice(i0, i1 + 1).reduce((a, b) => a + b.rows, 0);
  const stmt = db.prepare(
    `SELECT seconds, wap, wap1, bid1, ask1 FROM orderbook_buckets WHERE dataset_id = ? AND stock_id = ? AND time_id BETWEEN ? AND ? ORDER BY time_id`,
  );
  const out: SeriesData = {
    datasetId, stockId, bucketSeconds: B, timeIds: index.map((b) => b.timeId), xMin: 0, xMax, from: lo, to: hi,
    x: [], wap: [], wap1: [], bid: [], ask: [], rows: 0, decimated: rowsInWindow > cap, loadMs: 0,
  };
  const dec = out.decimated ? new Decimator(lo, hi, cap) : null;
  let k = i0;
  for (const r of stmt.iterate(datasetId, stockId, index[i0].timeId, index[i1].timeId) as Iterable<{ seconds: Buffer; wap: Buffer; wap1: Buffer; bid1: Buffer; ask1: Buffer }>) {
    const base = k++ * B;
    const secs = f64(r.seconds);
    const wap = f64(r.wap);
    const wap1 = f64(r.wap1);
    const bid = f32(r.bid1);
    const ask = f32(r.ask1);
    if (dec) {
      dec.pushBucket(base, secs, wap, wap1, bid, ask);
      continue;
    }
    for (let j = 0; j < secs.length; j++) {
      const x = base + secs[j];
      if (x >= lo && x <= hi) {
        out.x.push(x);
        out.wap.push(wap[j]);
        out.wap1.push(wap1[j]);
        out.bid.push(bid[j]);
        out.ask.push(ask[j]);
      }
    }
  }
  if (dec) Object.assign(out, dec.result());
  else out.rows = out.x.length;
  out.loadMs = performance.now() - t0;
  return { result: out, deps: null };
}

/**
 * 'orderbook-rv-histogram': annualised realised volatility of every bucket (of a stock, or the whole set), per
 * year of trading time: the stock's units (its session when its file names one), or the data set's for all stocks.
 */
export function rvHistogramRead(db: Db, { datasetId, stockId, wap, bins }: { datasetId: string; stockId?: number; wap?: WapKind; bins?: number }): ReadResult<Histogram> {
  const { q, mustGet, mustHaveStock } = lookups(db);
  const ds = mustGet(datasetId);
  if (stockId !== undefined) mustHaveStock(datasetId, stockId);
  const timeUnits = stockId === undefined ? ds.timeUnits : timeUnitsOf(db, datasetId, ds.layout, dataSessionOf(db, datasetId, stockId));
  const kind = wap ?? 'all';
  const values = Array.from(q.annualRv(datasetId, stockId ?? null, kind, timeUnits.secondsPerYear)).filter(Number.isFinite);
  const sorted = Float64Array.from(values).sort();
  // Upper edge at the 99.5% quantile so one wild bucket does not squash the rest (it lands in the last bin).
  const hi = sorted.length ? Math.max(quantileOfSorted(sorted, 0.995), sorted[0] * 1.01, 1e-9) * 1.02 : 1;
  // Default bins: about 2 sqrt(n), from 10 to 60.
  const { edges, counts } = histogram(values, bins ?? Math.min(60, Math.max(10, Math.round(2 * Math.sqrt(values.length)))), 0, hi);
  return { result: { edges, counts, n: values.length, stats: rvStats(values), wap: kind, stockId: stockId ?? null, timeUnits }, deps: null };
}
