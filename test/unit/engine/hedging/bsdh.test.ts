import { describe, expect, it } from 'vitest';
import { DEFAULT_HEDGE_CONFIG, type HedgeConfig } from '../../../../src-shared/hedging/config';
import { CancelledError } from '../../../../src-main/engine/cancel';
import { hedgePnl } from '../../../../src-main/engine/hedging/accounting';
import { bsdhPremium, runBsdh } from '../../../../src-main/engine/hedging/bsdh';
import { europeanCallPayoff, lookbackCallPayoff } from '../../../../src-main/engine/instruments/payoffs';
import { bsCallDelta, bsCallPrice } from '../../../../src-main/engine/math/blackScholes';
import { lookbackCallDelta, lookbackCallPrice } from '../../../../src-main/engine/math/lookback';
import { entropicRisk } from '../../../../src-main/engine/risk/measures';
import { simulateGbm } from '../../../../src-main/engine/stochastic/gbm';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

const small: HedgeConfig = { ...DEFAULT_HEDGE_CONFIG, paths: 300, steps: 6, seed: 17 };

/** BSDH written out with the public formula functions, path by path (the slow reference). */
function referenceBsdh(cfg: HedgeConfig): { pnl: number[]; cost: number[] } {
  const T = cfg.days / 365;
  const dt = T / cfg.steps;
  const paths = simulateGbm({ paths: cfg.paths, steps: cfg.steps, dt, vol: cfg.sigma, drift: cfg.drift, rng: seeded(cfg.seed) });
  const pnl: number[] = [];
  const cost: number[] = [];
  for (let p = 0; p < cfg.paths; p++) {
    const path = paths.slice(p * (cfg.steps + 1), (p + 1) * (cfg.steps + 1));
    const positions = new Float64Array(cfg.steps);
    let runningMax = 0;
    for (let i = 0; i < cfg.steps; i++) {
      const tau = T - i * dt;
      runningMax = Math.max(runningMax, path[i]);
      positions[i] =
        cfg.option === 'european'
          ? bsCallDelta({ spot: path[i], strike: cfg.strike, vol: cfg.sigma, tau })
          : lookbackCallDelta({ spot: path[i], runningMax, strike: cfg.strike, vol: cfg.sigma, tau });
    }
    const z = cfg.option === 'european' ? europeanCallPayoff(path[cfg.steps], cfg.strike) : lookbackCallPayoff(path, cfg.strike);
    const r = hedgePnl(path, positions, z, cfg.cost);
    pnl.push(r.pnl);
    cost.push(r.cost);
  }
  return { pnl, cost };
}

