/**
 * Where a deep-hedging epoch's time goes: `npx tsx bench/hedging-profile.ts [--reps N] [--models ntb,dhlnn,mlp]`.
 * Setting of bench/hedging.bench.ts (10,000 paths x 30 steps, 4 x 64 ReLU, European K = 1, sigma 0.1, c = 2e-3),
 * one thread, both logical shards in turn as a run does. Each phase of an epoch is timed on its own (median of
 * `reps` repetitions, wall ms) and the tfjs kernels of the network passes are listed with tf.profile
 * (kernel name, calls, wall ms inside the kernel as the wasm backend reports it). `--models vjp-ab` instead compares
 * the two ways of forming one layer's weight and bias gradients on fresh [10,000 x 64] tensors (CPU ms, min of 40):
 * h^T d (+ 1^T d; XNNPACK packs d), d^T h (+ d^T 1; packs h), and our wasm kernels (engine/tensor/netKernels.ts, used now).
 */
import * as tf from '@tensorflow/tfjs';
import { performance } from 'node:perf_hooks';
import { criterionWeights } from '../src-shared/hedging/criteria';
import { chooseBackend } from '../src-main/engine/tensor/backend';
import { netKernels } from '../src-main/engine/tensor/netKernels';
import { type BandArrays, bandBackward, bandPositions, linearBackward, linearPositions, pathPnl, smoothedPnl } from '../src-main/engine/hedging/band';
import { buildBatch, splitRanges, pricesOf, trainingPrices } from '../src-main/engine/hedging/datasets';
import { initParams } from '../src-main/engine/hedging/network';
import { RowsPass, TfMlp } from '../src-main/engine/hedging/tfMlp';
import { mlpBackward, mlpForward } from '../src-main/engine/hedging/shard';
import { layoutFor } from '../src-main/engine/hedging/trainer';
import { seeded } from '../src-main/engine/stochastic/rng';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const TASK = { option: 'european' as const, strike: 1, sigma: 0.1, days: 30, steps: 30, cost: 0.002 };
const PATHS = 10_000;
const reps = Number(flag('reps', '5'));
const models = flag('models', 'ntb,dhlnn,mlp').split(',');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function timed(name: string, table: Map<string, number[]>, f: () => void): void {
  const t0 = performance.now();
  f();
  const dt = performance.now() - t0;
  table.set(name, [...(table.get(name) ?? []), dt]);
}

async function kernels(label: string, f: () => void): Promise<void> {
  const info = await tf.profile(f);
  const by = new Map<string, { calls: number; ms: number }>();
  for (const k of info.kernels) {
    const e = by.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    by.set(k.name, e);
  }
  const rows = [...by.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, e]) => s + e.ms, 0);
  console.log(`  kernels of ${label}: ${info.kernels.length} kernel calls, ${total.toFixed(1)} ms in kernels`);
  for (const [name, e] of rows.slice(0, 8)) console.log(`    ${name.padEnd(18)} ${String(e.calls).padStart(5)} calls ${e.ms.toFixed(1).padStart(8)} ms`);
}

