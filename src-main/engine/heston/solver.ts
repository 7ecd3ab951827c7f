import * as tf from '@tensorflow/tfjs';
import { type HestonSolveConfig, hestonProgressParts, hestonSolveConfigSchema } from '../../../src-shared/heston/config';
import { FlatAdam, type MlpShape, TfMlp, initParams, paramCount } from '../bsde/mlp';
import { type Rng, resumeRng, rngState, seeded } from '../stochastic/rng';
import { poolRowsFor } from '../../../src-shared/bsde/config';
import { type HestonContext, buildBank, buildHestonGrid, pilotNorm } from './context';
import { trainOsmStep } from './osmStep';
import { trainRdbdpStep } from './rdbdpStep';
import { type HestonSolution, type HestonSolutionMeta, type HestonSolveInfo, makeHestonSolution, zJacobianAt } from './solution';
import { checkpoint } from './stage';
import { type HestonResume, type HestonStepState, checkHestonResume } from './stepState';
import { solveT0 } from './t0';
import { type StepNets, calibrateScales } from './targets';

export { type HestonSolution, type HestonSolutionMeta, type HestonSolveInfo, loadHestonSolution } from './solution';

/**
 * Solve one Heston option by deep BSDE (spec heston-osm.md): OSM (Ztilde, M = G sigma and C per step) or the
 * RDBDP baseline (U and Zhat per step), backward from n = N-1 to 1 with transfer learning (each step starts
 * from the next step's weights), then the exact least squares at t = 0 (X_0 fixed). Training samples
 * (X_n, dB_n, X_{n+1}) are drawn at random from a bank of Euler–Higham–Mao paths from X_0 simulated once
 * (16 pools' worth, at most 131,072 paths; context.ts); the t = 0 regression simulates fresh ones. Uses the
 * active tfjs backend (callers pick it with chooseBackend()).
 *
 * Progress: `onProgress(done, total, metrics)` in units of `hestonProgressTotal(cfg)` (Adam iterations plus
 * t = 0 chunks), `metrics` = { phase, n, stage, iteration, iterations, lossZ, lossY } at most every 300 ms and
 * at the end of every step. Cancel: abort `signal`; the promise then rejects with CancelledError.
 *
 * Resumable (stepState.ts): `onStepDone` gets the state after every solved time step; given `resume`, the
 * solve rebuilds the bank, normalisation and scales from the seed, takes the solved networks and the random
 * stream's position from the state and trains only the remaining steps.
 */
export interface HestonProgress {
  phase: 'train' | 't0' | 'done';
  n: number;
  steps: number;
  stage: 'Z' | 'Y' | 'joint' | 't0';
  iteration: number;
  iterations: number;
  lossZ: number | null;
  lossY: number | null;
}

export interface HestonSolveHooks extends HestonResume {
  onProgress?(done: number, total: number, metrics?: HestonProgress): void;
  signal?: AbortSignal;
}

