import { describe, expect, it } from 'vitest';
import { type BucketWap, type PathChunk, PathBuilder, sigmaFromSumSq } from '../../../../src-main/engine/orderbook/pathBuilder';
import { windowsVolatility } from '../../../../src-main/engine/orderbook/windows';

/** A bucket observed every second with wap(t) = f(t). */
const bucket = (timeId: number, f: (t: number) => number, every = 1): BucketWap => {
  const seconds: number[] = [];
  for (let t = 0; t < 600; t += every) seconds.push(t);
  return { timeId, seconds, wap: seconds.map(f) };
};

function build(opts: Partial<ConstructorParameters<typeof PathBuilder>[0]>, stocks: Array<[number, BucketWap[]]>) {
  const chunks: PathChunk[] = [];
  const b = new PathBuilder({ steps: 30, intervalSeconds: 10, bucketSeconds: 600, mode: 'bucket', stride: 30, cut: 12, onChunk: (c) => chunks.push(c), ...opts });
  for (const [id, buckets] of stocks) b.addStock(id, buckets);
  const stats = b.finish();
  const all = (split: 'train' | 'test') => {
    const cs = chunks.filter((c) => c.split === split);
    return {
      count: cs.reduce((a, c) => a + c.count, 0),
      paths: cs.flatMap((c) => Array.from({ length: c.count }, (_, w) => Array.from(c.paths.subarray(w * 31, (w + 1) * 31)))),
      timeId: cs.flatMap((c) => Array.from(c.timeId)),
      stockId: cs.flatMap((c) => Array.from(c.stockId)),
      start: cs.flatMap((c) => Array.from(c.startSecond)),
    };
  };
  return { stats, chunks, train: all('train'), test: all('test') };
}

describe('path builder, windows inside each bucket', () => {
  const lin = (t: number) => 1 + t / 6000;
  const buckets = [bucket(10, lin), bucket(11, lin), bucket(12, lin)];

  it('cuts 2 windows of 31 points (0-300 s, 300-600 s) per 600 s bucket at 10 s and splits by time_id', () => {
    const r = build({}, [[0, buckets]]);
    expect(r.stats).toMatchObject({ train: 4, test: 2, dropped: 0, shortBuckets: 0 });
    expect(r.train.timeId).toEqual([10, 10, 11, 11]);
    expect(r.test.timeId).toEqual([12, 12]);
    expect(r.train.start).toEqual([0, 300, 0, 300]);
  });

  it('resamples with LOCF, so the window is wap(10 k) / wap(start) and the last point (600 s) carries 599 s', () => {
    const r = build({}, [[0, buckets]]);
    const first = r.train.paths[0];
    expect(first[0]).toBe(1);
    for (let k = 0; k <= 30; k++) expect(first[k]).toBeCloseTo(lin(10 * k) / lin(0), 14);
    const second = r.train.paths[1];
    expect(second[30]).toBeCloseTo(lin(599) / lin(300), 14);
  });

  it('skips buckets with fewer than two observations and keeps stocks apart', () => {
    const short: BucketWap = { timeId: 11, seconds: [5], wap: [1.01] };
    const r = build({}, [
      [3, [bucket(10, lin), short]],
      [4, [bucket(12, lin)]],
    ]);
    expect(r.stats.shortBuckets).toBe(1);
    expect(r.train.stockId).toEqual([3, 3]);
    expect(r.test.stockId).toEqual([4, 4]);
  });

  it('delivers big sets in chunks whose windows add up', () => {
    const many = Array.from({ length: 9 }, (_, i) => bucket(i, lin));
    const r = build({ chunkWindows: 4, cut: 6 }, [[0, many]]);
    expect(r.stats.train).toBe(12);
    expect(r.stats.test).toBe(6);
    expect(r.chunks.filter((c) => c.split === 'train').map((c) => c.count)).toEqual([4, 4, 4]);
    expect(r.train.count).toBe(12);
  });
});

