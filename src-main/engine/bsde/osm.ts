import * as tf from '@tensorflow/tfjs';
import { type SolverConfig } from '../../../src-shared/bsde/config';
import { poolRowsFor } from '../../../src-shared/bsde/config';
import { type SolveContext, type StepNets, tidy, disposeNext, dotConst, dotOptions, expandOptions, nextValues, payoffTensors, unscale } from './context';
import { stepMasks } from './grid';
import { type HostAdam } from './fastMlp';
import { LeastSquares, accumulateRefit } from './refit';
import { affineDB, samplePairs } from './sampling';
import { SplitStep } from './shards';
import { type Pool, runStage, take } from './trainer';

/**
 * One backward step n (1 <= n <= N-1) of the One Step Malliavin scheme (spec portfolio-bsde.md "OSM scheme",
 * theta_y = 1/2, theta_z = theta_Gamma = 1; source eqs. 24-31), networks of step n+1 frozen:
 *
 * 1. Z/Gamma regression. target = Z_{n+1}(X_{n+1}) - r dt Ztilde_{n+1}(X_{n+1}) (Z reflected, Ztilde not);
 *    estimate est_l = Ztilde_n(X_n)_l + sum_m (dB_n + theta dt)_m DZ_n(X_n)_{ml}, DZ = G Sig;
 *    loss = mean over samples of sum_j || est_j - target_j ||^2 (each option in units of its Z scale).
 *    The network outputs Ztilde (J d) and DZ = G Sig (J d d, laid out [m][j][l]) directly; G = DZ Sig^{-1}
 *    is the same network up to a fixed linear map of its output layer.
 * 2. Y regression. c = C_n(X_n), z = Ztilde_n(X_n) reflected with e_n = [g > c] at exercise dates,
 *    est = c - dt/2 f(c, z) + z . dB_n = c (1 + r dt / 2) + z . (theta dt / 2 + dB_n),
 *    target = Y_{n+1} + dt/2 f(C_{n+1}, Z_{n+1}),  f(y, z) = -r y - z . theta.
 *    The indicator e_n is held constant in the gradient (it is a stopping decision, not differentiable).
 */
export interface StepLosses {
  lossZ: number;
  lossY: number;
}

