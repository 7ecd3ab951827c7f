import * as tf from '@tensorflow/tfjs';
import { type Rng } from '../stochastic/rng';
import { type Grid, stepMasks } from './grid';
import { type CompiledMarket } from './market';
import { type FastMlp } from './fastMlp';
import { type CompiledOption, payoffBatch } from './payoffs';
import { type PairBlock, samplePairs } from './sampling';
import { type ShardHelper } from './shards';

/**
 * What every stage of a solve shares: the compiled market, options and grid, the output scales, and the
 * target computation from the frozen networks of step n+1 (spec "OSM scheme" 1.-2. and "Baseline RDBDP").
 *
 * Output scaling: every network output is `shift + scale * raw`, with per-option shifts and scales fixed
 * once from the payoffs at maturity (`calibrateScales`). Losses are computed on the scaled residuals
 * (residual / scale), i.e. each option's squared error is measured in units of its own spread — a
 * preconditioning so that a digital paying 1 and a call worth 10 train equally; in the limit the minimisers
 * are those of the spec's unweighted losses.
 */
export interface Scales {
  /** Continuation value C (OSM) / U (RDBDP): shift and scale per option (J). */
  shiftC: Float32Array;
  sC: Float32Array;
  /** Ztilde / Zhat: shift per (option, component) (J d), scale per option (J). */
  shiftZ: Float32Array;
  sZ: Float32Array;
  /** DZ = G Sig (OSM): scale per option (J). */
  sG: Float32Array;
}

/** One time step's pair of networks: `c` outputs J (C_n or U_n); `z` outputs Ztilde_n and DZ_n (OSM) or Zhat_n. */
export interface StepNets {
  c: FastMlp;
  z: FastMlp;
}

export interface SolveContext {
  market: CompiledMarket;
  options: CompiledOption[];
  grid: Grid;
  d: number;
  J: number;
  /** sigma_a sqrt(dt): smoothing of the digital's gradient. */
  smooth: Float64Array;
  scales: Scales;
  rng: Rng;
  /** The thread computing shard 1 of every Adam step (shards.ts), or null/absent: both shards in this thread. */
  helper?: ShardHelper | null;
}

/** tf.tidy for results that are objects with optional (null) tensors (tf.tidy's typing has no null). */
export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

/** Row-major d x d Sig as a tensor (for grad_x g Sig). */
const sigTensor = (c: SolveContext): tf.Tensor2D => tf.tensor2d(Float32Array.from(c.market.sig), [c.d, c.d]);

/** [R x J] -> [R x J d], repeating each option's entry over its d components. */
export function expandOptions(t: tf.Tensor2D, d: number): tf.Tensor2D {
  const [R, J] = t.shape;
  return tf.reshape(tf.mul(tf.reshape(t, [R, J, 1]), tf.ones([1, 1, d])), [R, J * d]);
}

/** Payoffs at log prices `x` (rows x d): g [R x J] and, with `withGrad`, grad_x g Sig [R x J d]. */
export function payoffTensors(c: SolveContext, x: Float64Array, rows: number, withGrad: boolean): { g: tf.Tensor2D; gS: tf.Tensor2D | null } {
  const g = new Float32Array(rows * c.J);
  const grad = withGrad ? new Float32Array(rows * c.J * c.d) : null;
  payoffBatch(c.options, c.d, x, rows, g, grad, c.smooth);
  const gT = tf.tensor2d(g, [rows, c.J]);
  if (!grad) return { g: gT, gS: null };
  const gS = tf.tidy(() => {
    const sig = sigTensor(c);
    return tf.reshape(tf.matMul(tf.tensor2d(grad, [rows * c.J, c.d]), sig), [rows, c.J * c.d]) as tf.Tensor2D;
  });
  return { g: gT, gS };
}

/** Scaled outputs: shift + scale * raw (`scale` per option, expanded over d components when `perComponent`). */
export function unscale(raw: tf.Tensor2D, shift: Float32Array, scale: Float32Array, d = 1): tf.Tensor2D {
  return tf.tidy(() => {
    const s = d === 1 ? tf.tensor2d(scale, [1, scale.length]) : expandOptions(tf.tensor2d(scale, [1, scale.length]), d);
    return tf.add(tf.mul(raw, s), tf.tensor2d(shift, [1, shift.length])) as tf.Tensor2D;
  });
}