describe('path builder, rolling windows across joined buckets', () => {
  const step = (level: number) => (t: number) => level * (1 + t / 60000);
  const buckets = [bucket(10, step(1)), bucket(11, step(1.1)), bucket(12, step(1.2))];

  it('joins 60 points per bucket, cuts every 30 points, and drops the windows that straddle the cut', () => {
    // 180 points; starts 0, 30, 60, 90, 120 (start 150 would need index 180). Cut at 11: the window from 30
    // (ends at point 60 = bucket 11) straddles; 60 and 90 lie in bucket 11 -> test; 120 starts in bucket 12.
    const r = build({ mode: 'rolling', cut: 11 }, [[0, buckets]]);
    expect(r.stats).toMatchObject({ train: 1, test: 3, dropped: 1 });
    expect(r.test.timeId).toEqual([11, 11, 12]);
  });

  it('carries the level jump between buckets into the window that crosses them', () => {
    const r = build({ mode: 'rolling', cut: 99 }, [[0, buckets]]);
    const crossing = r.train.paths[1]; // starts at 300 s of bucket 10, ends at 0 s of bucket 11
    expect(crossing[30] / crossing[29]).toBeCloseTo(step(1.1)(0) / step(1)(590), 12);
  });

  it('refuses an interval that does not divide the bucket', () => {
    expect(() => build({ mode: 'rolling', intervalSeconds: 7 }, [])).toThrow(/divides the bucket length/);
  });

  it('reports sigma consistent with the windows it produced', () => {
    const wiggly = (t: number) => 1 + 0.002 * Math.sin(t / 7) + 0.001 * Math.cos(t / 3);
    const r = build({ mode: 'rolling', cut: 99, stride: 5 }, [[0, [bucket(1, wiggly), bucket(2, wiggly)]]]);
    const dtYears = 10 / 5_896_800;
    const flat = Float64Array.from(r.train.paths.flat());
    expect(sigmaFromSumSq(r.stats.sumSqTrain, r.stats.train, 30, dtYears)).toBeCloseTo(windowsVolatility(flat, 30, dtYears), 10);
  });
});

describe('path builder, rolling windows on a clock layout (clockTime)', () => {
  // buckets 100, 101 follow each other; 105 comes after a gap (e.g. overnight) at a very different price
  const flat = (v: number, from = 0) => ({ seconds: [from, 599], wap: [v, v] });
  const buckets: BucketWap[] = [
    { timeId: 100, ...flat(1) },
    { timeId: 101, seconds: [25, 599], wap: [1.1, 1.1] }, // first row 25 s into the bucket
    { timeId: 105, ...flat(2) },
    { timeId: 106, ...flat(2) },
  ];
  const opts = { mode: 'rolling' as const, steps: 30, stride: 30, cut: Infinity };

  it('never cuts a window across a gap in the time_ids, and carries the previous bucket forward (no backfill)', () => {
    const r = build({ ...opts, clockTime: true }, [[0, buckets]]);
    // two runs of 2 buckets x 60 points: 3 windows each (starts 0, 30, 60 of 120 points; 90 + 30 > 119)
    expect(r.stats.train).toBe(6);
    expect(r.train.timeId).toEqual([100, 100, 101, 105, 105, 106]);
    // the window from 300 s of bucket 100 ends at 0 s of bucket 101, before its first row (25 s): still 1 (previous tick)
    expect(r.train.paths[1]).toEqual(Array(31).fill(1));
    // the next one starts there: 0, 10, 20 s carry 1, then 1.1 from 30 s
    expect(r.train.paths[2].slice(0, 5)).toEqual([1, 1, 1, 1.1, 1.1]);
    // no window contains the jump from 1.1 to 2 across the gap
    for (const p of r.train.paths) expect(Math.max(...p) / Math.min(...p)).toBeLessThan(1.2);
  });

  it('bucket windows of a bucket that follows the previous one start from its last WAP, not from a later row', () => {
    const r = build({ mode: 'bucket', steps: 30, stride: 30, cut: Infinity, clockTime: true }, [[0, buckets]]);
    // bucket 101's first window: 0, 10, 20 s before its first row (25 s) carry bucket 100's last WAP (1)
    const i = r.train.timeId.indexOf(101);
    expect(r.train.paths[i].slice(0, 5)).toEqual([1, 1, 1, 1.1, 1.1]);
    // bucket 105 follows a gap: nothing to carry, it starts from its own first row
    expect(r.train.paths[r.train.timeId.indexOf(105)][0]).toBe(1);
    const comp = build({ mode: 'bucket', steps: 30, stride: 30, cut: Infinity }, [[0, buckets]]);
    expect(comp.train.paths[comp.train.timeId.indexOf(101)].slice(0, 4)).toEqual([1, 1, 1, 1]); // normalised 1.1 / 1.1 (backfilled)
  });

  it('the competition layout (default) joins the buckets as given, gap or not', () => {
    const r = build(opts, [[0, buckets]]);
    // 4 buckets x 60 points = 240: starts 0, 30, ..., 180 (210 + 30 > 239) = 7 windows, one across 101 -> 105
    expect(r.stats.train).toBe(7);
    expect(r.train.paths.some((p) => Math.max(...p) / Math.min(...p) > 1.5)).toBe(true);
    // and backfills bucket 101's start with its first row (1.1), as before
    expect(r.train.paths[1][30]).toBe(1.1);
  });
});