export async function solveHeston(input: HestonSolveConfig, hooks: HestonSolveHooks = {}): Promise<HestonSolution> {
  const cfg = hestonSolveConfigSchema.parse(input);
  const tStart = performance.now();
  const grid = buildHestonGrid(cfg.claim, cfg.steps);
  const N = grid.steps;
  // The solve's one random stream; a resumed solve swaps in the saved position once bank, norm and scales are built.
  let rng: Rng = seeded(cfg.seed);
  const stream: Rng = { uniform: () => rng.uniform(), normal: () => rng.normal(), fillNormal: (out) => rng.fillNormal(out) };
  const poolRows = Math.floor(poolRowsFor(cfg.batch) / cfg.batch) * cfg.batch;
  const bank = buildBank(cfg.market, grid, stream, Math.min(131072, Math.max(16384, 16 * poolRows)));
  const base = { cfg, market: cfg.market, claim: cfg.claim, grid, rng: stream, bank, norm: pilotNorm(cfg.market, grid, stream) };
  const ctx: HestonContext = { ...base, scales: calibrateScales(base) };
  const osm = cfg.scheme === 'osm';
  const shapes: { c: MlpShape; z: MlpShape } = {
    c: { inputs: 2, width: cfg.width, depth: cfg.depth, outputs: 1 },
    z: { inputs: 2, width: cfg.width, depth: cfg.depth, outputs: osm ? 6 : 2 },
  };
  const sizeC = paramCount(shapes.c);
  const sizeZ = paramCount(shapes.z);
  const weights = new Float32Array((N - 1) * (sizeC + sizeZ));
  const saved = checkHestonResume(hooks.resume, cfg.scheme, N, sizeC + sizeZ);
  const parts = hestonProgressParts(cfg);
  const total = parts.train + parts.t0;
  let done = saved?.done ?? 0;
  let lastDetail = 0;
  const report = (p: HestonProgress, force = false): void => {
    const now = performance.now();
    if (force || now - lastDetail > 300) {
      lastDetail = now;
      hooks.onProgress?.(done, total, p);
    }
  };
  const losses: HestonSolveInfo['losses'] = saved ? [...saved.losses] : [];
  let cur: StepNets | null = null;
  let next: StepNets | null = null;
  try {
    await checkpoint(hooks.signal);
    let firstStep = N - 1;
    if (saved) {
      // Steps N-1..saved.n are solved: their networks are in the state; cur and next start as step saved.n's.
      const at = (saved.n - 1) * (sizeC + sizeZ);
      weights.set(saved.weights, at);
      const wc = weights.slice(at, at + sizeC);
      const wz = weights.slice(at + sizeC, at + sizeC + sizeZ);
      cur = { c: new TfMlp(shapes.c, wc), z: new TfMlp(shapes.z, wz) };
      next = { c: new TfMlp(shapes.c, wc), z: new TfMlp(shapes.z, wz) };
      rng = resumeRng(saved.rng);
      firstStep = saved.n - 1;
      hooks.onProgress?.(done, total);
    } else {
      cur = { c: new TfMlp(shapes.c, initParams(shapes.c, rng)), z: new TfMlp(shapes.z, initParams(shapes.z, rng)) };
    }
    for (let n = firstStep; n >= 1; n--) {
      const adam = { c: new FlatAdam(sizeC), z: new FlatAdam(sizeZ) };
      const iterations = n === N - 1 ? cfg.iterationsLast : cfg.iterationsOther;
      let lz: number | null = null;
      let ly: number | null = null;
      try {
        if (osm) {
          const r = await trainOsmStep(ctx, n, cur, next, adam, (stage, i, loss) => {
            done++;
            if (loss !== null && stage === 'Z') lz = loss;
            else if (loss !== null) ly = loss;
            report({ phase: 'train', n, steps: N, stage, iteration: i + 1, iterations, lossZ: lz, lossY: ly });
          }, hooks.signal);
          losses.push({ n, lossZ: r.lossZ, lossY: r.lossY });
        } else {
          const r = await trainRdbdpStep(ctx, n, cur, next, adam, (i, loss) => {
            done++;
            if (loss !== null) ly = loss;
            report({ phase: 'train', n, steps: N, stage: 'joint', iteration: i + 1, iterations, lossZ: null, lossY: ly });
          }, hooks.signal);
          losses.push({ n, lossZ: null, lossY: r.loss });
        }
      } finally {
        adam.c.dispose();
        adam.z.dispose();
      }
      const wc = cur.c.read();
      const wz = cur.z.read();
      weights.set(wc, (n - 1) * (sizeC + sizeZ));
      weights.set(wz, (n - 1) * (sizeC + sizeZ) + sizeC);
      if (!next) next = { c: new TfMlp(shapes.c, wc), z: new TfMlp(shapes.z, wz) };
      else {
        next.c.write(wc);
        next.z.write(wz);
      }
      const last = losses[losses.length - 1];
      hooks.onStepDone?.({
        kind: 'heston-steps',
        scheme: cfg.scheme,
        n,
        steps: N,
        weights: weights.slice((n - 1) * (sizeC + sizeZ)),
        rng: rngState(rng),
        losses: [...losses],
        done,
        trainMs: (saved?.trainMs ?? 0) + performance.now() - tStart,
      } satisfies HestonStepState);
      report({ phase: 'train', n, steps: N, stage: osm ? 'Y' : 'joint', iteration: iterations, iterations, lossZ: last.lossZ, lossY: last.lossY }, true);
    }
    const trainMs = (saved?.trainMs ?? 0) + performance.now() - tStart;
    const t0Start = performance.now();
    const metaBase = {
      format: 'heston-solution/1' as const,
      scheme: cfg.scheme,
      market: { ...cfg.market },
      claim: { ...cfg.claim },
      steps: N,
      horizon: grid.horizon,
      dt: grid.dt,
      exercise: [...grid.exercise.keys()].filter((n) => grid.exercise[n] === 1),
      shapes,
      scales: ctx.scales,
      norm: { meanS: [...ctx.norm.meanS], invStdS: [...ctx.norm.invStdS], meanNu: [...ctx.norm.meanNu], invStdNu: [...ctx.norm.invStdNu] },
      config: JSON.parse(JSON.stringify(cfg)) as unknown,
    };
    // RDBDP's t = 0 second-order Greeks: automatic differentiation of Zhat_1 at X_0 (Zhat_0 is a constant).
    const jacZ1 = osm ? null : (): number[] => Array.from(zJacobianAt(metaBase, weights, 1, Float64Array.of(cfg.market.s0), Float64Array.of(cfg.market.nu0)));
    let t0Done = 0;
    const fit = await solveT0(
      ctx,
      next!,
      jacZ1,
      (rows) => {
        const u = Math.floor((rows / cfg.t0Samples) * parts.t0);
        done += u - t0Done;
        t0Done = u;
        report({ phase: 't0', n: 0, steps: N, stage: 't0', iteration: rows, iterations: cfg.t0Samples, lossZ: null, lossY: null });
      },
      hooks.signal,
    );
    const t0Ms = performance.now() - t0Start;
    const meta: HestonSolutionMeta = {
      ...metaBase,
      t0: { greeks: fit.greeks, stdErr: fit.stdErr, z: fit.z, m: fit.m, g: fit.g },
      info: { trainMs, t0Ms, totalMs: performance.now() - tStart, losses, t0Samples: fit.samples, backend: tf.getBackend() },
    };
    done = total;
    hooks.onProgress?.(done, total, { phase: 'done', n: 0, steps: N, stage: 't0', iteration: 0, iterations: 0, lossZ: null, lossY: null });
    return makeHestonSolution(meta, weights);
  } finally {
    cur?.c.dispose();
    cur?.z.dispose();
    next?.c.dispose();
    next?.z.dispose();
  }
}
