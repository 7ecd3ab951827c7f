import { describe, expect, it } from 'vitest';
import { DEFAULT_HEDGE_CONFIG } from '../../../../src-shared/hedging/config';
import { pathPnl } from '../../../../src-main/engine/hedging/band';
import { runBsdh } from '../../../../src-main/engine/hedging/bsdh';
import { buildBatch, deriveSeed, realisedVol, simulatePrices, splitRanges, trainingPrices } from '../../../../src-main/engine/hedging/datasets';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

const task = { option: 'european' as const, strike: 1, sigma: 0.1, days: 30, steps: 30, cost: 0.002 };

describe('path sets of the deep hedgers', () => {
  it('the test set is the BSDH kernel\'s path set: BSDH on it gives runBsdh\'s PnL exactly', () => {
    const cfg = { ...DEFAULT_HEDGE_CONFIG, paths: 5000, seed: 11 };
    const ref = runBsdh(cfg);
    const prices = simulatePrices(seeded(cfg.seed), cfg.paths, task, cfg.sigma, cfg.drift);
    const b = buildBatch(task, prices, cfg.paths);
    const pnl = new Float64Array(cfg.paths);
    pathPnl(prices, b.anchor, b.payoff, cfg.paths, task.steps, cfg.cost, pnl);
    expect(Array.from(pnl)).toEqual(Array.from(ref.pnl));
  });

  it.each([0.1, 0.2, 0.4])('an out-of-distribution test set really has volatility %s (realised, within 3%%)', (vol) => {
    const prices = simulatePrices(seeded(3), 4000, task, vol, 0);
    expect(realisedVol(prices, 4000, task.steps, 1 / 365)).toBeCloseTo(vol, 1);
    expect(Math.abs(realisedVol(prices, 4000, task.steps, 1 / 365) / vol - 1)).toBeLessThan(0.03);
  });

  it('features are (log moneyness, time to maturity, hedger sigma) time-major, plus log(M/K) for the lookback', () => {
    const prices = simulatePrices(seeded(4), 3, task, 0.3, 0);
    const b = buildBatch({ ...task, option: 'lookback', strike: 1.2 }, prices, 3);
    expect(b.nFeatures).toBe(4);
    // row of path 2 at date 5: r = 5 * 3 + 2
    const o = (5 * 3 + 2) * 4;
    const p = prices[2 * 31 + 5];
    let m = 0;
    for (let i = 0; i <= 5; i++) m = Math.max(m, prices[2 * 31 + i]);
    expect(b.features[o]).toBeCloseTo(Math.log(p / 1.2), 6);
    expect(b.features[o + 1]).toBeCloseTo(25 / 365, 6);
    expect(b.features[o + 2]).toBeCloseTo(0.1, 6); // the hedger's sigma, not the paths' 0.3
    expect(b.features[o + 3]).toBeCloseTo(Math.log(m / 1.2), 6);
  });

  it('each epoch has its own reproducible training paths, independent of the test stream', () => {
    const a = trainingPrices(7, 3, 10, task, 0.1, 0);
    expect(Array.from(trainingPrices(7, 3, 10, task, 0.1, 0))).toEqual(Array.from(a));
    expect(Array.from(trainingPrices(7, 4, 10, task, 0.1, 0))).not.toEqual(Array.from(a));
    expect(Array.from(simulatePrices(seeded(7), 10, task, 0.1, 0))).not.toEqual(Array.from(a));
    expect(new Set([0, 1, 2, 3].map((k) => deriveSeed(7, k))).size).toBe(4);
  });

  it('splits paths into contiguous shards covering every path once', () => {
    expect(splitRanges(10, 2)).toEqual([[0, 5], [5, 10]]);
    expect(splitRanges(7, 2)).toEqual([[0, 4], [4, 7]]);
  });
});
