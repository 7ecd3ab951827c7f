/**
 * Profile of one OSM backward step (`npx tsx bench/bsde.profile.ts [B1|B2] [iterations]`): runs the
 * last time step (n = N-1, targets from the payoff) and one inner step (n = N-2, targets from frozen
 * networks) of the cpu solver preset with a reduced Adam budget under `tf.profile`, and prints
 * - wall time per Adam step, CPU time (user + system of this process, less sensitive to other load),
 * - the kernels by total time (count, ms, share) and the share of wall time spent outside kernels
 *   (tfjs's per-op JavaScript overhead: engine bookkeeping, tidy, tensor creation),
 * - the cost of the pieces outside the Adam loop: sampling a pool, the frozen networks' targets on a pool,
 *   the output-layer refits.
 * Timings on a shared machine are inflated; compare shares and same-run A/B figures, not absolute seconds.
 */
import { cpuUsage } from 'node:process';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { calibrateScales, type SolveContext, type StepNets, disposeNext, nextValues } from '../src-main/engine/bsde/context';
import { buildGrid } from '../src-main/engine/bsde/grid';
import { compileMarket } from '../src-main/engine/bsde/market';
import { FastMlp, HostAdam } from '../src-main/engine/bsde/fastMlp';
import { initParams, paramCount, type MlpShape } from '../src-main/engine/bsde/mlpLayout';
import { trainOsmStep } from '../src-main/engine/bsde/osm';
import { compileOptions } from '../src-main/engine/bsde/payoffs';
import { samplePairs } from '../src-main/engine/bsde/sampling';
import { seeded } from '../src-main/engine/stochastic/rng';
import { chooseBackend } from '../src-main/engine/tensor/backend';
import { SOLVER_PRESETS, type SolverConfig, poolRowsFor } from '../src-shared/bsde/config';
import { presetBook } from '../src-shared/portfolio/presets';

async function main(): Promise<void> {
  const which = (process.argv[2] ?? 'B1') as 'B1' | 'B2';
  const iters = Number(process.argv[3] ?? 200);
  const { name } = await chooseBackend();
  const book = which === 'B1' ? presetBook('B1', { assets: 5 }) : presetBook('B2', { assets: 10 });
  const cfg: SolverConfig = { scheme: 'osm', seed: 1, ...SOLVER_PRESETS.cpu.config, iterationsLast: iters, iterationsOther: iters };
  const market = compileMarket(book);
  const options = compileOptions(book);
  const grid = buildGrid(book, cfg.steps, cfg.horizon);
  const d = market.d;
  const J = options.length;
  const rng = seeded(1);
  const smooth = Float64Array.from(market.sigma, (s) => s * Math.sqrt(grid.dt));
  const base = { market, options, grid, d, J, smooth, rng };
  const ctx: SolveContext = { ...base, scales: calibrateScales(base) };
  const shapes: { c: MlpShape; z: MlpShape } = {
    c: { inputs: d, width: cfg.width, depth: cfg.depth, outputs: J },
    z: { inputs: d, width: cfg.width, depth: cfg.depth, outputs: J * d * (1 + d) },
  };
  console.log(`${which}: d = ${d}, J = ${J}, backend ${name}, ${iters} Adam steps per stage, batch ${cfg.batch}, Z outputs ${shapes.z.outputs}`);
  const cur: StepNets = { c: new FastMlp(shapes.c, initParams(shapes.c, rng)), z: new FastMlp(shapes.z, initParams(shapes.z, rng)) };
  let next: StepNets | null = null;
  for (const n of [grid.steps - 1, grid.steps - 2]) {
    const adam = { c: new HostAdam(paramCount(shapes.c)), z: new HostAdam(paramCount(shapes.z)) };
    const c0 = cpuUsage();
    const w0 = performance.now();
    let steps = 0;
    const info = await tf.profile(() => {
      trainOsmStep(ctx, cfg, n, cur, next, adam, () => steps++);
    });
    const wall = performance.now() - w0;
    const c1 = cpuUsage(c0);
    const byName = new Map<string, { count: number; ms: number }>();
    let kernelMs = 0;
    for (const k of info.kernels) {
      const ms = k.kernelTimeMs as number;
      const e = byName.get(k.name) ?? { count: 0, ms: 0 };
      e.count++;
      e.ms += ms;
      byName.set(k.name, e);
      kernelMs += ms;
    }
    console.log(`\nn = ${n} (${next ? 'frozen networks of n+1' : 'payoff at maturity'}): ${steps} Adam steps, wall ${wall.toFixed(0)} ms (${(wall / steps).toFixed(2)} ms/step), CPU ${((c1.user + c1.system) / 1000).toFixed(0)} ms`);
    console.log(`   kernels: ${info.kernels.length} (${(info.kernels.length / steps).toFixed(0)} per Adam step), kernel time ${kernelMs.toFixed(0)} ms = ${((100 * kernelMs) / wall).toFixed(0)}% of wall; outside kernels ${(wall - kernelMs).toFixed(0)} ms`);
    [...byName.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 18)
      .forEach(([k, e]) => console.log(`   ${k.padEnd(16)} ${String(e.count).padStart(7)}  ${e.ms.toFixed(0).padStart(6)} ms  ${((100 * e.ms) / wall).toFixed(1).padStart(5)}%  ${((1000 * e.ms) / e.count).toFixed(1).padStart(7)} us/call`));
    const wc = cur.c.read();
    const wz = cur.z.read();
    if (!next) next = { c: new FastMlp(shapes.c, wc), z: new FastMlp(shapes.z, wz) };
  }
  // Pieces of pool creation at n = N-2 (frozen networks).
  const rows = poolRowsFor(cfg.batch);
  const n = grid.steps - 2;
  const reps = 10;
  let t = performance.now();
  for (let i = 0; i < reps; i++) samplePairs(market, grid, n, rows, rng);
  const sampleMs = (performance.now() - t) / reps;
  const p = samplePairs(market, grid, n, rows, rng);
  t = performance.now();
  for (let i = 0; i < reps; i++) disposeNext(nextValues(ctx, n, p, next, true));
  const nextMs = (performance.now() - t) / reps;
  console.log(`\npool of ${rows} rows at n = ${n}: sampling ${sampleMs.toFixed(1)} ms, frozen-network targets ${nextMs.toFixed(1)} ms (per Adam step: ${((sampleMs + nextMs) / (rows / cfg.batch)).toFixed(2)} ms)`);
  // Plain matmul rate of the backend at the hidden layer's shape.
  for (const [m, k, nn] of [
    [cfg.batch, cfg.width, cfg.width],
    [cfg.batch, cfg.width, shapes.z.outputs],
    [8192, cfg.width, cfg.width],
  ]) {
    const a = tf.randomNormal([m, k]);
    const b = tf.randomNormal([k, nn]);
    for (let i = 0; i < 20; i++) tf.matMul(a, b).dispose();
    const r = 200;
    t = performance.now();
    for (let i = 0; i < r; i++) tf.matMul(a, b).dispose();
    const ms = (performance.now() - t) / r;
    console.log(`plain matMul [${m} x ${k}] x [${k} x ${nn}]: ${(ms * 1000).toFixed(0)} us, ${((2 * m * k * nn) / ms / 1e6).toFixed(2)} GFLOP/s`);
    tf.dispose([a, b]);
  }
}

void main();
