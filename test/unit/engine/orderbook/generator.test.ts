import { describe, expect, it } from 'vitest';
import { type GeneratedChunk, DEFAULT_GENERATOR, generateStock, generatedColumns } from '../../../../src-main/engine/orderbook/generator';
import { realisedVol } from '../../../../src-main/engine/orderbook/realisedVol';

const collect = (opts: Partial<typeof DEFAULT_GENERATOR>, stock = 0): GeneratedChunk[] => [...generateStock({ ...DEFAULT_GENERATOR, ...opts }, stock)];

describe('synthetic books', () => {
  const chunks = collect({ buckets: 78, intensity: 0.6, missingLevelProb: 0.05 });
  const rows = chunks.reduce((a, c) => a + c.n, 0);

  it('are deterministic for a seed, and a stock does not depend on the others', () => {
    const again = collect({ buckets: 78, intensity: 0.6, missingLevelProb: 0.05 });
    expect(again.map((c) => c.n)).toEqual(chunks.map((c) => c.n));
    expect(Array.from(again[0].bidPrice[0].subarray(0, 50))).toEqual(Array.from(chunks[0].bidPrice[0].subarray(0, 50)));
    const other = collect({ buckets: 78, intensity: 0.6, missingLevelProb: 0.05, seed: 2 });
    expect(Array.from(other[0].bidPrice[0].subarray(0, 50))).not.toEqual(Array.from(chunks[0].bidPrice[0].subarray(0, 50)));
  });

  it('produce valid books: positive prices and sizes, bid1 < ask1, levels ordered, a row at second 0 of every bucket', () => {
    let zeroRows = 0;
    const bad: string[] = [];
    for (const c of chunks) {
      for (let i = 0; i < c.n; i++) {
        if (!(c.bidPrice[0][i] > 0 && c.bidPrice[0][i] < c.askPrice[0][i])) bad.push(`row ${i}: bid1 ${c.bidPrice[0][i]} ask1 ${c.askPrice[0][i]}`);
        if (!(c.bidSize[0][i] >= 1 && c.askSize[0][i] >= 1)) bad.push(`row ${i}: level-1 sizes`);
        if (c.bidPrice[1][i] >= c.bidPrice[0][i]) bad.push(`row ${i}: bid2 >= bid1`);
        if (c.askPrice[1][i] <= c.askPrice[0][i]) bad.push(`row ${i}: ask2 <= ask1`);
        if (c.seconds[i] === 0) zeroRows++;
      }
    }
    expect(bad).toEqual([]);
    expect(zeroRows).toBe(78);
    // about intensity x (0.6 + 0.4 x vol ratio) x 600 rows a bucket
    expect(rows / 78).toBeGreaterThan(250);
    expect(rows / 78).toBeLessThan(600);
  });

  it('leave deeper levels out at about the requested rate, price and size together', () => {
    let missing = 0;
    let total = 0;
    let mismatched = 0;
    for (const c of chunks) {
      for (let i = 0; i < c.n; i++) {
        for (const [p, sz] of [[c.bidPrice[1][i], c.bidSize[1][i]], [c.askPrice[1][i], c.askSize[1][i]]]) {
          total++;
          if (Number.isNaN(p) !== Number.isNaN(sz)) mismatched++;
          if (Number.isNaN(p)) missing++;
        }
      }
    }
    expect(mismatched).toBe(0);
    expect(missing / total).toBeGreaterThan(0.03);
    expect(missing / total).toBeLessThan(0.07);
  });

  it('have wider spreads at the open and close than at midday (intraday U shape)', () => {
    const many = collect({ buckets: 390, missingLevelProb: 0 });
    const spreadBy = new Map<number, { sum: number; n: number }>();
    let bucketIndex = -1;
    let lastTime = -1;
    for (const c of many) {
      for (let i = 0; i < c.n; i++) {
        if (c.timeId[i] !== lastTime) {
          bucketIndex++;
          lastTime = c.timeId[i];
        }
        const tod = bucketIndex % 39;
        const e = spreadBy.get(tod) ?? { sum: 0, n: 0 };
        e.sum += c.askPrice[0][i] - c.bidPrice[0][i];
        e.n++;
        spreadBy.set(tod, e);
      }
    }
    const mean = (tods: number[]) => tods.reduce((a, t) => a + spreadBy.get(t)!.sum, 0) / tods.reduce((a, t) => a + spreadBy.get(t)!.n, 0);
    expect(mean([0, 1, 2, 36, 37, 38])).toBeGreaterThan(1.2 * mean([17, 18, 19, 20, 21]));
  });

  it('have bucket prices normalised near 1 and realised volatility clustering across buckets', () => {
    const many = collect({ buckets: 300, missingLevelProb: 0 });
    const rvs: number[] = [];
    for (const c of many) {
      let start = 0;
      for (let i = 1; i <= c.n; i++) {
        if (i === c.n || c.timeId[i] !== c.timeId[start]) {
          const mids = Array.from({ length: i - start }, (_, k) => 0.5 * (c.bidPrice[0][start + k] + c.askPrice[0][start + k]));
          expect(Math.abs(mids[0] - 1)).toBeLessThan(0.01);
          rvs.push(realisedVol(mids));
          start = i;
        }
      }
    }
    // lag-1 autocorrelation of per-bucket realised volatility is clearly positive (volatility persists)
    const m = rvs.reduce((a, b) => a + b, 0) / rvs.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < rvs.length; i++) {
      den += (rvs[i] - m) ** 2;
      if (i > 0) num += (rvs[i] - m) * (rvs[i - 1] - m);
    }
    expect(num / den).toBeGreaterThan(0.2);
  });

  it('name their columns like the competition (or the generic layout)', () => {
    expect(generatedColumns('competition', 2)).toEqual(['time_id', 'seconds_in_bucket', 'bid_price1', 'ask_price1', 'bid_price2', 'ask_price2', 'bid_size1', 'ask_size1', 'bid_size2', 'ask_size2']);
    expect(generatedColumns('generic', 1)).toEqual(['timestamp', 'bid_price_1', 'bid_size_1', 'ask_price_1', 'ask_size_1']);
  });
});
