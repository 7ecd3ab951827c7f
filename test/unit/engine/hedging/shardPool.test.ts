import { beforeAll, describe, expect, it } from 'vitest';
import { criterionWeights } from '../../../../src-shared/hedging/criteria';
import { type HedgeTask, trainingPrices } from '../../../../src-main/engine/hedging/datasets';
import { initParams } from '../../../../src-main/engine/hedging/network';
import { type EvaluatedPaths, LocalHost, type ShardHost, ShardPool, localPool } from '../../../../src-main/engine/hedging/pool';
import { type ForwardResult, type ShardSpec } from '../../../../src-main/engine/hedging/shard';
import { layoutFor } from '../../../../src-main/engine/hedging/trainer';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { seeded } from '../../../../src-main/engine/stochastic/rng';
import { trainingThreads } from '../../../../src-main/domains/hedging/pools';

const task: HedgeTask = { option: 'european', strike: 1, sigma: 0.1, days: 30, steps: 8, cost: 0.002 };
const paths = 400;

/** A LocalHost that logs when it starts computing (it computes synchronously inside its call). */
class LoggingLocal extends LocalHost {
  constructor(
    spec: ShardSpec,
    owns: number[],
    private readonly log: string[],
  ) {
    super(spec, owns);
  }
  override setBatch(parts: Parameters<LocalHost['setBatch']>[0]) {
    this.log.push('local setBatch');
    return super.setBatch(parts);
  }
  override forward(params: Float64Array) {
    this.log.push('local forward');
    return super.forward(params);
  }
  override backward(u: Float64Array[]) {
    this.log.push('local backward');
    return super.backward(u);
  }
  override inner(delta: Float64Array) {
    this.log.push('local inner');
    return super.inner(delta);
  }
}

/**
 * Stands for a host in another thread (not a LocalHost): logs when a request is POSTED and answers it one
 * macrotask later, from a LocalHost of its own, as a worker would.
 */
class FakeRemote implements ShardHost {
  private readonly inner0: LocalHost;
  constructor(
    spec: ShardSpec,
    readonly owns: number[],
    private readonly log: string[],
  ) {
    this.inner0 = new LocalHost(spec, owns);
  }
  private later<T>(op: string, f: () => Promise<T>): Promise<T> {
    this.log.push(`remote ${op}`);
    return new Promise((resolve, reject) => setTimeout(() => f().then(resolve, reject), 0));
  }
  setBatch(parts: Parameters<ShardHost['setBatch']>[0]) {
    return this.later('setBatch', () => this.inner0.setBatch(parts));
  }
  forward(params: Float64Array): Promise<ForwardResult[]> {
    return this.later('forward', () => this.inner0.forward(params));
  }
  backward(u: Float64Array[]) {
    return this.later('backward', () => this.inner0.backward(u));
  }
  inner(delta: Float64Array) {
    return this.later('inner', () => this.inner0.inner(delta));
  }
  release() {
    return this.inner0.release();
  }
  evaluate(params: Float64Array, parts: Array<{ prices: Float64Array; paths: number }>, costRate: number): Promise<EvaluatedPaths[]> {
    return this.later('evaluate', () => this.inner0.evaluate(params, parts, costRate));
  }
  close() {
    return this.inner0.close();
  }
}

describe('shard pool: two hosts work side by side, with the numbers of one thread', () => {
  beforeAll(async () => {
    await chooseBackend();
  });

  it.each(['dhlnn', 'ntb', 'mlp'] as const)('%s: posts the other thread its request BEFORE computing its own shard, and gets the same bits as one thread', async (model) => {
    const layout = layoutFor(model, task, [16, 16]);
    const spec: ShardSpec = { model, task, layout, chunkRows: 500 };
    const log: string[] = [];
    // the local host listed first, as createPool does: the pool must still start the remote one first
    const split = new ShardPool([new LoggingLocal(spec, [0], log), new FakeRemote(spec, [1], log)], task.steps);
    const one = localPool(spec);
    const params = initParams(layout, seeded(5));
    const prices = trainingPrices(5, 1, paths, task, 0.1, 0);
    const results = [];
    for (const pool of [split, one]) {
      await pool.setBatch(prices, paths);
      const fw = await pool.forward(params);
      const grad = await pool.backward(criterionWeights(fw.pnl, { kind: 'entropic', a: 1 }));
      const inner = model === 'dhlnn' ? await pool.inner(grad.map((g) => -1e-3 * g)) : { objective: 0, grad: [] };
      await pool.release();
      results.push({ pnl: Array.from(fw.pnl), grad: Array.from(grad), inner: inner.objective, innerGrad: Array.from(inner.grad) });
    }
    for (const op of ['setBatch', 'forward', 'backward', ...(model === 'dhlnn' ? ['inner'] : [])]) {
      expect(log.indexOf(`remote ${op}`), op).toBeGreaterThanOrEqual(0);
      expect(log.indexOf(`remote ${op}`), op).toBeLessThan(log.indexOf(`local ${op}`));
    }
    expect(results[0]).toEqual(results[1]);
    await split.close();
    await one.close();
  });
});

describe('trainingThreads (how many threads a training job uses)', () => {
  it('uses both cores of an idle 2-core host, one when the host is busy or has one core, and obeys HEDGE_TRAIN_THREADS', () => {
    expect(trainingThreads(2, 0.2, undefined)).toBe(2);
    expect(trainingThreads(2, 1.4, undefined)).toBe(2);
    expect(trainingThreads(2, 1.6, undefined)).toBe(1);
    expect(trainingThreads(8, 3, undefined)).toBe(2);
    expect(trainingThreads(1, 0, undefined)).toBe(1);
    expect(trainingThreads(2, 9, '2')).toBe(2);
    expect(trainingThreads(8, 0, '1')).toBe(1);
    expect(trainingThreads(8, 0, '5')).toBe(2); // at most one thread per logical shard
    expect(trainingThreads(2, 0, 'x')).toBe(2); // not a number: the host decides
  });
});
