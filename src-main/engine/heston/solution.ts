import * as tf from '@tensorflow/tfjs';
import { type HestonScheme } from '../../../src-shared/heston/config';
import { type HestonClaim, type HestonGreekArrays, type HestonGreekSource, type HestonGreeks, type HestonMarket } from '../../../src-shared/heston/types';
import { type MlpShape, evalMlpBatch, layerSlots } from '../bsde/mlpLayout';
import { type HestonScales, payoff } from './context';
import { gFromM, greeksFromZG } from './greekConversion';

/**
 * A solved Heston run (spec heston-osm.md): the t = 0 Greeks with their standard errors, and the networks of
 * every step n = 1..N-1 as a Greek source for the hedging engine: at (t_n, S, nu)
 *
 * - n = 0: the t = 0 regression's constants (X_0 is fixed there: the values at (S_0, nu_0) whatever is passed);
 * - 0 < n < N: C_n, Z_n and (OSM) M_n = G_n sigma or (RDBDP) G_n = the x-Jacobian of Zhat_n by automatic
 *   differentiation (tf.grad), converted by greekConversion.ts; at an exercise date where g > C and g > 0 the
 *   holder exercises (a network's C slightly below 0 far out of its sample does not trigger exercise for nothing): price g, Delta dg/dS, the other Greeks 0, exercise flag 1;
 * - n = N: the payoff, exercised where g > 0.
 *
 * Stored as JSON `meta` plus one Float32Array `weights` (step n's two networks at (n - 1) stride), so a run
 * kept in SQLite reproduces the same numbers after `loadHestonSolution` (all evaluation is float64 JavaScript
 * on the stored float32 weights, except the RDBDP Jacobian, which is tfjs float32 on the same weights).
 */
export interface HestonSolveInfo {
  /** Wall times in milliseconds. */
  trainMs: number;
  t0Ms: number;
  totalMs: number;
  /** Training loss per step (n = N-1..1), in units of the output scales. */
  losses: Array<{ n: number; lossZ: number | null; lossY: number }>;
  t0Samples: number;
  backend: string;
}

export interface HestonSolutionMeta {
  format: 'heston-solution/1';
  scheme: HestonScheme;
  market: HestonMarket;
  claim: HestonClaim;
  steps: number;
  horizon: number;
  dt: number;
  exercise: number[];
  shapes: { c: MlpShape; z: MlpShape };
  scales: HestonScales;
  norm: { meanS: number[]; invStdS: number[]; meanNu: number[]; invStdNu: number[] };
  t0: { greeks: HestonGreeks; stdErr: Partial<HestonGreeks>; z: number[]; m: number[] | null; g: number[] | null };
  info: HestonSolveInfo;
  config: unknown;
}

export interface HestonSolution {
  scheme: HestonScheme;
  t0: HestonGreeks;
  t0StdErr: Partial<HestonGreeks>;
  source: HestonGreekSource;
  info: HestonSolveInfo;
  serialize(): { meta: unknown; arrays: Record<string, Float32Array> };
  dispose(): void;
}

const paramsOf = (s: MlpShape): number => {
  const last = layerSlots(s).at(-1)!;
  return last.b + last.fanOut;
};

/** dZhat_j / dx_k (rows x 4, row-major (j, k)) of an RDBDP Z network by tf.grad, at standardised inputs X. */
function zJacobian(shape: MlpShape, w: Float32Array, off: number, X: Float64Array, rows: number, invStd: [number, number], sZ: number): Float64Array {
  const slots = layerSlots(shape);
  const grads = tf.tidy(() => {
    const layers = slots.map((s) => ({
      w: tf.tensor2d(w.subarray(off + s.w, off + s.w + s.fanIn * s.fanOut), [s.fanIn, s.fanOut]),
      b: tf.tensor2d(w.subarray(off + s.b, off + s.b + s.fanOut), [1, s.fanOut]),
    }));
    const net = (x: tf.Tensor2D): tf.Tensor2D => {
      let a = x;
      layers.forEach((l, k) => {
        const zk = tf.add(tf.matMul(a, l.w), l.b) as tf.Tensor2D;
        a = k < layers.length - 1 ? tf.tanh(zk) : zk;
      });
      return a;
    };
    const x = tf.tensor2d(Float32Array.from(X), [rows, 2]);
    return [0, 1].map((j) => tf.grad((xi: tf.Tensor) => tf.sum(tf.slice(net(xi as tf.Tensor2D), [0, j], [-1, 1])))(x));
  });
  const out = new Float64Array(rows * 4);
  grads.forEach((g, j) => {
    const d = g.dataSync();
    for (let r = 0; r < rows; r++) for (let k = 0; k < 2; k++) out[4 * r + 2 * j + k] = sZ * d[2 * r + k] * invStd[k];
  });
  tf.dispose(grads);
  return out;
}

/** RDBDP: G = d Zhat_n / dx (rows x 4) at states (S, nu) from step n's stored Z network (tf.grad). */
export function zJacobianAt(meta: Pick<HestonSolutionMeta, 'shapes' | 'norm' | 'scales'>, weights: Float32Array, n: number, S: Float64Array, nu: Float64Array): Float64Array {
  const { shapes, norm } = meta;
  const sizeC = paramsOf(shapes.c);
  const stride = sizeC + paramsOf(shapes.z);
  const X = new Float64Array(S.length * 2);
  for (let r = 0; r < S.length; r++) {
    X[2 * r] = (S[r] - norm.meanS[n]) * norm.invStdS[n];
    X[2 * r + 1] = (nu[r] - norm.meanNu[n]) * norm.invStdNu[n];
  }
  return zJacobian(shapes.z, weights, (n - 1) * stride + sizeC, X, S.length, [norm.invStdS[n], norm.invStdNu[n]], meta.scales.sZ);
}