/** C_{n+1} and Ztilde_{n+1} (unscaled values) of frozen networks at standardised inputs. */
export function frozenValues(c: SolveContext, nets: StepNets, xhat: Float32Array, rows: number, needZ: boolean): { C: tf.Tensor2D; Zt: tf.Tensor2D | null } {
  return tidy(() => {
    const x = tf.tensor2d(xhat, [rows, c.d]);
    const rc = nets.c.forward(x);
    const C = unscale(rc, c.scales.shiftC, c.scales.sC);
    if (!needZ) return { C, Zt: null };
    const rz = nets.z.forward(x, { cols: [0, c.J * c.d] });
    return { C, Zt: unscale(rz, c.scales.shiftZ, c.scales.sZ, c.d) };
  });
}

/** Y_{n+1}, Z_{n+1} (reflected) and the unreflected C_{n+1}, Ztilde_{n+1} at X_{n+1} of a pair block. */
export interface NextValues {
  C: tf.Tensor2D;
  Zt: tf.Tensor2D | null;
  Y: tf.Tensor2D;
  Z: tf.Tensor2D | null;
}

/**
 * Values at t_{n+1} with terminal conditions and discrete reflection (spec "OSM scheme"):
 * at the option's maturity C = Y = g, Ztilde = Z = grad g Sig; at an exercise date e = [g > C],
 * Y = C + e (g - C), Z = Ztilde + e (grad g Sig - Ztilde).
 * @param next frozen networks of step n+1, or null when n+1 = N.
 */
export function nextValues(c: SolveContext, n: number, p: PairBlock, next: StepNets | null, needZ: boolean): NextValues {
  const masks = stepMasks(c.grid, n + 1);
  const needPayoff = next === null || masks.anyTerminal || masks.anyExercise;
  const pay = needPayoff ? payoffTensors(c, p.xn1, p.rows, needZ) : null;
  const out = tidy((): NextValues => {
    let C: tf.Tensor2D;
    let Zt: tf.Tensor2D | null;
    if (next === null) {
      C = pay!.g;
      Zt = needZ ? pay!.gS : null;
    } else {
      const v = frozenValues(c, next, p.xhatN1!, p.rows, needZ);
      C = v.C;
      Zt = v.Zt;
      if (masks.anyTerminal) {
        const term = tf.tensor2d(masks.terminal, [1, c.J]);
        C = tf.add(C, tf.mul(term, tf.sub(pay!.g, C))) as tf.Tensor2D;
        if (Zt) Zt = tf.add(Zt, tf.mul(expandOptions(term, c.d), tf.sub(pay!.gS!, Zt))) as tf.Tensor2D;
      }
    }
    let Y = C;
    let Z = Zt;
    if (next !== null && masks.anyExercise) {
      const e = tf.mul(tf.cast(tf.greater(pay!.g, C), 'float32'), tf.tensor2d(masks.exercise, [1, c.J])) as tf.Tensor2D;
      Y = tf.add(C, tf.mul(e, tf.sub(pay!.g, C))) as tf.Tensor2D;
      if (Zt) Z = tf.add(Zt, tf.mul(expandOptions(e, c.d), tf.sub(pay!.gS!, Zt))) as tf.Tensor2D;
    }
    return { C, Zt, Y, Z };
  });
  if (pay) {
    const kept = new Set<tf.Tensor | null>([out.C, out.Zt, out.Y, out.Z]);
    if (!kept.has(pay.g)) pay.g.dispose();
    if (pay.gS && !kept.has(pay.gS)) pay.gS.dispose();
  }
  return out;
}

/** Dispose every tensor of a NextValues (some may be the same tensor). */
export function disposeNext(v: NextValues): void {
  for (const t of new Set([v.C, v.Zt, v.Y, v.Z])) t?.dispose();
}

/** Sum over each option's d components of Z * v: [R x J d] . [R x d] -> [R x J]. */
export function dotOptions(z: tf.Tensor2D, v: tf.Tensor2D, J: number, d: number): tf.Tensor2D {
  const R = z.shape[0];
  return tf.tidy(() => tf.sum(tf.mul(tf.reshape(z, [R, J, d]), tf.reshape(v, [R, 1, d])), 2) as tf.Tensor2D);
}

