import { describe, expect, it } from 'vitest';
import { gridPointsPerBucket, resampleLocf } from '../../../../src-main/engine/orderbook/resample';

describe('uniform resampling with the last observation carried forward', () => {
  const times = [0, 3, 4, 11];
  const values = [10, 13, 14, 21];

  it('takes the last observation at or before each grid time', () => {
    // grid 0, 5, 10, 15: 0 -> 10; 5 -> 14 (obs at 4); 10 -> 14; 15 -> 21
    expect(Array.from(resampleLocf(times, values, 0, 5, 4))).toEqual([10, 14, 14, 21]);
  });

  it('counts an observation exactly on a grid time', () => {
    expect(Array.from(resampleLocf(times, values, 0, 1, 5))).toEqual([10, 10, 10, 13, 14]);
  });

  it('backfills grid times before the first observation with it', () => {
    expect(Array.from(resampleLocf([7, 9], [1.5, 1.7], 0, 2, 6))).toEqual([1.5, 1.5, 1.5, 1.5, 1.5, 1.7]);
  });

  it('keeps the last of equal times (the latest book state)', () => {
    expect(Array.from(resampleLocf([0, 2, 2], [1, 2, 3], 0, 1, 4))).toEqual([1, 1, 3, 3]);
  });

  it('writes into a given output (e.g. a slice of a longer series)', () => {
    const out = new Float64Array(6);
    resampleLocf(times, values, 0, 5, 3, out.subarray(2, 5));
    expect(Array.from(out)).toEqual([0, 0, 10, 14, 14, 0]);
  });

  it('has floor(B/dt) + 1 grid points per bucket, the end included when dt divides B', () => {
    expect(gridPointsPerBucket(600, 10)).toBe(61);
    expect(gridPointsPerBucket(600, 20)).toBe(31);
    expect(gridPointsPerBucket(600, 7)).toBe(86);
    expect(gridPointsPerBucket(600, 0.1)).toBe(6001);
  });
});
