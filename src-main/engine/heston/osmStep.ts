import * as tf from '@tensorflow/tfjs';
import { poolRowsFor } from '../../../src-shared/bsde/config';
import { type FlatAdam, disposeCache } from '../bsde/mlp';
import { LeastSquares, withOnes, withProducts } from '../bsde/refit';
import { type Pool } from '../bsde/trainer';
import { type HestonContext, payoff, payoffZ, samplePairs, standardise } from './context';
import { runStageAsync } from './stage';
import { type StepNets, netValues, osmZPool, stepTargets } from './targets';

/**
 * One backward step n (1 <= n <= N-1) of the One Step Malliavin scheme under Heston (spec heston-osm.md "OSM
 * regressions"; theta_y = 1/2), networks of step n+1 frozen (targets.ts):
 *
 * 1. Z/Gamma: est_j = Ztilde_n(X_n)_j + sum_m M_n(X_n)_{jm} dB_{n,m}, M = G sigma (the Malliavin derivative of
 *    Z, entry (j, m) = D_m Z_j); target = D_n Y_{n+1} - r dt D_n C_{n+1}; loss = mean || est - target ||^2
 *    (in units of the Z scale). The network outputs Ztilde (2) and M (4) directly; G = M sigma^{-1}.
 * 2. C: est = c (1 + r dt / 2) + z . dB_n with z = Ztilde_n(X_n), reflected to grad g sigma where t_n is an
 *    exercise date and g > c; target = Y_{n+1} - r dt / 2 C_{n+1}. The exercise indicator is held fixed in
 *    the gradient (a stopping decision).
 * After each stage's Adam steps the output layer is refitted by exact least squares on a fresh sample when
 * cfg.refit (bsde/refit.ts): both losses are quadratic in it.
 */