/** Each option's Z . vec for a constant vector (length d): [R x J d] -> [R x J]. */
export function dotConst(z: tf.Tensor2D, vec: ArrayLike<number>, J: number, d: number): tf.Tensor2D {
  const R = z.shape[0];
  return tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(z, [R * J, d]), tf.tensor2d(Float32Array.from(vec), [d, 1])), [R, J]) as tf.Tensor2D);
}

/**
 * Fix the output shifts and scales from a sample of each option at its maturity: C from the Y target
 * g + dt/2 f(g, grad g Sig), Ztilde from (1 - r dt) grad g Sig, DZ from the regression slopes
 * cov(Z target, dB) / dt. Floors keep options with a degenerate sample (e.g. far out of the money) finite.
 */
export function calibrateScales(base: Omit<SolveContext, 'scales'>, rows = 4096): Scales {
  const { d, J, grid, market: m } = base;
  const shiftC = new Float32Array(J);
  const sC = new Float32Array(J);
  const shiftZ = new Float32Array(J * d);
  const sZ = new Float32Array(J);
  const sG = new Float32Array(J);
  const dt = grid.dt;
  const meanSigma = m.sigma.reduce((a, b) => a + b, 0) / d;
  for (const k of new Set(grid.maturityIndex)) {
    const p = samplePairs(m, grid, k - 1, rows, base.rng);
    const g = new Float32Array(rows * J);
    const grad = new Float32Array(rows * J * d);
    payoffBatch(base.options, d, p.xn1, rows, g, grad, base.smooth);
    for (let j = 0; j < J; j++) {
      if (grid.maturityIndex[j] !== k) continue;
      const o = base.options[j];
      const nat = o.payoff === 'cash-or-nothing' ? 1 : Array.from(o.assets, (a) => m.s0[a]).reduce((a, b) => a + b, 0) / o.assets.length;
      // Z target per row: (1 - r dt) grad g Sig; Y target: g + dt/2 (-r g - Z . theta).
      const zt = new Float64Array(rows * d);
      const yt = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        let zth = 0;
        for (let l = 0; l < d; l++) {
          let s = 0;
          for (let a = 0; a < d; a++) s += grad[(r * J + j) * d + a] * m.sig[a * d + l];
          zt[r * d + l] = (1 - m.rate * dt) * s;
          zth += s * m.theta[l];
        }
        const gv = g[r * J + j];
        yt[r] = gv + 0.5 * dt * (-m.rate * gv - zth);
      }
      const my = mean(yt, 0, 1, rows);
      shiftC[j] = my;
      sC[j] = Math.max(Math.sqrt(variance(yt, 0, 1, rows, my)), 1e-3 * nat);
      let vz = 0;
      let vg = 0;
      for (let l = 0; l < d; l++) {
        const mz = mean(zt, l, d, rows);
        shiftZ[j * d + l] = mz;
        vz += variance(zt, l, d, rows, mz) / d;
        for (let q = 0; q < d; q++) {
          let cov = 0;
          for (let r = 0; r < rows; r++) cov += (zt[r * d + l] - mz) * p.dB[r * d + q];
          const slope = cov / rows / dt;
          vg += (slope * slope) / (d * d);
        }
      }
      sZ[j] = Math.max(Math.sqrt(vz), 1e-3 * nat * meanSigma);
      sG[j] = Math.max(Math.sqrt(vg), 1e-3 * nat * meanSigma * meanSigma);
    }
  }
  return { shiftC, sC, shiftZ, sZ, sG };
}

function mean(x: Float64Array, off: number, stride: number, rows: number): number {
  if (rows === 0) return 0;
  let s = 0;
  for (let r = 0; r < rows; r++) s += x[r * stride + off];
  return s / rows;
}

function variance(x: Float64Array, off: number, stride: number, rows: number, mu: number): number {
  let s = 0;
  for (let r = 0; r < rows; r++) s += (x[r * stride + off] - mu) ** 2;
  return s / Math.max(1, rows - 1);
}
