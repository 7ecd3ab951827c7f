import { beforeAll, describe, expect, it } from 'vitest';
import { type Criterion, criterionRisk, criterionWeights } from '../../../../src-shared/hedging/criteria';
import { type HedgeTask } from '../../../../src-main/engine/hedging/datasets';
import { trainingPrices } from '../../../../src-main/engine/hedging/datasets';
import { Adam } from '../../../../src-main/engine/hedging/adam';
import { dhlnnInnerLoop } from '../../../../src-main/engine/hedging/dhlnn';
import { initParams } from '../../../../src-main/engine/hedging/network';
import { localPool } from '../../../../src-main/engine/hedging/pool';
import { type NetModel } from '../../../../src-main/engine/hedging/shard';
import { Trainer, layoutFor } from '../../../../src-main/engine/hedging/trainer';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

const task: HedgeTask = { option: 'european', strike: 1, sigma: 0.1, days: 30, steps: 10, cost: 0.004 };
const hidden = [16, 16];
const paths = 600;

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
};

/** A pool at w^r after the outer forward/backward: the DHLNN linearisation is frozen in its shards. */
const ENTROPIC_1: Criterion = { kind: 'entropic', a: 1 };

async function frozenAt(model: NetModel, seed: number, t: HedgeTask = task, criterion: Criterion = ENTROPIC_1) {
  const layout = layoutFor(model, t, hidden);
  const pool = localPool({ model, task: t, layout, chunkRows: 1000 });
  const params = initParams(layout, seeded(seed));
  // widen the band a little so that rows are in every state
  await pool.setBatch(trainingPrices(seed, 1, paths, t, 0.1, 0), paths);
  const fw = await pool.forward(params);
  const grad = await pool.backward(criterionWeights(fw.pnl, criterion));
  return { layout, pool, params, grad, rho: criterionRisk(fw.pnl, criterion) };
}

async function lossAt(model: NetModel, params: Float64Array, seed: number, t: HedgeTask = task, criterion: Criterion = ENTROPIC_1): Promise<number> {
  const layout = layoutFor(model, t, hidden);
  const pool = localPool({ model, task: t, layout, chunkRows: 1000 });
  await pool.setBatch(trainingPrices(seed, 1, paths, t, 0.1, 0), paths);
  const fw = await pool.forward(params);
  await pool.release();
  return criterionRisk(fw.pnl, criterion);
}