export async function trainOsmStep(
  c: HestonContext,
  n: number,
  cur: StepNets,
  next: StepNets | null,
  adam: { c: FlatAdam; z: FlatAdam },
  tick: (stage: 'Z' | 'Y', i: number, loss: number | null) => void,
  signal?: AbortSignal,
): Promise<{ lossZ: number; lossY: number }> {
  const { cfg, grid, market: m, scales: sc } = c;
  const dt = grid.dt;
  const rows = Math.floor(poolRowsFor(cfg.batch) / cfg.batch) * cfg.batch;
  const iterations = n === grid.steps - 1 ? cfg.iterationsLast : cfg.iterationsOther;
  const kappa = sc.sM / sc.sZ;
  const kY = 1 + 0.5 * m.r * dt;
  const refitRows = cfg.refit ? Math.max(4 * rows, 16384) : 0;
  const B = cfg.batch;
  const stage = { iterations, batch: B, lr0: cfg.learningRate, lr1: cfg.learningRateEnd, signal };

  // ---- stage 1: Ztilde and M ----
  const stepZ = (b: Record<string, tf.Tensor2D>, lr: number, want: boolean): number | null => {
    const { out, cache } = cur.z.forward(b.x, { cache: true });
    let loss: number | null = null;
    const grad = tf.tidy(() => {
      const oZ = tf.slice(out, [0, 0], [B, 2]);
      const oM = tf.reshape(tf.slice(out, [0, 2], [B, 4]), [B, 2, 2]);
      const w3 = tf.reshape(b.w, [B, 1, 2]);
      const r = tf.sub(tf.add(oZ, tf.mul(tf.sum(tf.mul(oM, w3), 2), kappa)), b.t);
      if (want) loss = tf.sum(tf.square(r)).dataSync()[0] / B;
      const dZ = tf.mul(r, 2 / B);
      const dM = tf.reshape(tf.mul(tf.mul(tf.reshape(dZ, [B, 2, 1]), w3), kappa), [B, 4]);
      return cur.z.backward(cache!, tf.concat([dZ, dM], 1) as tf.Tensor2D);
    });
    adam.z.step(cur.z.theta, grad, lr);
    tf.dispose([grad, out]);
    disposeCache(cache);
    return loss;
  };
  const z = await runStageAsync({ ...stage, makePool: () => osmZPool(c, n, rows, next), step: stepZ, tick: (i, l) => tick('Z', i, l) });
  if (refitRows > 0) {
    const h1 = cfg.width + 1;
    const ls = new LeastSquares(3 * h1, 2);
    while (ls.rows < refitRows) {
      const pool = osmZPool(c, n, rows, next);
      tf.tidy(() => {
        const phi = withOnes(cur.z.features(tf.tensor2d(pool.data.x, [rows, 2])));
        ls.add(withProducts(phi, tf.tensor2d(pool.data.w, [rows, 2]), 1), tf.tensor2d(pool.data.t, [rows, 2]));
      });
    }
    const gamma = ls.trySolve();
    if (gamma) {
      const cols = [0, 1, 2, 3, 4, 5];
      const coef = new Float64Array(h1 * 6);
      for (let i = 0; i < h1; i++) {
        for (let j = 0; j < 2; j++) {
          coef[i * 6 + j] = gamma[i * 2 + j];
          for (let q = 0; q < 2; q++) coef[i * 6 + 2 + 2 * j + q] = gamma[((1 + q) * h1 + i) * 2 + j] / kappa;
        }
      }
      cur.z.setOutputColumns(cols, coef);
    }
  }

  // ---- stage 2: C ----
  const exercise = grid.exercise[n] === 1;
  const poolY = (): Pool => {
    const p = samplePairs(c, n, rows);
    const t = stepTargets(c, n, p, next, false);
    const zt = netValues(c, cur, n, p.Sn, p.nun, true).Z!;
    const pay = exercise ? payoff(c.claim, p.Sn) : null;
    const zg = pay ? payoffZ(m, pay.gS, p.Sn, p.nun) : null;
    const A = new Float32Array(rows);
    const Bv = new Float32Array(rows);
    const g = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      const zdb = zt[2 * r] * p.dB[2 * r] + zt[2 * r + 1] * p.dB[2 * r + 1];
      A[r] = (sc.shiftC * kY + zdb - t.tY[r]) / sc.sC;
      if (pay) {
        Bv[r] = (zg![2 * r] * p.dB[2 * r] + zg![2 * r + 1] * p.dB[2 * r + 1] - zdb) / sc.sC;
        g[r] = (pay.g[r] - sc.shiftC) / sc.sC;
      }
    }
    const data: Record<string, Float32Array> = { x: standardise(c.norm, n, p.Sn, p.nun), A };
    const cols: Record<string, number> = { x: 2, A: 1 };
    if (pay) {
      Object.assign(data, { B: Bv, g });
      Object.assign(cols, { B: 1, g: 1 });
    }
    return { rows, data, cols };
  };
  /** Residual in C-scale units: kY o + A + e B, e = [g > C] on exercise dates. */
  const residualRest = (o: tf.Tensor2D, b: Record<string, tf.Tensor2D>): tf.Tensor2D =>
    tf.tidy(() => (b.B ? tf.add(b.A, tf.mul(tf.cast(tf.greater(b.g, o), 'float32'), b.B)) : b.A) as tf.Tensor2D);
  const stepY = (b: Record<string, tf.Tensor2D>, lr: number, want: boolean): number | null => {
    const { out, cache } = cur.c.forward(b.x, { cache: true });
    let loss: number | null = null;
    const grad = tf.tidy(() => {
      const r = tf.add(tf.mul(out, kY), residualRest(out, b));
      if (want) loss = tf.sum(tf.square(r)).dataSync()[0] / B;
      return cur.c.backward(cache!, tf.mul(r, (2 * kY) / B) as tf.Tensor2D);
    });
    adam.c.step(cur.c.theta, grad, lr);
    tf.dispose([grad, out]);
    disposeCache(cache);
    return loss;
  };
  const y = await runStageAsync({ ...stage, makePool: poolY, step: stepY, tick: (i, l) => tick('Y', i, l) });
  if (refitRows > 0) {
    const h1 = cfg.width + 1;
    const ls = new LeastSquares(h1, 1);
    while (ls.rows < refitRows) {
      const pool = poolY();
      tf.tidy(() => {
        const b: Record<string, tf.Tensor2D> = {};
        for (const [k, v] of Object.entries(pool.data)) b[k] = tf.tensor2d(v, [rows, pool.cols[k]]);
        const phi = withOnes(cur.c.features(b.x));
        ls.add(phi, tf.mul(residualRest(cur.c.forward(b.x).out, b), -1 / kY) as tf.Tensor2D);
      });
    }
    const beta = ls.trySolve();
    if (beta) cur.c.setOutputColumns([0], beta);
  }
  return { lossZ: z.loss, lossY: y.loss };
}
