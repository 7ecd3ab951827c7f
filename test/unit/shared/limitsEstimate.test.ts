import { describe, expect, it } from 'vitest';
import { windowCount } from '../../../src-main/engine/orderbook/windows';
import { DEFAULT_LIMITS, overLimits } from '../../../src-shared/limits/limits';
import { RATES, estimateBsde, estimateHedging, estimatePathSet, formatBytes, formatDuration, pathSetWindows } from '../../../src-shared/limits/estimate';

describe('work estimators (src-shared/limits)', () => {
  it('hedging: the issue 13 run (5,000 epochs x 200k paths x 30 steps) comes out at its measured 9.5 h (the rates were fitted to it)', () => {
    const e = estimateHedging({ model: 'mlp', steps: 30, paths: 10_000, epochs: 5000, trainPaths: 200_000, monitorPaths: 10_000 });
    expect(e.seconds / 3600).toBeCloseTo(9.5, 0);
    expect(overLimits(e, DEFAULT_LIMITS)).toMatch(/≈ 9\.\d h of work is over the limit of 2\.0 h/);
  });
  it('hedging: within 2x of a measured run (mlp, 20 epochs x 8,192 x 30, 20,000 test paths: wallSeconds 201.7)', () => {
    const e = estimateHedging({ model: 'mlp', steps: 30, paths: 20_000, epochs: 20, trainPaths: 8192 });
    expect(e.seconds).toBeGreaterThan(201.7 / 2);
    expect(e.seconds).toBeLessThan(201.7 * 2);
  });
  it('hedging: BSDH has no training term; DHLNN pays for its inner passes', () => {
    expect(estimateHedging({ model: 'bsdh', steps: 30, paths: 200_000 }).seconds).toBeCloseTo(6e6 / RATES.hedgeTestPathStepsPerSec, 9);
    const ntb = estimateHedging({ model: 'ntb', steps: 30, paths: 1000, epochs: 10, trainPaths: 10_000 });
    const dhlnn = estimateHedging({ model: 'dhlnn', steps: 30, paths: 1000, epochs: 10, trainPaths: 10_000, innerSteps: 5 });
    expect(dhlnn.work - ntb.work).toBe(10 * 10_000 * 30 * 5);
  });
  it('BSDE: iterations x batch x d, OSM twice RDBDP', () => {
    const c = { steps: 12, batch: 512, iterationsLast: 2000, iterationsOther: 400, samplesT0: 131072, width: 48, depth: 2, d: 5 };
    const osm = estimateBsde({ ...c, scheme: 'osm' });
    const rdbdp = estimateBsde({ ...c, scheme: 'rdbdp' });
    expect(rdbdp.work).toBe((2000 + 10 * 400) * 512 * 5 + 131072 * 5);
    expect(osm.work - rdbdp.work).toBe((2000 + 10 * 400) * 512 * 5);
  });
  it('path sets: the window count agrees with the engine windowCount in bucket mode; a stride-1 set of 2,000 steps is refused by disk', () => {
    const buckets = [24, 17, 3];
    const perBucket = Math.floor(600 / 10) + 1;
    expect(pathSetWindows({ steps: 30, stride: 7, intervalSeconds: 10, bucketSeconds: 600, rolling: false, bucketsPerStock: buckets })).toBe(44 * windowCount(perBucket, 30, 7));
    expect(pathSetWindows({ steps: 30, stride: 7, intervalSeconds: 10, bucketSeconds: 600, rolling: true, bucketsPerStock: buckets })).toBe(buckets.reduce((a, b) => a + windowCount(b * 60, 30, 7), 0));
    // Issue 13: 2,000 steps, stride 48 gave 15,836 windows; stride 1 gives about 48 times as many (~15 GB).
    const e = estimatePathSet(15_836 * 48, 2000);
    expect(e.diskBytes).toBe(2 * (8 * 15_836 * 48 * 2001 + 16 * 15_836 * 48));
    expect(overLimits(e, DEFAULT_LIMITS)).toMatch(/GB on disk is over the limit of 2\.0 GB/);
  });
  it('formats durations and sizes with units', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(34_200)).toBe('9.5 h');
    expect(formatDuration(4 * 86_400)).toBe('4.0 days');
    expect(formatBytes(2e9)).toBe('2.0 GB');
    expect(formatBytes(512)).toBe('512 B');
  });
});