function greekArrays(rows: number): HestonGreekArrays & { exercise: Uint8Array } {
  const f = (): Float64Array => new Float64Array(rows);
  return { price: f(), delta: f(), vega: f(), gamma: f(), vomma: f(), vanna: f(), exercise: new Uint8Array(rows) };
}

export function makeHestonSolution(meta: HestonSolutionMeta, weights: Float32Array): HestonSolution {
  const { market: m, claim, steps: N, shapes, scales: sc, norm } = meta;
  const sizeC = paramsOf(shapes.c);
  const stride = sizeC + paramsOf(shapes.z);
  if (weights.length !== Math.max(0, N - 1) * stride) throw new Error(`stored Heston run: expected ${(N - 1) * stride} weights, got ${weights.length}`);
  const exerciseAt = new Uint8Array(N + 1);
  meta.exercise.forEach((n) => (exerciseAt[n] = 1));
  let disposed = false;
  const source: HestonGreekSource = {
    steps: N,
    horizon: meta.horizon,
    at(n: number, S: Float64Array, nu: Float64Array) {
      if (disposed) throw new Error('this Heston solution was disposed');
      if (!Number.isInteger(n) || n < 0 || n > N) throw new RangeError(`time index n must be a whole number in 0..${N}, got ${n}`);
      if (S.length !== nu.length) throw new RangeError(`S and nu must have the same length (${S.length} vs ${nu.length})`);
      const rows = S.length;
      const out = greekArrays(rows);
      if (n === 0) {
        const g = meta.t0.greeks;
        for (const k of ['price', 'delta', 'vega', 'gamma', 'vomma', 'vanna'] as const) out[k].fill(g[k]);
        return out;
      }
      const pay = payoff(claim, S);
      if (n === N) {
        out.price.set(pay.g);
        out.delta.set(pay.gS);
        for (let r = 0; r < rows; r++) out.exercise[r] = pay.g[r] > 0 ? 1 : 0;
        return out;
      }
      const X = new Float64Array(rows * 2);
      for (let r = 0; r < rows; r++) {
        X[2 * r] = (S[r] - norm.meanS[n]) * norm.invStdS[n];
        X[2 * r + 1] = (nu[r] - norm.meanNu[n]) * norm.invStdNu[n];
      }
      const off = (n - 1) * stride;
      const c = new Float64Array(rows);
      evalMlpBatch(shapes.c, weights, off, X, rows, c);
      const zo = shapes.z.outputs;
      const z = new Float64Array(rows * zo);
      evalMlpBatch(shapes.z, weights, off + sizeC, X, rows, z);
      const jac = meta.scheme === 'rdbdp' ? zJacobian(shapes.z, weights, off + sizeC, X, rows, [norm.invStdS[n], norm.invStdNu[n]], sc.sZ) : null;
      const G = new Float64Array(4);
      const zr = [0, 0];
      for (let r = 0; r < rows; r++) {
        const C = sc.shiftC + sc.sC * c[r];
        if (exerciseAt[n] && pay.g[r] > C && pay.g[r] > 0) {
          out.price[r] = pay.g[r];
          out.delta[r] = pay.gS[r];
          out.exercise[r] = 1;
          continue;
        }
        zr[0] = sc.shiftZ[0] + sc.sZ * z[r * zo];
        zr[1] = sc.shiftZ[1] + sc.sZ * z[r * zo + 1];
        if (jac) G.set(jac.subarray(4 * r, 4 * r + 4));
        else gFromM(m, S[r], nu[r], [0, 1, 2, 3].map((i) => sc.sM * z[r * zo + 2 + i]), G);
        const g = greeksFromZG(m, S[r], nu[r], zr, G);
        out.price[r] = C;
        out.delta[r] = g.delta;
        out.vega[r] = g.vega;
        out.gamma[r] = g.gamma;
        out.vomma[r] = g.vomma;
        out.vanna[r] = g.vanna;
      }
      return out;
    },
  };
  return {
    scheme: meta.scheme,
    t0: { ...meta.t0.greeks },
    t0StdErr: { ...meta.t0.stdErr },
    info: meta.info,
    source,
    serialize: () => ({ meta: JSON.parse(JSON.stringify(meta)) as unknown, arrays: { weights: weights.slice() } }),
    dispose: () => {
      disposed = true;
    },
  };
}

/** Rebuild a stored run (meta as stored JSON, arrays as stored blobs); checks the format and the sizes. */
export function loadHestonSolution(meta: unknown, arrays: Record<string, Float32Array>): HestonSolution {
  const m = meta as Partial<HestonSolutionMeta> | null;
  if (!m || m.format !== 'heston-solution/1') throw new Error(`stored Heston run: unknown format ${JSON.stringify(m?.format)} (expected "heston-solution/1")`);
  const w = arrays.weights;
  if (!(w instanceof Float32Array)) throw new Error('stored Heston run: the "weights" array is missing or not float32');
  return makeHestonSolution(m as HestonSolutionMeta, w);
}