const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Weight + bias gradient of one 10,000-row, 64-wide layer, both formulations (see the module doc). */
function vjpFormulations(): void {
  const R = 10_000;
  const h0 = tf.randomNormal([R, 64]);
  const d0 = tf.randomNormal([R, 64]);
  const onesRow = tf.ones([1, R]);
  const onesCol = tf.ones([R, 1]);
  const best = { 'h^T d, 1^T d (packs d)': Infinity, 'd^T h, d^T 1 (packs h)': Infinity, 'd^T h, d^T 1 with h packed already (DHLNN inner)': Infinity };
  for (let rep = 0; rep < 40; rep++) {
    for (const mode of Object.keys(best) as Array<keyof typeof best>) {
      const h = tf.add(h0, 0);
      const d = tf.add(d0, 0);
      if (mode.includes('already')) tf.tidy(() => void tf.matMul(tf.transpose(d), h));
      const t = cpuMs();
      tf.tidy(() => {
        if (mode.startsWith('h^T')) {
          tf.matMul(tf.transpose(h), d).dataSync();
          tf.matMul(onesRow, d).dataSync();
        } else {
          const dt = tf.transpose(d);
          tf.matMul(dt, h).dataSync();
          tf.matMul(dt, onesCol).dataSync();
        }
      });
      best[mode] = Math.min(best[mode], cpuMs() - t);
      h.dispose();
      d.dispose();
    }
  }
  const kern = netKernels();
  let kernMs = Infinity;
  if (kern) {
    const c = kern.alloc(64 * 64);
    const b = kern.alloc(64);
    for (let rep = 0; rep < 40; rep++) {
      const h = tf.add(h0, 0) as tf.Tensor2D;
      const d = tf.add(d0, 0) as tf.Tensor2D;
      const t = cpuMs();
      kern.atb(d, h, c);
      kern.colsum(d, b);
      kernMs = Math.min(kernMs, cpuMs() - t);
      h.dispose();
      d.dispose();
    }
    kern.free(c);
    kern.free(b);
  }
  for (const [mode, ms] of Object.entries(best)) console.log(`  ${mode.padEnd(52)} ${ms.toFixed(2)} ms CPU`);
  console.log(`  ${'d^T h, d^T 1 by our wasm kernels (no transpose, no packing)'.padEnd(52)} ${kern ? `${kernMs.toFixed(2)} ms CPU` : 'n/a (not the wasm backend)'}`);
}