export function trainOsmStep(
  c: SolveContext,
  cfg: SolverConfig,
  n: number,
  cur: StepNets,
  next: StepNets | null,
  adam: { c: HostAdam; z: HostAdam },
  tick: (stage: 'Z' | 'Y', i: number, loss: number | null) => void,
): StepLosses {
  const { d, J, grid, market: m, scales } = c;
  const dt = grid.dt;
  const Jd = J * d;
  const rows = Math.floor(poolRowsFor(cfg.batch) / cfg.batch) * cfg.batch;
  const iterations = n === grid.steps - 1 ? cfg.iterationsLast : cfg.iterationsOther;
  const masksN = stepMasks(grid, n);
  const kY = 1 + 0.5 * m.rate * dt;
  const refitRows = cfg.refit ? Math.max(4 * rows, 16384) : 0;

  // ---- stage 1: Z and DZ ----
  const poolZ = (): Pool => {
    const p = samplePairs(m, grid, n, rows, c.rng);
    const nv = nextValues(c, n, p, next, true);
    const tZ = tf.tidy(() => {
      const target = tf.sub(nv.Z!, tf.mul(nv.Zt!, m.rate * dt));
      const s = expandOptions(tf.tensor2d(scales.sZ, [1, J]), d);
      return tf.div(tf.sub(target, tf.tensor2d(scales.shiftZ, [1, Jd])), s);
    });
    disposeNext(nv);
    return { rows, data: { x: p.xhatN!, w: affineDB(m, p, dt, 1), t: take(tZ) }, cols: { x: d, w: d, t: Jd } };
  };
  // Loss and its gradient in the outputs on the host (a few multiply-adds per output; as tfjs ops they were
  // ~20 small kernels with broadcasts and a reduction over a leading axis), on two shards of each batch.
  const kap = expandHost(Float32Array.from(scales.sG, (g, j) => g / scales.sZ[j]), d);
  const aliveH = expandHost(masksN.alive, d);
  const splitZ = new SplitStep({ kind: 'osm-z', d, J, kap, alive: aliveH }, [cur.z], [adam.z], { x: d, w: d, t: Jd }, cfg.batch, c.helper ?? null);
  const stepZ = (b: Record<string, Float32Array>, lr: number, want: boolean): number | null => splitZ.run(b, lr, want);
  const z = runStage({ iterations, batch: cfg.batch, lr0: cfg.learningRate, lr1: cfg.learningRateEnd, makePool: poolZ, step: stepZ, tick: (i, l) => tick('Z', i, l) });
  const aliveCols = [...masksN.alive.keys()].filter((j) => masksN.alive[j] > 0);
  if (refitRows > 0 && aliveCols.length) {
    // Output layer of the Z network: est_jl = phi . bZ_jl + kappa_jl sum_m w_m phi . bG_mjl, linear in (bZ, kappa bG).
    const h1 = cfg.width + 1;
    const ls = new LeastSquares(h1 * (d + 1), Jd);
    accumulateRefit(ls, refitRows, { kind: 'osm-z', d, J }, [cur.z], poolZ, c.helper ?? null);
    const gamma = ls.trySolve();
    if (gamma) applyZRefit(cur, gamma, kap, aliveCols, h1, J, d);
  }

  // ---- stage 2: C (continuation value) ----
  const poolY = (): Pool => {
    const p = samplePairs(m, grid, n, rows, c.rng);
    const nv = nextValues(c, n, p, next, true);
    const payN = masksN.anyExercise ? payoffTensors(c, p.xn, rows, true) : null;
    const { A, Bv } = tidy(() => {
      const tY = tf.add(nv.Y, tf.mul(tf.add(tf.mul(nv.C, -m.rate), tf.neg(dotConst(nv.Z!, m.theta, J, d))), 0.5 * dt));
      const rz = cur.z.forward(tf.tensor2d(p.xhatN!, [rows, d]), { cols: [0, Jd] });
      const ztN = unscale(rz, scales.shiftZ, scales.sZ, d);
      const v = tf.tensor2d(affineDB(m, p, 0.5 * dt, 1), [rows, d]);
      const a = dotOptions(ztN, v, J, d);
      const sC = tf.tensor2d(scales.sC, [1, J]);
      const A = tf.div(tf.sub(tf.add(tf.mul(tf.tensor2d(scales.shiftC, [1, J]), kY), a), tY), sC);
      const Bv = payN ? tf.div(tf.sub(dotOptions(payN.gS!, v, J, d), a), sC) : null;
      return { A, Bv };
    });
    disposeNext(nv);
    const data: Record<string, Float32Array> = { x: p.xhatN!, A: take(A) };
    const cols: Record<string, number> = { x: d, A: J };
    if (payN && Bv) {
      data.B = take(Bv);
      data.g = take(payN.g);
      payN.gS?.dispose();
      cols.B = J;
      cols.g = J;
    }
    return { rows, data, cols };
  };
  const colsY: Record<string, number> = masksN.anyExercise ? { x: d, A: J, B: J, g: J } : { x: d, A: J };
  const lossY = { kind: 'osm-y' as const, J, kY, alive: masksN.alive, exercise: masksN.exercise, sC: scales.sC, shiftC: scales.shiftC };
  const splitY = new SplitStep(lossY, [cur.c], [adam.c], colsY, cfg.batch, c.helper ?? null);
  const stepY = (b: Record<string, Float32Array>, lr: number, want: boolean): number | null => splitY.run(b, lr, want);
  const y = runStage({ iterations, batch: cfg.batch, lr0: cfg.learningRate, lr1: cfg.learningRateEnd, makePool: poolY, step: stepY, tick: (i, l) => tick('Y', i, l) });
  if (refitRows > 0 && aliveCols.length) {
    // Output layer of C: residual = kY oC + A + e B, linear in oC's weights given the exercise decisions e
    // (taken from the Adam-trained network).
    const h1 = cfg.width + 1;
    const ls = new LeastSquares(h1, J);
    accumulateRefit(ls, refitRows, { kind: 'osm-y', J, kY, exercise: masksN.exercise, sC: scales.sC, shiftC: scales.shiftC }, [cur.c], poolY, c.helper ?? null);
    const beta = ls.trySolve();
    if (beta) {
      const coef = new Float64Array(h1 * aliveCols.length);
      aliveCols.forEach((j, ci) => {
        for (let i = 0; i < h1; i++) coef[i * aliveCols.length + ci] = beta[i * J + j];
      });
      cur.c.setOutputColumns(aliveCols, coef);
    }
  }
  return { lossZ: z.loss, lossY: y.loss };
}

/** [J] -> [J d], repeating each option's entry over its d components. */
function expandHost(v: Float32Array, d: number): Float32Array {
  const out = new Float32Array(v.length * d);
  for (let j = 0; j < v.length; j++) out.fill(v[j], j * d, (j + 1) * d);
  return out;
}

/** Write the refitted Z/DZ output layer: Ztilde columns from the first block, DZ columns from the w_m blocks / kappa. */
function applyZRefit(cur: StepNets, gamma: Float64Array, kap: Float32Array, aliveCols: number[], h1: number, J: number, d: number): void {
  const Jd = J * d;
  const cols: number[] = [];
  const colsOf = aliveCols.flatMap((j) => Array.from({ length: d }, (_, l) => j * d + l));
  for (const jl of colsOf) cols.push(jl);
  for (let q = 0; q < d; q++) for (const jl of colsOf) cols.push(Jd + q * Jd + jl);
  const coef = new Float64Array(h1 * cols.length);
  cols.forEach((col, ci) => {
    const jl = col < Jd ? col : (col - Jd) % Jd;
    const block = col < Jd ? 0 : 1 + Math.floor((col - Jd) / Jd);
    const div = block === 0 ? 1 : kap[jl];
    for (let i = 0; i < h1; i++) coef[i * cols.length + ci] = gamma[(block * h1 + i) * Jd + jl] / div;
  });
  cur.z.setOutputColumns(cols, coef);
}
