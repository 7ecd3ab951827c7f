import * as tf from '@tensorflow/tfjs';
import { type SolverConfig, poolRowsFor } from '../../../src-shared/bsde/config';
import { type SolveContext, type StepNets, disposeNext, nextValues } from './context';
import { stepMasks } from './grid';
import { type HostAdam } from './fastMlp';
import { LeastSquares, accumulateRefit } from './refit';
import { affineDB, samplePairs } from './sampling';
import { SplitStep } from './shards';
import { runStage, take, type Pool } from './trainer';

/**
 * One backward step n (1 <= n <= N-1) of the RDBDP baseline (Huré, Pham & Warin 2020, extended to the
 * whole book; spec portfolio-bsde.md "Baseline RDBDP"; source eq. 33): networks U_n (J outputs) and
 * Zhat_n (J d outputs) trained together on
 *
 *     loss = E sum_j | Y_{n+1} - U_n + f(U_n, Zhat_n) dt - Zhat_n . dB_n |^2
 *          = E sum_j | Y_{n+1} - U_n (1 + r dt) - Zhat_n . (theta dt + dB_n) |^2,
 *
 * with Y_{n+1} = max(U_{n+1}, g) on exercise dates and g at maturity. Gammas come from automatic
 * differentiation of Zhat_n (see solution.ts), the comparison the source makes against OSM.
 */
export function trainRdbdpStep(
  c: SolveContext,
  cfg: SolverConfig,
  n: number,
  cur: StepNets,
  next: StepNets | null,
  adam: { c: HostAdam; z: HostAdam },
  tick: (i: number, loss: number | null) => void,
): { loss: number } {
  const { d, J, grid, market: m, scales } = c;
  const dt = grid.dt;
  const rows = Math.floor(poolRowsFor(cfg.batch) / cfg.batch) * cfg.batch;
  const iterations = n === grid.steps - 1 ? cfg.iterationsLast : cfg.iterationsOther;
  const masks = stepMasks(grid, n);
  const kU = 1 + m.rate * dt;

  const makePool = (): Pool => {
    const p = samplePairs(m, grid, n, rows, c.rng);
    const nv = nextValues(c, n, p, next, false);
    const v = affineDB(m, p, dt, 1);
    const t = tf.tidy(() => {
      // (Y_{n+1} - shiftC (1 + r dt) - shiftZ . v) / sC
      const shiftZT = new Float32Array(d * J);
      for (let j = 0; j < J; j++) for (let l = 0; l < d; l++) shiftZT[l * J + j] = scales.shiftZ[j * d + l];
      const shiftZv = tf.matMul(tf.tensor2d(v, [rows, d]), tf.tensor2d(shiftZT, [d, J]));
      const num = tf.sub(tf.sub(nv.Y, tf.mul(tf.tensor2d(scales.shiftC, [1, J]), kU)), shiftZv);
      return tf.div(num, tf.tensor2d(scales.sC, [1, J]));
    });
    disposeNext(nv);
    return { rows, data: { x: p.xhatN!, v, t: take(t) }, cols: { x: d, v: d, t: J } };
  };

  // Loss and its gradients in both networks' outputs on the host, on two shards of each batch (shards.ts).
  const rho = new Float32Array(J * d);
  for (let j = 0; j < J; j++) rho.fill(scales.sZ[j] / scales.sC[j], j * d, (j + 1) * d);
  const split = new SplitStep({ kind: 'rdbdp', d, J, kU, rho, alive: masks.alive }, [cur.c, cur.z], [adam.c, adam.z], { x: d, v: d, t: J }, cfg.batch, c.helper ?? null);
  const step = (b: Record<string, Float32Array>, lr: number, want: boolean): number | null => split.run(b, lr, want);
  const res = runStage({ iterations, batch: cfg.batch, lr0: cfg.learningRate, lr1: cfg.learningRateEnd, makePool, step, tick });
  const aliveCols = [...masks.alive.keys()].filter((j) => masks.alive[j] > 0);
  if (cfg.refit && aliveCols.length) {
    // Both output layers at once: t = kU phiU . bU_j + sum_l v_l phiZ . (rho_j bZ_jl), linear in (bU, rho bZ).
    const h1 = cfg.width + 1;
    const ls = new LeastSquares(h1 * (d + 1), J);
    const refitRows = Math.max(4 * rows, 16384);
    accumulateRefit(ls, refitRows, { kind: 'rdbdp', d, J, kU }, [cur.c, cur.z], makePool, c.helper ?? null);
    const gamma = ls.trySolve();
    if (gamma) applyRdbdpRefit(cur, gamma, aliveCols, scales.sZ.map((z, j) => z / scales.sC[j]), h1, J, d);
  }
  return { loss: res.loss };
}

/** Write the refitted output layers: U's columns from the first block, Zhat's from the v_l blocks / rho_j. */
function applyRdbdpRefit(cur: StepNets, gamma: Float64Array, aliveCols: number[], rhoJ: Float32Array, h1: number, J: number, d: number): void {
  const coefU = new Float64Array(h1 * aliveCols.length);
  aliveCols.forEach((j, ci) => {
    for (let i = 0; i < h1; i++) coefU[i * aliveCols.length + ci] = gamma[i * J + j];
  });
  cur.c.setOutputColumns(aliveCols, coefU);
  const zCols = aliveCols.flatMap((j) => Array.from({ length: d }, (_, l) => j * d + l));
  const coefZ = new Float64Array(h1 * zCols.length);
  zCols.forEach((jl, ci) => {
    const j = Math.floor(jl / d);
    const l = jl % d;
    for (let i = 0; i < h1; i++) coefZ[i * zCols.length + ci] = gamma[((1 + l) * h1 + i) * J + j] / rhoJ[j];
  });
  cur.z.setOutputColumns(zCols, coefZ);
}
