import * as tf from '@tensorflow/tfjs';
import { poolRowsFor } from '../../../src-shared/bsde/config';
import { type FlatAdam, disposeCache } from '../bsde/mlp';
import { LeastSquares, withOnes, withProducts } from '../bsde/refit';
import { type Pool } from '../bsde/trainer';
import { type HestonContext, samplePairs, standardise } from './context';
import { runStageAsync } from './stage';
import { type StepNets, stepTargets } from './targets';

/**
 * One backward step n (1 <= n <= N-1) of the RDBDP baseline (Huré, Pham & Warin 2020; spec heston-osm.md
 * "RDBDP baseline", portfolio-bsde.md "Baseline RDBDP") under Heston: networks U_n (1 output) and Zhat_n
 * (2 outputs) trained together on
 *
 *     loss = E | Y_{n+1} - U_n + f(U_n) dt - Zhat_n . dB_n |^2 = E | Y_{n+1} - U_n (1 + r dt) - Zhat_n . dB_n |^2
 *
 * with Y_{n+1} = max(U_{n+1}, g) on exercise dates and g at maturity. Its second-order Greeks come from
 * automatic differentiation of Zhat_n (solution.ts, tf.grad).
 */
export async function trainRdbdpStep(
  c: HestonContext,
  n: number,
  cur: StepNets,
  next: StepNets | null,
  adam: { c: FlatAdam; z: FlatAdam },
  tick: (i: number, loss: number | null) => void,
  signal?: AbortSignal,
): Promise<{ loss: number }> {
  const { cfg, grid, market: m, scales: sc } = c;
  const dt = grid.dt;
  const rows = Math.floor(poolRowsFor(cfg.batch) / cfg.batch) * cfg.batch;
  const iterations = n === grid.steps - 1 ? cfg.iterationsLast : cfg.iterationsOther;
  const kU = 1 + m.r * dt;
  const rho = sc.sZ / sc.sC;
  const B = cfg.batch;

  /** t = (Y_{n+1} - shiftC kU - shiftZ . dB) / sC; v = dB. */
  const makePool = (): Pool => {
    const p = samplePairs(c, n, rows);
    const t = stepTargets(c, n, p, next, false);
    const tt = new Float32Array(rows);
    for (let r = 0; r < rows; r++) tt[r] = (t.Y[r] - sc.shiftC * kU - sc.shiftZ[0] * p.dB[2 * r] - sc.shiftZ[1] * p.dB[2 * r + 1]) / sc.sC;
    return { rows, data: { x: standardise(c.norm, n, p.Sn, p.nun), v: Float32Array.from(p.dB), t: tt }, cols: { x: 2, v: 2, t: 1 } };
  };
  const step = (b: Record<string, tf.Tensor2D>, lr: number, want: boolean): number | null => {
    const fu = cur.c.forward(b.x, { cache: true });
    const fz = cur.z.forward(b.x, { cache: true });
    let loss: number | null = null;
    const [gu, gz] = tf.tidy(() => {
      const zv = tf.mul(tf.sum(tf.mul(fz.out, b.v), 1, true), rho);
      const r = tf.sub(tf.sub(b.t, tf.mul(fu.out, kU)), zv);
      if (want) loss = tf.sum(tf.square(r)).dataSync()[0] / B;
      const g = tf.mul(r, 2 / B);
      const dU = tf.mul(g, -kU) as tf.Tensor2D;
      const dZ = tf.mul(tf.mul(g, -rho), b.v) as tf.Tensor2D;
      return [cur.c.backward(fu.cache!, dU), cur.z.backward(fz.cache!, dZ)];
    });
    adam.c.step(cur.c.theta, gu, lr);
    adam.z.step(cur.z.theta, gz, lr);
    tf.dispose([gu, gz, fu.out, fz.out]);
    disposeCache(fu.cache);
    disposeCache(fz.cache);
    return loss;
  };
  const res = await runStageAsync({ iterations, batch: B, lr0: cfg.learningRate, lr1: cfg.learningRateEnd, signal, makePool, step, tick });
  if (cfg.refit) {
    // Both output layers at once: t = kU phiU . bU + sum_l v_l phiZ . (rho bZ_l), linear in (bU, rho bZ).
    const h1 = cfg.width + 1;
    const ls = new LeastSquares(3 * h1, 1);
    const refitRows = Math.max(4 * rows, 16384);
    while (ls.rows < refitRows) {
      const pool = makePool();
      tf.tidy(() => {
        const x = tf.tensor2d(pool.data.x, [rows, 2]);
        const prod = withProducts(withOnes(cur.z.features(x)), tf.tensor2d(pool.data.v, [rows, 2]), 1);
        const phiU = tf.mul(withOnes(cur.c.features(x)), kU) as tf.Tensor2D;
        ls.add(tf.concat([phiU, tf.slice(prod, [0, h1], [rows, 2 * h1])], 1) as tf.Tensor2D, tf.tensor2d(pool.data.t, [rows, 1]));
      });
    }
    const gamma = ls.trySolve();
    if (gamma) {
      cur.c.setOutputColumns([0], gamma.slice(0, h1));
      const coefZ = new Float64Array(h1 * 2);
      for (let i = 0; i < h1; i++) for (let l = 0; l < 2; l++) coefZ[i * 2 + l] = gamma[(1 + l) * h1 + i] / rho;
      cur.z.setOutputColumns([0, 1], coefZ);
    }
  }
  return { loss: res.loss };
}
