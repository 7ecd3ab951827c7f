import { beforeAll, describe, expect, it } from 'vitest';
import { solveBookThreaded, solveThreads, startShardHelper } from '../../../../src-main/domains/bsde/threads';
import { FastMlp, HostAdam } from '../../../../src-main/engine/bsde/fastMlp';
import { initParams, type MlpShape } from '../../../../src-main/engine/bsde/mlpLayout';
import { LossWorkspace, type ShardLoss, shardGradients } from '../../../../src-main/engine/bsde/shardLoss';
import { SplitStep } from '../../../../src-main/engine/bsde/shards';
import { seeded } from '../../../../src-main/engine/stochastic/rng';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { SOLVER_PRESETS, type SolverConfig } from '../../../../src-shared/bsde/config';
import { type BookContent } from '../../../../src-shared/portfolio/book';
import { presetBook } from '../../../../src-shared/portfolio/presets';

/**
 * Every Adam step of a solve is computed on two shards of its batch (engine/bsde/shards.ts), in one thread
 * or with shard 1 in a helper thread. The claims: the two give the same bits (so a seed replays exactly
 * whatever the load was), the two-shard gradient is the full batch's gradient up to float32 summation
 * order, and the thread count follows the load rule of the deep-hedging trainer.
 */
beforeAll(async () => {
  await chooseBackend();
});

// A short tiny-preset solve; an odd batch (257 = 129 + 128 rows) so the shards differ in size.
const quick = (scheme: 'osm' | 'rdbdp'): SolverConfig => ({
  scheme,
  seed: 3,
  ...SOLVER_PRESETS.tiny.config,
  steps: 4,
  batch: 257,
  iterationsLast: 120,
  iterationsOther: 40,
  samplesT0: 8192,
});

/** B1 on two assets with a Bermudan put added (exercise dates use the osm-y loss's exercise branch). */
function book(): BookContent {
  const b = presetBook('B1', { assets: 2 });
  return {
    ...b,
    options: [
      ...b.options,
      { ...b.options[0], label: 'Bermudan geometric put', payoff: 'geometric-put', exercise: 'bermudan', exerciseDates: 2 },
    ],
  };
}

describe('a solve on two threads', () => {
  it.each(['osm', 'rdbdp'] as const)('%s: the helper thread runs and every weight and Greek is the same bits as on one thread', async (scheme) => {
    const one = await solveBookThreaded(book(), quick(scheme), undefined, { threads: 1 });
    const two = await solveBookThreaded(book(), quick(scheme), undefined, { threads: 2 });
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.weights.length).toBe(one.weights.length);
    let differing = 0;
    for (let i = 0; i < one.weights.length; i++) if (!Object.is(one.weights[i], two.weights[i])) differing++;
    expect(differing).toBe(0);
    expect(two.metrics.options.map((o) => [o.price, ...o.delta])).toEqual(one.metrics.options.map((o) => [o.price, ...o.delta]));
    expect(two.metrics.losses.map((l) => [l.lossZ, l.lossY])).toEqual(one.metrics.losses.map((l) => [l.lossZ, l.lossY]));
    // and the solve is a real one: the European call within 2% of its closed form
    expect(one.metrics.options[0].errors!.price).toBeLessThan(0.02);
  }, 180_000);

  it('a started helper closes cleanly, and a closed one refuses work with a message', async () => {
    const h = await startShardHelper();
    expect(h).not.toBeNull();
    await h!.close();
    expect(() => h!.helper.setup({ loss: { kind: 'osm-y', J: 1, kY: 1, alive: new Float32Array([1]), exercise: new Float32Array(1), sC: new Float32Array([1]), shiftC: new Float32Array(1) }, shapes: [], cols: {}, rows: 1, batch: 2 })).toThrow(/closed/);
  }, 60_000);
});

