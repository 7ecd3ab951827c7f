import { beforeAll, describe, expect, it } from 'vitest';
import { combineEntropic } from '../../../../src-main/engine/hedging/band';
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
async function frozenAt(model: NetModel, seed: number, t: HedgeTask = task) {
  const layout = layoutFor(model, t, hidden);
  const pool = localPool({ model, task: t, layout, chunkRows: 1000 });
  const params = initParams(layout, seeded(seed));
  // widen the band a little so that rows are in every state
  await pool.setBatch(trainingPrices(seed, 1, paths, t, 0.1, 0), paths);
  const fw = await pool.forward(params);
  const total = combineEntropic(fw.parts);
  const grad = await pool.backward(total);
  return { layout, pool, params, grad, rho: total.rho };
}

async function lossAt(model: NetModel, params: Float64Array, seed: number, t: HedgeTask = task): Promise<number> {
  const layout = layoutFor(model, t, hidden);
  const pool = localPool({ model, task: t, layout, chunkRows: 1000 });
  await pool.setBatch(trainingPrices(seed, 1, paths, t, 0.1, 0), paths);
  const fw = await pool.forward(params);
  await pool.release();
  return combineEntropic(fw.parts).rho;
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
    const total = combineEntropic((await pool.forward(params)).parts);
    const grad = await pool.backward(total);
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
      const trueChange = combineEntropic((await p2.forward(params.map((v, j) => v + eps * d[j]))).parts).rho - total.rho;
      await p2.release();
      // the change itself is first order (~ eps * slope); the linearisation misses it by a few percent at most
      expect(Math.abs(trueChange - lin)).toBeLessThan(0.05 * eps * slope);
    }
    await pool.release();
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
