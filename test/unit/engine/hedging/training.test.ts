import { beforeAll, describe, expect, it } from 'vitest';
import { pathPnl } from '../../../../src-main/engine/hedging/band';
import { meanAbsPositions } from '../../../../src-main/engine/hedging/accounting';
import { buildBatch, simulatePrices } from '../../../../src-main/engine/hedging/datasets';
import { type Criterion, criterionRisk } from '../../../../src-shared/hedging/criteria';
import { doesNotHedge } from '../../../../src-shared/hedging/ranking';
import { localPool } from '../../../../src-main/engine/hedging/pool';
import { Trainer, layoutFor } from '../../../../src-main/engine/hedging/trainer';
import { entropicRisk } from '../../../../src-main/engine/risk/measures';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

describe('a trained DHNTB against the Black–Scholes delta (European K = 1, sigma 0.1, c = 2e-3)', () => {
  beforeAll(async () => {
    await chooseBackend();
  });

  it('has a lower entropic loss than BSDH on the same 20,000 test paths after 12 epochs of 5,000 paths, by more than 2%', async () => {
    const task = { option: 'european' as const, strike: 1, sigma: 0.1, days: 30, steps: 30, cost: 0.002 };
    const layout = layoutFor('ntb', task);
    const pool = localPool({ model: 'ntb', task, layout });
    const tr = new Trainer(pool, { model: 'ntb', task, seed: 1, trainPaths: 5_000, trainVol: 0.1, drift: 0, learningRate: 1e-3 }, layout);
    for (let e = 1; e <= 12; e++) await tr.epoch(e);
    const n = 20_000;
    const prices = simulatePrices(seeded(99), n, task, 0.1, 0);
    const { pnl } = await pool.evaluate(tr.params, prices, n, task.cost);
    const b = buildBatch(task, prices, n);
    const bsdh = new Float64Array(n);
    pathPnl(prices, b.anchor, b.payoff, n, task.steps, task.cost, bsdh);
    const ntbRisk = entropicRisk(pnl);
    const bsdhRisk = entropicRisk(bsdh);
    expect(ntbRisk).toBeLessThan(0.98 * bsdhRisk);
  }, 120_000);
});

/**
 * Issue 12: a user trains on what they care about. Measured on this machine (wasm, shared cores), NTB with
 * 4,000 training paths per epoch, Adam lr 3e-3, seed 1, on 20,000 test paths (seed 99), BSDH on the same paths:
 *   ES 90%:           epoch 6 -> 0.019568 vs BSDH 0.020753 (-5.7%); mean |position| 0.459 vs 0.499
 *   entropic a = 50:  epoch 6 -> 0.014404 vs BSDH 0.016033 (-10.2%); mean |position| 0.445 vs 0.499
 * The assertions leave about half of each margin; both hedgers keep mean |position| within 30% of BSDH's.
 */
describe('training on a chosen criterion beats BSDH on that criterion and still hedges (issue 12)', () => {
  beforeAll(async () => {
    await chooseBackend();
  });

  const task = { option: 'european' as const, strike: 1, sigma: 0.1, days: 30, steps: 30, cost: 0.002 };
  const n = 20_000;
  const prices = simulatePrices(seeded(99), n, task, 0.1, 0);
  const b = buildBatch(task, prices, n);
  const bsdh = new Float64Array(n);
  pathPnl(prices, b.anchor, b.payoff, n, task.steps, task.cost, bsdh);
  const mean = (a: Float64Array): number => a.reduce((s, x) => s + x, 0) / a.length;
  const bsdhAbs = mean(meanAbsPositions(b.anchor, n, task.steps));

  it.each([
    ['ES 90%', { kind: 'es', alpha: 0.9 }, 0.97],
    ['entropic (a = 50)', { kind: 'entropic', a: 50 }, 0.95],
  ] as Array<[string, Criterion, number]>)('NTB trained on %s beats BSDH on it (6 epochs) with mean |position| near BSDH', async (_, criterion, factor) => {
    const layout = layoutFor('ntb', task);
    const pool = localPool({ model: 'ntb', task, layout });
    const tr = new Trainer(pool, { model: 'ntb', task, seed: 1, trainPaths: 4_000, trainVol: 0.1, drift: 0, learningRate: 3e-3, criterion }, layout);
    for (let e = 1; e <= 6; e++) await tr.epoch(e);
    const r = await pool.evaluate(tr.params, prices, n, task.cost);
    expect(criterionRisk(r.pnl, criterion)).toBeLessThan(factor * criterionRisk(bsdh, criterion));
    const abs = mean(r.absPos);
    expect(abs).toBeGreaterThan(0.7 * bsdhAbs);
    expect(abs).toBeLessThan(1.3 * bsdhAbs);
    expect(doesNotHedge(abs, bsdhAbs)).toBe(false);
  }, 180_000);
});