describe('runBsdh', () => {
  for (const option of ['european', 'lookback'] as const) {
    it(`${option}: equals the path-by-path reference built from the formula functions and hedgePnl`, () => {
      const cfg = { ...small, option, strike: option === 'european' ? 1 : 1.01 };
      const got = runBsdh(cfg);
      const want = referenceBsdh(cfg);
      for (let p = 0; p < cfg.paths; p++) {
        expect(got.pnl[p]).toBeCloseTo(want.pnl[p], 13);
        expect(got.cost[p]).toBeCloseTo(want.cost[p], 14);
      }
    });
  }

  it('does not depend on the chunk size and is deterministic by seed', () => {
    const a = runBsdh(small);
    const b = runBsdh(small, undefined, { chunkPaths: 7 });
    expect(Array.from(b.pnl)).toEqual(Array.from(a.pnl));
    expect(b.metrics).toEqual(a.metrics);
    const c = runBsdh({ ...small, seed: 18 });
    expect(c.pnl[0]).not.toBe(a.pnl[0]);
  });

  it('reports metrics consistent with its arrays', () => {
    const { pnl, cost, metrics } = runBsdh({ ...small, paths: 2000 });
    expect(metrics.paths).toBe(2000);
    expect(metrics.mean).toBeCloseTo(pnl.reduce((s, x) => s + x, 0) / 2000, 14);
    expect(metrics.meanCost).toBeCloseTo(cost.reduce((s, x) => s + x, 0) / 2000, 14);
    expect(metrics.entropic).toBeCloseTo(entropicRisk(pnl), 14);
    expect(metrics.premium).toBeCloseTo(bsCallPrice({ spot: 1, strike: 1, vol: 0.1, tau: 30 / 365 }), 15);
    expect(metrics.indifferencePrice).toBe(metrics.entropic - metrics.noLiabilityRisk);
    expect(metrics.noLiabilityRisk).toBe(0); // drift 0 and cost 2e-3: the sample mean return is inside the cost
    expect(metrics.es90).toBeGreaterThanOrEqual(metrics.var90);
    expect(metrics.es99).toBeGreaterThanOrEqual(metrics.es95);
    // the lookback premium is the value with the maximum monitored at the 30 hedge dates, not the continuous
    // Conze–Viswanathan value 0.023081: 0.0201589320937405 from test/reference/lookback_discrete_spitzer.py
    const lb = bsdhPremium({ option: 'lookback', strike: 1, sigma: 0.1, days: 30, steps: 30 });
    expect(Math.abs(lb - 0.02015893209374049865)).toBeLessThan(1e-14);
    expect(lookbackCallPrice({ spot: 1, runningMax: 1, strike: 1, vol: 0.1, tau: 30 / 365 }) - lb).toBeGreaterThan(2.9e-3);
  });

  it('without cost: mean PnL ~ -premium and the std falls like 1/sqrt(steps)', () => {
    const stds: number[] = [];
    for (const steps of [10, 40, 160]) {
      const { metrics } = runBsdh({ ...DEFAULT_HEDGE_CONFIG, cost: 0, paths: 20_000, steps, seed: 5 });
      const se = metrics.std / Math.sqrt(metrics.paths);
      expect(Math.abs(metrics.mean + metrics.premium)).toBeLessThan(4 * se);
      expect(metrics.meanCost).toBe(0);
      stds.push(metrics.std);
    }
    // each 4x more steps halves the hedging error (discrete-hedging error ~ sqrt(pi/4 / steps) sigma-vega)
    expect(stds[1] / stds[0]).toBeGreaterThan(0.4);
    expect(stds[1] / stds[0]).toBeLessThan(0.6);
    expect(stds[2] / stds[1]).toBeGreaterThan(0.4);
    expect(stds[2] / stds[1]).toBeLessThan(0.6);
  });

  it('lookback: the hedge removes most of the payoff variance', () => {
    const cfg = { ...DEFAULT_HEDGE_CONFIG, option: 'lookback' as const, cost: 0, paths: 20_000, steps: 60 };
    const { metrics } = runBsdh(cfg);
    const paths = simulateGbm({ paths: 20_000, steps: 60, dt: 30 / 365 / 60, vol: 0.1, drift: 0, rng: seeded(cfg.seed) });
    let s = 0;
    let s2 = 0;
    for (let p = 0; p < 20_000; p++) {
      const z = lookbackCallPayoff(paths, 1, p * 61, 60);
      s += z;
      s2 += z * z;
    }
    const unhedgedStd = Math.sqrt(s2 / 20_000 - (s / 20_000) ** 2);
    expect(metrics.std).toBeLessThan(0.3 * unhedgedStd);
    // no cost, no drift: the hedge gains have mean 0, so -mean PnL estimates the value of the payoff actually
    // paid (maximum over the 60 hedge dates), which the premium must match within the Monte Carlo error
    const se = metrics.std / Math.sqrt(metrics.paths);
    expect(Math.abs(metrics.mean + metrics.premium)).toBeLessThan(4 * se);
  });

  it('with a drift and no cost the no-liability risk is negative and raises the indifference price', () => {
    // drift 0.5/yr: h* ~ mu / (a sigma^2) = 50 (inside the static-holding bound) and, for near-normal
    // returns, rho* ~ -mu^2 T / (2 a sigma^2) = -0.25 * (30/365) / 0.02 = -1.03
    const { metrics } = runBsdh({ ...small, paths: 5000, drift: 0.5, cost: 0 });
    expect(metrics.noLiabilityRisk).toBeGreaterThan(-1.3);
    expect(metrics.noLiabilityRisk).toBeLessThan(-0.75);
    expect(metrics.noLiabilityRisk).toBeLessThan(0);
    expect(metrics.indifferencePrice).toBeGreaterThan(metrics.entropic);
  });

  it('reports progress up to the total and stops with CancelledError when asked', () => {
    const seen: Array<[number, number]> = [];
    runBsdh({ ...small, paths: 10_000 }, { onProgress: (d, t) => seen.push([d, t]) }, { chunkPaths: 4096 });
    expect(seen).toEqual([
      [4096, 10_000],
      [8192, 10_000],
      [10_000, 10_000],
    ]);
    let polls = 0;
    const progress: number[] = [];
    expect(() =>
      runBsdh({ ...small, paths: 10_000 }, { shouldCancel: () => ++polls > 1, onProgress: (d) => progress.push(d) }, { chunkPaths: 1000 }),
    ).toThrow(CancelledError);
    expect(progress).toEqual([1000]);
  });

  it('flags the indifference price when the no-liability holding hits its bound (strong drift)', () => {
    const calm = runBsdh({ ...small, paths: 5000 }).metrics;
    expect(calm.noLiabilityAtBound).toBe(false);
    expect(calm.noLiabilityRisk).toBe(0);
    const trending = runBsdh({ ...small, paths: 5000, drift: 3, cost: 0 }).metrics;
    expect(trending.noLiabilityAtBound).toBe(true);
    expect(trending.noLiabilityRisk).toBeLessThan(0);
  });
});
