import { type BucketResult } from '../../engine/orderbook/accumulate';
import { annualiseRv, rvStats } from '../../engine/orderbook/realisedVol';

/** Running totals of one stock's buckets during an import (CSV/Parquet books and LOBSTER alike). */
export interface StockAgg {
  buckets: number;
  rows: number;
  firstTimeId: number;
  lastTimeId: number;
  /** Annualised realised volatility of each bucket (1/sqrt(year)), all levels and level 1. */
  rvAnnual: number[];
  rv1Annual: number[];
  /** Sums of spread (basis points) and depth weighted by each bucket's row count. */
  spreadSum: number;
  depthSum: number;
}

export function newStockAgg(): StockAgg {
  return { buckets: 0, rows: 0, firstTimeId: Infinity, lastTimeId: -Infinity, rvAnnual: [], rv1Annual: [], spreadSum: 0, depthSum: 0 };
}

/** Adds one finished bucket: counts, time-id range, annualised RV over the bucket's span, row-weighted spread and depth. */
export function addBucket(agg: StockAgg, b: BucketResult): void {
  agg.buckets++;
  agg.rows += b.rows;
  agg.firstTimeId = Math.min(agg.firstTimeId, b.timeId);
  agg.lastTimeId = Math.max(agg.lastTimeId, b.timeId);
  const span = b.lastSecond - b.firstSecond;
  agg.rvAnnual.push(annualiseRv(b.rv, span));
  agg.rv1Annual.push(annualiseRv(b.rv1, span));
  agg.spreadSum += b.spreadBp * b.rows;
  agg.depthSum += b.depthMean * b.rows;
}

/** One stock's `stats_json`: RV summaries and row-weighted mean spread (bp) and depth, null without rows. */
export function stockStats(s: StockAgg) {
  return { rv: rvStats(s.rvAnnual), rv1: rvStats(s.rv1Annual), spreadBp: s.rows ? s.spreadSum / s.rows : null, depth: s.rows ? s.depthSum / s.rows : null };
}

/** The data set's `stats_json` over all stocks; `accepted` = accepted rows (the spread weights' total). */
export function datasetStats(all: readonly StockAgg[], accepted: number) {
  const spreadSum = all.reduce((a, s) => a + s.spreadSum, 0);
  return { rv: rvStats(all.flatMap((s) => s.rvAnnual)), rv1: rvStats(all.flatMap((s) => s.rv1Annual)), spreadBp: accepted > 0 ? spreadSum / accepted : null };
}
