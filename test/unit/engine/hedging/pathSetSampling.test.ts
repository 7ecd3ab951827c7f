import { describe, expect, it } from 'vitest';
import { sampleWindows } from '../../../../src-main/engine/hedging/datasets';
import { hedgeTestSet } from '../../../../src-main/engine/hedging/evaluate';

/** 5 windows of 3 steps, row k = (1, 1 + k, 1 + 2k, 1 + 3k) / 100-scaled, so every row is recognisable. */
const steps = 3;
const count = 5;
const set = new Float64Array(count * (steps + 1));
for (let k = 0; k < count; k++) for (let i = 0; i <= steps; i++) set[k * (steps + 1) + i] = 1 + (k * i) / 100;

describe('training on a stored path set', () => {
  it('draws whole windows with replacement, the same per (seed, epoch), different across epochs, roughly uniformly', () => {
    const a = sampleWindows(7, 1, set, count, steps, 5000);
    expect(a.length).toBe(5000 * (steps + 1));
    const hits = new Array<number>(count).fill(0);
    for (let r = 0; r < 5000; r++) {
      const row = a.subarray(r * (steps + 1), (r + 1) * (steps + 1));
      const k = Math.round((row[1] - 1) * 100);
      expect(Array.from(row)).toEqual(Array.from(set.subarray(k * (steps + 1), (k + 1) * (steps + 1))));
      hits[k]++;
    }
    // 1,000 expected per window; binomial sd ~ 28, so +-150 is > 5 sd
    for (const h of hits) expect(Math.abs(h - 1000)).toBeLessThan(150);
    expect(Array.from(sampleWindows(7, 1, set, count, steps, 50))).toEqual(Array.from(a.subarray(0, 50 * (steps + 1))));
    expect(Array.from(sampleWindows(7, 2, set, count, steps, 50))).not.toEqual(Array.from(a.subarray(0, 50 * (steps + 1))));
    expect(() => sampleWindows(7, 1, set, 0, steps, 10)).toThrow(/no training windows/);
  });

  it('hedgeTestSet with a source hedges exactly those windows, in chunks, with their realised vol', async () => {
    const seen: number[] = [];
    const res = await hedgeTestSet({
      seed: 1,
      paths: count,
      task: { days: 365, steps },
      vol: 0.9,
      drift: 0,
      source: set,
      chunkPaths: 2,
      hedge: (prices, n) => {
        for (let k = 0; k < n; k++) seen.push(prices[k * (steps + 1) + steps]);
        return { pnl: new Float64Array(n), cost: new Float64Array(n) };
      },
    });
    const terminals = Array.from({ length: count }, (_, k) => set[k * (steps + 1) + steps]);
    expect(seen).toEqual(terminals);
    expect(Array.from(res.terminal)).toEqual(terminals);
    let ss = 0;
    for (let k = 0; k < count; k++) for (let i = 0; i < steps; i++) ss += Math.log(set[k * (steps + 1) + i + 1] / set[k * (steps + 1) + i]) ** 2;
    expect(res.realisedVol).toBeCloseTo(Math.sqrt(ss / (count * steps) / (1 / steps)), 12);
  });
});