describe('DHLNN nested optimisation (spec "DHLNN"; source Algorithm 1)', () => {
  beforeAll(async () => {
    await chooseBackend();
  });

  it('the linearised objective equals the true risk at w^r (fhat = f there) and its gradient matches finite differences', async () => {
    const { pool, params } = await frozenAt('dhlnn', 21);
    const zero = await pool.inner(new Float64Array(params.length));
    expect(zero.objective).toBe(0); // Lhat(w^r) - rho(V^r) = 0 exactly
    const rng = seeded(22);
    const d = new Float64Array(params.length).map(() => rng.normal() * 1e-2);
    const plus = await pool.inner(d);
    const minus = await pool.inner(d.map((v) => -v));
    // Lhat is quadratic in w - w^r: its central difference is the directional derivative at w^r exactly
    const fd = (plus.objective - minus.objective) / 2;
    expect(dot(zero.grad, d)).toBeCloseTo(fd, 6);
    await pool.release();
  });

  it('is first-order accurate: with a smooth (zero) cost its gradient at w^r is the exact risk gradient, and Lhat tracks the true risk to o(e)', async () => {
    // with cost 0 the smoothed PnL is the PnL, so Lhat and the true risk share value and gradient at w^r;
    // away from w^r they differ by the network's curvature and by rows whose clamp state or ReLU mask changes
    const zeroCost: HedgeTask = { ...task, cost: 0 };
    const layout = layoutFor('dhlnn', zeroCost, hidden);
    const pool = localPool({ model: 'dhlnn', task: zeroCost, layout, chunkRows: 1000 });
    const params = initParams(layout, seeded(31));
    const prices = trainingPrices(31, 1, paths, zeroCost, 0.1, 0);
    await pool.setBatch(prices, paths);
    const pnl0 = (await pool.forward(params)).pnl;
    const rho0 = criterionRisk(pnl0, ENTROPIC_1);
    const grad = await pool.backward(criterionWeights(pnl0, ENTROPIC_1));
    const rng = seeded(32);
    const d = new Float64Array(params.length).map(() => rng.normal());
    const lin0 = await pool.inner(new Float64Array(params.length));
    expect(dot(lin0.grad, d)).toBeCloseTo(dot(grad, d), 8);
    const slope = Math.abs(dot(grad, d));
    expect(slope).toBeGreaterThan(1e-5);
    for (const eps of [1e-3, 5e-4, 2.5e-4]) {
      const lin = (await pool.inner(d.map((v) => eps * v))).objective;
      const p2 = localPool({ model: 'dhlnn', task: zeroCost, layout, chunkRows: 1000 });
      await p2.setBatch(prices, paths);
      const trueChange = criterionRisk((await p2.forward(params.map((v, j) => v + eps * d[j]))).pnl, ENTROPIC_1) - rho0;
      await p2.release();
      // the change itself is first order (~ eps * slope); the linearisation misses it by a few percent at most
      expect(Math.abs(trueChange - lin)).toBeLessThan(0.05 * eps * slope);
    }
    await pool.release();
  });

  it.each([
    ['ES 90%', { kind: 'es', alpha: 0.9 }],
    ['mean-variance (λ = 100)', { kind: 'mean-variance', lambda: 100 }],
    ['entropic (a = 50)', { kind: 'entropic', a: 50 }],
  ] as Array<[string, Criterion]>)('the inner step uses the weights of the criterion trained (%s), not the entropic a = 1 ones', async (_, criterion) => {
    // with cost 0 the smoothed PnL is the PnL, so at w^r the inner gradient sum_k u_k grad Vhat_k must equal the
    // exact gradient of the criterion trained (same u_k), and differ from the entropic (a = 1) gradient
    const zeroCost: HedgeTask = { ...task, cost: 0 };
    const { pool, params, grad } = await frozenAt('dhlnn', 61, zeroCost, criterion);
    const lin0 = await pool.inner(new Float64Array(params.length));
    await pool.release();
    const entropic = (await frozenAt('dhlnn', 61, zeroCost, ENTROPIC_1)).grad;
    const rng = seeded(62);
    const d = new Float64Array(params.length).map(() => rng.normal());
    expect(dot(lin0.grad, d)).toBeCloseTo(dot(grad, d), 7);
    expect(Math.abs(dot(grad, d) - dot(entropic, d))).toBeGreaterThan(0.05 * Math.abs(dot(entropic, d)));
  });

  it('the inner loop lowers the linearised objective at every inner iteration', async () => {
    const { pool, params, grad } = await frozenAt('dhlnn', 41);
    const adam = new Adam(params.length, { lr: 1e-3 });
    const wr = Float64Array.from(params);
    adam.step(params, grad);
    const res = await dhlnnInnerLoop(pool, params, wr, adam, 6, 0);
    const final = await pool.inner(params.map((v, j) => v - wr[j]));
    await pool.release();
    const seq = [...res.objectives, final.objective];
    expect(res.iterations).toBe(6);
    for (let j = 1; j < seq.length; j++) expect(seq[j]).toBeLessThan(seq[j - 1]);
  });

  it('stops early when the inner step is shorter than the tolerance', async () => {
    const { pool, params, grad } = await frozenAt('dhlnn', 42);
    const adam = new Adam(params.length, { lr: 1e-3 });
    const wr = Float64Array.from(params);
    adam.step(params, grad);
    const res = await dhlnnInnerLoop(pool, params, wr, adam, 10, 1e3);
    await pool.release();
    expect(res.iterations).toBe(1);
  });

  it('with zero inner steps is DHNTB training, bit for bit; with inner steps it moves further', async () => {
    const run = async (model: NetModel, innerSteps: number) => {
      const layout = layoutFor(model, task, hidden);
      const pool = localPool({ model, task, layout, chunkRows: 1000 });
      const tr = new Trainer(pool, { model, task, seed: 5, trainPaths: paths, trainVol: 0.1, drift: 0, learningRate: 1e-3, innerSteps, innerTol: 0 }, layout);
      for (let e = 1; e <= 3; e++) await tr.epoch(e);
      return tr.params;
    };
    const ntb = await run('ntb', 0);
    const dh0 = await run('dhlnn', 0);
    const dh3 = await run('dhlnn', 3);
    expect(Array.from(dh0)).toEqual(Array.from(ntb));
    expect(Array.from(dh3)).not.toEqual(Array.from(ntb));
  });
});

describe('exact gradients through the clamp (DHNTB) and through time (DHMLP)', () => {
  beforeAll(async () => {
    await chooseBackend();
  });

  const lookback: HedgeTask = { ...task, option: 'lookback', strike: 1.05 };
  it.each([
    ['ntb', task],
    ['mlp', task],
    ['ntb', lookback],
    ['mlp', lookback],
  ] as const)('%s (%o): backward equals central differences of the entropic loss', async (model, t) => {
    const { params, grad, pool, layout } = await frozenAt(model, 51, t);
    await pool.release();
    expect(layout.inputs).toBe((t.option === 'lookback' ? 4 : 3) + (model === 'mlp' ? 1 : 0));
    const rng = seeded(52);
    const d = new Float64Array(params.length).map(() => rng.normal());
    const h = 2e-3;
    const fd = ((await lossAt(model, params.map((v, j) => v + h * d[j]), 51, t)) - (await lossAt(model, params.map((v, j) => v - h * d[j]), 51, t))) / (2 * h);
    expect(Math.abs(dot(grad, d) - fd)).toBeLessThan(0.03 * Math.abs(fd) + 1e-6);
  });
});

describe('exact gradients of the other criteria (DHNTB)', () => {
  beforeAll(async () => {
    await chooseBackend();
  });

  it.each([
    ['entropic (a = 50)', { kind: 'entropic', a: 50 }],
    ['mean-variance (λ = 100)', { kind: 'mean-variance', lambda: 100 }],
  ] as Array<[string, Criterion]>)('backward equals central differences of %s', async (_, criterion) => {
    const { params, grad, pool } = await frozenAt('ntb', 71, task, criterion);
    await pool.release();
    const rng = seeded(72);
    const d = new Float64Array(params.length).map(() => rng.normal());
    const h = 2e-3;
    const fd = ((await lossAt('ntb', params.map((v, j) => v + h * d[j]), 71, task, criterion)) - (await lossAt('ntb', params.map((v, j) => v - h * d[j]), 71, task, criterion))) / (2 * h);
    expect(Math.abs(fd)).toBeGreaterThan(1e-6);
    expect(Math.abs(dot(grad, d) - fd)).toBeLessThan(0.03 * Math.abs(fd) + 1e-6);
  });
});
