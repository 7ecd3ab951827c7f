import { type WindowMode } from '../../../src-shared/orderbook/contract';
import { gridPointsPerBucket, resampleLocf } from './resample';
import { normalisedWindow, splitOf, windowCount } from './windows';

/**
 * Hedging paths from WAP series (spec orderbook.md "Paths for hedging"), one stock at a time:
 * 1. resample each bucket onto the grid 0, dt, 2 dt, ... seconds (last observation carried forward);
 * 2. `bucket` mode: cut windows of n + 1 points inside each bucket (grid 0 .. bucketSeconds, end included);
 *    `rolling` mode: join the stock's buckets in time_id order (each bucket contributes 0 .. bucketSeconds - dt,
 *    so the joined grid stays uniform) and cut windows across bucket boundaries (on clock layouts, only across
 *    consecutive buckets: see `clockTime`);
 * 3. normalise every window to start at 1;
 * 4. split by time: a window is training data when its last time_id is before the cut, test data when its
 *    first time_id is at or after the cut; a window that straddles the cut is dropped (never shuffled across).
 * Windows are delivered in chunks (row-major count x (n + 1)) so memory stays bounded for big data sets.
 */

export interface BucketWap {
  timeId: number;
  /** Observation times within the bucket, seconds, non-decreasing. */
  seconds: ArrayLike<number>;
  /** WAP at those times (positive). */
  wap: ArrayLike<number>;
}

export interface PathChunk {
  split: 'train' | 'test';
  count: number;
  /** count x (steps + 1), each row starting at 1. */
  paths: Float64Array;
  stockId: Int32Array;
  /** time_id of each window's first point. */
  timeId: Int32Array;
  /** Second within that bucket of the first point. */
  startSecond: Float64Array;
}

export interface PathBuilderOptions {
  steps: number;
  intervalSeconds: number;
  bucketSeconds: number;
  mode: WindowMode;
  /** Grid points between window starts (default steps: consecutive windows share one point, increments disjoint). */
  stride: number;
  /** First time_id of the test period (windows.ts timeCut). */
  cut: number;
  onChunk(chunk: PathChunk): void;
  /** Windows per delivered chunk (default 4096). */
  chunkWindows?: number;
  /**
   * Time ids are consecutive clock buckets (time_id = floor(timestamp / bucketSeconds): generic and other
   * timestamped layouts), not the competition's shuffled windows. Windows then follow the clock: a bucket that
   * directly follows the previous one (time_id + 1) carries that bucket's last WAP forward until its own first
   * row (previous tick, no backfill; both modes), and in rolling mode a gap in the time_ids (overnight, a halt,
   * missing data) ends the joined series, so no window spans it. Default false (the competition layout: each
   * bucket starts from its own first row, and rolling windows join the buckets as given).
   */
  clockTime?: boolean;
}

export interface PathBuildStats {
  train: number;
  test: number;
  dropped: number;
  /** Buckets with fewer than two observations (bucket mode), left out. */
  shortBuckets: number;
  /** Sums of squared log returns per split (for the annualised volatility). */
  sumSqTrain: number;
  sumSqTest: number;
}

class ChunkBuffer {
  paths: Float64Array;
  stockId: Int32Array;
  timeId: Int32Array;
  startSecond: Float64Array;
  n = 0;
  constructor(
    readonly split: 'train' | 'test',
    private readonly cap: number,
    private readonly width: number,
  ) {
    this.paths = new Float64Array(cap * width);
    this.stockId = new Int32Array(cap);
    this.timeId = new Int32Array(cap);
    this.startSecond = new Float64Array(cap);
  }
  get full(): boolean {
    return this.n === this.cap;
  }
  take(): PathChunk {
    const n = this.n;
    const chunk: PathChunk = {
      split: this.split,
      count: n,
      paths: this.paths.slice(0, n * this.width),
      stockId: this.stockId.slice(0, n),
      timeId: this.timeId.slice(0, n),
      startSecond: this.startSecond.slice(0, n),
    };
    this.n = 0;
    return chunk;
  }
}

export class PathBuilder {
  readonly stats: PathBuildStats = { train: 0, test: 0, dropped: 0, shortBuckets: 0, sumSqTrain: 0, sumSqTest: 0 };
  private readonly buffers: Record<'train' | 'test', ChunkBuffer>;
  private readonly perBucket: number;

  constructor(private readonly opts: PathBuilderOptions) {
    const cap = opts.chunkWindows ?? 4096;
    const width = opts.steps + 1;
    this.buffers = { train: new ChunkBuffer('train', cap, width), test: new ChunkBuffer('test', cap, width) };
    this.perBucket = gridPointsPerBucket(opts.bucketSeconds, opts.intervalSeconds);
    if (opts.mode === 'rolling' && Math.abs((this.perBucket - 1) * opts.intervalSeconds - opts.bucketSeconds) > 1e-6 * opts.bucketSeconds) {
      throw new Error(`rolling windows need an interval that divides the bucket length (${opts.bucketSeconds} s); ${opts.intervalSeconds} s does not`);
    }
  }