async function main(): Promise<void> {
  const backend = await chooseBackend();
  if (models[0] === 'vjp-ab') {
    console.log('weight + bias gradient of one [10,000 x 64] layer (min CPU ms of 40):');
    vjpFormulations();
    return;
  }
  console.log(`backend ${backend.name}; ${reps} reps; medians in ms (wall, machine shared: inflated)`);
  for (const model of models) {
    const layout = layoutFor(model as 'ntb', TASK);
    const params = initParams(layout, seeded(7));
    const table = new Map<string, number[]>();
    for (let r = 0; r < reps; r++) {
      let prices: Float64Array = new Float64Array(0);
      timed('paths (GBM)', table, () => (prices = trainingPrices(1, r + 1, PATHS, TASK, TASK.sigma, 0)));
      const ranges = splitRanges(PATHS, 2);
      const batches = ranges.map(([a, b]) => buildBatch(TASK, pricesOf(prices, TASK.steps, a, b), b - a));
      timed('buildBatch', table, () => ranges.forEach(([a, b]) => buildBatch(TASK, pricesOf(prices, TASK.steps, a, b), b - a)));
      const pnl = batches.map((b) => new Float64Array(b.paths));
      if (model === 'mlp') {
        const nets: TfMlp[] = [];
        const fw: Array<ReturnType<typeof mlpForward>> = [];
        timed('net forward (30 dates)', table, () => batches.forEach((b) => {
          const net = new TfMlp(layout, params);
          nets.push(net);
          fw.push(mlpForward(net, b, true));
        }));
        timed('PnL pass', table, () => batches.forEach((b, s) => pathPnl(b.prices, fw[s].positions, b.payoff, b.paths, b.steps, TASK.cost, pnl[s])));
        const all = new Float64Array(PATHS);
        all.set(pnl[0]);
        all.set(pnl[1], pnl[0].length);
        let u: Float64Array = new Float64Array(0);
        timed('criterion', table, () => (u = criterionWeights(all, { kind: 'entropic', a: 1 })));
        timed('net backward (BPTT)', table, () => batches.forEach((b, s) => mlpBackward(nets[s], b, fw[s].caches, fw[s].positions, u.slice(ranges[s][0], ranges[s][1]), TASK.cost)));
        fw.forEach((f) => f.caches.forEach((c) => { c.x.dispose(); c.h.forEach((t) => t.dispose()); }));
        nets.forEach((n) => n.dispose());
        continue;
      }
      const passes: RowsPass[] = [];
      const fs: Float32Array[] = [];
      timed('net forward', table, () => batches.forEach((b) => {
        const pass = new RowsPass(layout, params);
        passes.push(pass);
        fs.push(pass.forward(b.features, b.paths * b.steps, true));
      }));
      const bands: BandArrays[] = batches.map((b) => ({ positions: new Float64Array(b.paths * b.steps), states: new Uint8Array(b.paths * b.steps) }));
      timed('band clamp', table, () => batches.forEach((b, s) => bandPositions(fs[s], b.anchor, b.paths, b.steps, bands[s])));
      timed('PnL pass', table, () => batches.forEach((b, s) => pathPnl(b.prices, bands[s].positions, b.payoff, b.paths, b.steps, TASK.cost, pnl[s])));
      const all = new Float64Array(PATHS);
      all.set(pnl[0]);
      all.set(pnl[1], pnl[0].length);
      let u: Float64Array = new Float64Array(0);
      timed('criterion', table, () => (u = criterionWeights(all, { kind: 'entropic', a: 1 })));
      const gs = fs.map((f) => new Float32Array(f.length));
      timed('band backward', table, () => batches.forEach((b, s) => bandBackward(fs[s], b.prices, bands[s], u.slice(ranges[s][0], ranges[s][1]), b.paths, b.steps, TASK.cost, gs[s])));
      const keep = model === 'dhlnn';
      timed('net VJP', table, () => passes.forEach((p, s) => p.vjp(gs[s], keep ? 'linear' : 'none')));
      if (model === 'dhlnn') {
        const delta = new Float64Array(params.length).map((_, j) => 1e-4 * Math.sin(j));
        const us = ranges.map(([a, b]) => u.slice(a, b));
        const dfs: Float32Array[] = [];
        // the first JVP at w^r also keeps the output sensitivities where our kernels run (TfMlp.linearise), once per
        // outer step; the inner iterations' JVPs after it are the second line
        timed('first JVP (with the linearisation)', table, () => passes.forEach((p) => p.jvp(delta)));
        timed('inner: net JVP', table, () => passes.forEach((p) => dfs.push(p.jvp(delta))));
        const pos = batches.map((b) => new Float64Array(b.paths * b.steps));
        timed('inner: linear positions + smoothed PnL', table, () => batches.forEach((b, s) => {
          linearPositions(fs[s], dfs[s], b.anchor, bands[s].states, b.paths, b.steps, pos[s]);
          smoothedPnl(b.prices, pos[s], b.payoff, b.paths, b.steps, TASK.cost, new Float64Array(b.paths));
        }));
        timed('inner: linear backward', table, () => batches.forEach((b, s) => linearBackward(fs[s], b.prices, pos[s], bands[s].states, us[s], b.paths, b.steps, TASK.cost, gs[s])));
        timed('inner: net VJP', table, () => passes.forEach((p, s) => p.vjp(gs[s])));
        if (r === reps - 1) {
          await kernels('inner JVP+VJP', () => passes.forEach((p, s) => { p.jvp(delta); p.vjp(gs[s]); }));
        }
      }
      if (r === reps - 1) {
        passes.forEach((p) => p.dispose());
        const p2 = new RowsPass(layout, params);
        await kernels('forward', () => { p2.forward(batches[0].features, batches[0].paths * TASK.steps, true); });
        await kernels('VJP', () => { p2.vjp(gs[0]); });
        p2.dispose();
        continue;
      }
      passes.forEach((p) => p.dispose());
    }
    let total = 0;
    console.log(`\n${model}:`);
    for (const [name, xs] of table) {
      const m = median(xs);
      if (!name.startsWith('inner')) total += m;
      console.log(`  ${name.padEnd(40)} ${m.toFixed(1).padStart(8)} ms`);
    }
    console.log(`  ${'outer epoch total (sum of medians)'.padEnd(40)} ${total.toFixed(1).padStart(8)} ms`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