describe('two shards versus the whole batch', () => {
  it('the summed gradient equals the full batch gradient to float32 summation order (1e-5 of its largest entry), the loss to 1e-9', () => {
    // Z network of OSM on d = 3, J = 2: 2 * 3 * 4 = 24 outputs.
    const d = 3;
    const J = 2;
    const shape: MlpShape = { inputs: d, width: 16, depth: 2, outputs: J * d * (1 + d) };
    const rng = seeded(11);
    const p0 = initParams(shape, rng, 1);
    const B = 301;
    const fill = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());
    const data = { x: fill(B * d), w: fill(B * d).map((v) => 0.1 * v), t: fill(B * J * d) };
    const loss: ShardLoss = { kind: 'osm-z', d, J, kap: Float32Array.from({ length: J * d }, (_, i) => 0.5 + 0.1 * i), alive: new Float32Array(J * d).fill(1) };
    // The full batch in one pass.
    const whole = new FastMlp(shape, p0);
    const gWhole = new Float32Array(whole.size);
    const lWhole = shardGradients(loss, [whole], data, B, B, [gWhole], new LossWorkspace());
    // SplitStep with lr -> 0 leaves the parameters; read its gradient through Adam's first step instead:
    // the first Adam step moves every parameter by -lr * g / (|g| + eps) = -lr sign(g), so compare the signs
    // and, exactly, the summed gradient recomputed from the two shards.
    const split = new FastMlp(shape, p0);
    const h = Math.ceil(B / 2);
    const g0 = new Float32Array(split.size);
    const g1 = new Float32Array(split.size);
    const part = (from: number, to: number) => ({ x: data.x.subarray(from * d, to * d), w: data.w.subarray(from * d, to * d), t: data.t.subarray(from * J * d, to * J * d) });
    const ws = new LossWorkspace();
    const l0 = shardGradients(loss, [split], part(0, h), h, B, [g0], ws);
    const l1 = shardGradients(loss, [split], part(h, B), B - h, B, [g1], ws);
    let maxAbs = 0;
    for (const v of gWhole) maxAbs = Math.max(maxAbs, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < gWhole.length; i++) worst = Math.max(worst, Math.abs(Math.fround(g0[i] + g1[i]) - gWhole[i]));
    expect(maxAbs).toBeGreaterThan(0);
    expect(worst / maxAbs).toBeLessThan(1e-5);
    expect(Math.abs(l0 + l1 - lWhole) / lWhole).toBeLessThan(1e-9);
    // SplitStep performs exactly that sum, then Adam: its first step equals Adam on g0 + g1.
    const viaSplit = new FastMlp(shape, p0);
    new SplitStep(loss, [viaSplit], [new HostAdam(viaSplit.size)], { x: d, w: d, t: J * d }, B, null).run(data, 1e-3, true);
    const byHand = Float32Array.from(p0);
    const g = Float32Array.from(g0, (v, i) => v + g1[i]);
    new HostAdam(byHand.length).step(byHand, g, 1e-3);
    expect(Array.from(viaSplit.params)).toEqual(Array.from(byHand));
    [whole, split, viaSplit].forEach((n) => n.dispose());
  });
});

describe('how many threads', () => {
  it('two when a second core is free (1-minute load <= cores - 0.5), else one; BSDE_SOLVE_THREADS forces 1 or 2', () => {
    expect(solveThreads(2, 0.3, undefined)).toBe(2);
    expect(solveThreads(2, 1.5, undefined)).toBe(2);
    expect(solveThreads(2, 1.6, undefined)).toBe(1);
    expect(solveThreads(1, 0, undefined)).toBe(1);
    expect(solveThreads(8, 7.4, undefined)).toBe(2);
    expect(solveThreads(2, 9, '2')).toBe(2);
    expect(solveThreads(2, 0, '1')).toBe(1);
    expect(solveThreads(2, 0, '4')).toBe(2);
    expect(solveThreads(2, 0, 'x')).toBe(2);
  });
});