  /** Add the buckets of one stock, in ascending time_id order. */
  addStock(stockId: number, buckets: BucketWap[]): void {
    if (this.opts.mode === 'bucket') this.addBucketWindows(stockId, buckets);
    else this.addRollingWindows(stockId, buckets);
  }

  /** Deliver the partly filled chunks; returns the totals. */
  finish(): PathBuildStats {
    for (const b of Object.values(this.buffers)) if (b.n > 0) this.opts.onChunk(b.take());
    return this.stats;
  }

  private addBucketWindows(stockId: number, buckets: BucketWap[]): void {
    const { steps, intervalSeconds, stride } = this.opts;
    const K = this.perBucket;
    const grid = new Float64Array(K);
    const tids = new Float64Array(K);
    const secs = new Float64Array(K);
    for (let k = 0; k < K; k++) secs[k] = k * intervalSeconds;
    let prev: BucketWap | null = null;
    for (const b of buckets) {
      const before = prev;
      if (b.wap.length > 0) prev = b;
      if (b.wap.length < 2) {
        this.stats.shortBuckets++;
        continue;
      }
      resampleLocf(b.seconds, b.wap, 0, intervalSeconds, K, grid);
      if (this.opts.clockTime && before !== null && b.timeId === before.timeId + 1) {
        // on the clock, the book before this bucket's first row is the previous bucket's last (previous tick)
        const carried = before.wap[before.wap.length - 1];
        for (let k = 0; k < K && k * intervalSeconds < b.seconds[0]; k++) grid[k] = carried;
      }
      tids.fill(b.timeId);
      this.emitWindows(stockId, grid, tids, secs, windowCount(K, steps, stride), stride);
    }
  }

  private addRollingWindows(stockId: number, buckets: BucketWap[]): void {
    const { steps, intervalSeconds, stride } = this.opts;
    const clock = this.opts.clockTime === true;
    const K = this.perBucket - 1; // the bucket end is the next bucket's start
    const len = buckets.length * K;
    const series = new Float64Array(len);
    const tids = new Float64Array(len);
    const secs = new Float64Array(len);
    let at = 0;
    let runStart = 0;
    let prev: BucketWap | null = null;
    const emitRun = (): void => {
      const n = at - runStart;
      this.emitWindows(stockId, series.subarray(runStart, at), tids.subarray(runStart, at), secs.subarray(runStart, at), windowCount(n, steps, stride), stride);
      runStart = at;
    };
    for (const b of buckets) {
      if (b.wap.length === 0) continue;
      const follows = prev !== null && b.timeId === prev.timeId + 1;
      if (clock && prev !== null && !follows) emitRun();
      resampleLocf(b.seconds, b.wap, 0, intervalSeconds, K, series.subarray(at, at + K));
      if (clock && follows) {
        // grid points before this bucket's first row hold the previous bucket's last WAP (previous tick)
        const carried = prev!.wap[prev!.wap.length - 1];
        for (let k = 0; k < K && k * intervalSeconds < b.seconds[0]; k++) series[at + k] = carried;
      }
      for (let k = 0; k < K; k++) {
        tids[at + k] = b.timeId;
        secs[at + k] = k * intervalSeconds;
      }
      at += K;
      prev = b;
    }
    emitRun();
  }

  private emitWindows(stockId: number, series: Float64Array, tids: Float64Array, secs: Float64Array, count: number, stride: number): void {
    const n = this.opts.steps;
    const width = n + 1;
    for (let w = 0; w < count; w++) {
      const s = w * stride; // s + n <= len - 1 by windowCount
      const split = splitOf(tids[s], tids[s + n], this.opts.cut);
      if (split === null) {
        this.stats.dropped++;
        continue;
      }
      const buf = this.buffers[split];
      const o = buf.n * width;
      normalisedWindow(series, s, n, buf.paths, o);
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const r = Math.log(buf.paths[o + i + 1] / buf.paths[o + i]);
        ss += r * r;
      }
      buf.stockId[buf.n] = stockId;
      buf.timeId[buf.n] = tids[s];
      buf.startSecond[buf.n] = secs[s];
      buf.n++;
      if (split === 'train') {
        this.stats.train++;
        this.stats.sumSqTrain += ss;
      } else {
        this.stats.test++;
        this.stats.sumSqTest += ss;
      }
      if (buf.full) this.opts.onChunk(buf.take());
    }
  }
}

/** Annualised volatility from a sum of squared log returns over `windows x steps` steps of `dtYears`. */
export function sigmaFromSumSq(sumSq: number, windows: number, steps: number, dtYears: number): number {
  return windows > 0 ? Math.sqrt(sumSq / (windows * steps * dtYears)) : NaN;
}
