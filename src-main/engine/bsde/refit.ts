import * as tf from '@tensorflow/tfjs';
import { type FastMlp, flops } from './fastMlp';

/**
 * Least squares on blocks of rows: accumulates Psi^T Psi and Psi^T T (tfjs matmuls, summed in float64)
 * and solves (Psi^T Psi + lambda I) beta = Psi^T T with a tiny ridge (in unit-diagonal scaling).
 *
 * Used to refit a network's output layer after its Adam steps: every loss of the solvers is quadratic in
 * the output layer's weights given the last hidden features, so on a large fresh sample the exact minimiser
 * over that layer is one linear solve. This removes the optimiser's noise from the output layer (whose bias
 * sets E[C_n], hence the price) and adds nothing new to the model.
 */
export class LeastSquares {
  private readonly gram: Float64Array;
  private readonly cross: Float64Array;
  rows = 0;

  constructor(
    readonly p: number,
    readonly t: number,
  ) {
    this.gram = new Float64Array(p * p);
    this.cross = new Float64Array(p * t);
  }

  /** Add rows: psi [R x p] regressors, targets [R x t]. Disposes neither. */
  add(psi: tf.Tensor2D, targets: tf.Tensor2D): void {
    const b = blockProducts(psi, targets);
    this.addBlock(b.gram, b.cross, b.rows);
  }

  /** Add the products Psi^T Psi (p x p) and Psi^T T (p x t) of a block of `rows` rows (see {@link blockProducts}). */
  addBlock(gram: Float32Array, cross: Float32Array, rows: number): void {
    if (gram.length !== this.gram.length || cross.length !== this.cross.length) throw new Error('least squares: a block of the wrong size');
    for (let i = 0; i < gram.length; i++) this.gram[i] += gram[i];
    for (let i = 0; i < cross.length; i++) this.cross[i] += cross[i];
    this.rows += rows;
  }

  /**
   * beta (p x t, row-major). The Gram matrix is scaled to unit diagonal first (its columns differ by orders
   * of magnitude, e.g. features versus features x dB), then regularised by `ridge` in those units (1e-3: it
   * absorbs the float32 rounding of the accumulated products and keeps saturated, nearly collinear tanh units
   * from getting huge opposite weights, which RDBDP's weakly identified Zhat layer otherwise does).
   */
  solve(ridge = 1e-3): Float64Array {
    const { p, t } = this;
    const sc = new Float64Array(p);
    for (let i = 0; i < p; i++) sc[i] = 1 / Math.sqrt(Math.max(this.gram[i * p + i], 1e-300));
    const l = new Float64Array(p * p);
    for (let j = 0; j < p; j++) {
      let s = this.gram[j * p + j] * sc[j] * sc[j] + ridge;
      for (let q = 0; q < j; q++) s -= l[j * p + q] ** 2;
      // Modified Cholesky: a pivot lost to collinearity (e.g. a saturated unit that is constant, like the bias
      // column) or to float32 rounding is floored at the ridge, which keeps that direction's coefficient small.
      if (!(s > ridge)) s = Number.isFinite(s) ? ridge : NaN;
      if (Number.isNaN(s)) throw new Error('output-layer least squares has non-finite entries');
      const ljj = Math.sqrt(s);
      l[j * p + j] = ljj;
      for (let i = j + 1; i < p; i++) {
        let v = this.gram[i * p + j] * sc[i] * sc[j];
        for (let q = 0; q < j; q++) v -= l[i * p + q] * l[j * p + q];
        l[i * p + j] = v / ljj;
      }
    }
    const beta = new Float64Array(p * t);
    const y = new Float64Array(p);
    const x = new Float64Array(p);
    for (let c = 0; c < t; c++) {
      for (let i = 0; i < p; i++) {
        let s = this.cross[i * t + c] * sc[i];
        for (let q = 0; q < i; q++) s -= l[i * p + q] * y[q];
        y[i] = s / l[i * p + i];
      }
      for (let i = p - 1; i >= 0; i--) {
        let s = y[i];
        for (let q = i + 1; q < p; q++) s -= l[q * p + i] * x[q];
        x[i] = s / l[i * p + i];
      }
      for (let i = 0; i < p; i++) beta[i * t + c] = x[i] * sc[i];
    }
    return beta;
  }

  /** `solve`, or null when the sample gave non-finite products (the caller then keeps its Adam weights). */
  trySolve(ridge?: number): Float64Array | null {
    if (!this.gram.every(Number.isFinite) || !this.cross.every(Number.isFinite)) return null;
    const beta = this.solve(ridge);
    return beta.every(Number.isFinite) ? beta : null;
  }
}

/**
 * Psi^T Psi and Psi^T T of one block (float32 matMuls; host copies). `psiT` (Psi^T, optional) saves the
 * transpose: see {@link productsT}.
 */
export function blockProducts(psi: tf.Tensor2D, targets: tf.Tensor2D, psiT?: tf.Tensor2D): { gram: Float32Array; cross: Float32Array; rows: number } {
  // Measured (bench/bsde.profile.ts): a host-side transpose and product rows are no faster than this for the
  // refits' [8192 x 539] blocks, and the matMul dominates either way.
  flops.matmul += 2 * psi.shape[0] * psi.shape[1] * (psi.shape[1] + targets.shape[1]);
  const [g, c] = tf.tidy(() => {
    const pt = psiT ?? tf.transpose(psi);
    return [tf.matMul(pt, psi), tf.matMul(pt, targets)];
  });
  const gram = g.dataSync() as Float32Array;
  const cross = c.dataSync() as Float32Array;
  g.dispose();
  c.dispose();
  return { gram, cross, rows: psi.shape[0] };
}

/**
 * What an output-layer refit regresses, per solver stage (the regressors Psi and targets T of one block of
 * pool rows; the same code in the solve's thread and in the shard helper, see refitProducts):
 * - `osm-z` (network [z]): Psi = [phi, w_1 phi, ..., w_d phi], phi = [features, 1]; T = t. Data x, w, t.
 * - `osm-y` (network [c]): Psi = phi; T = -(A + e B) / kY with e = [g > C] at exercise dates. Data x, A (B, g).
 * - `rdbdp` (networks [c, z]): Psi = [kU phiU, v_1 phiZ, ..., v_d phiZ]; T = t. Data x, v, t.
 */
export type RefitSpec =
  | { kind: 'osm-z'; d: number; J: number }
  | { kind: 'osm-y'; J: number; kY: number; exercise: Float32Array; sC: Float32Array; shiftC: Float32Array }
  | { kind: 'rdbdp'; d: number; J: number; kU: number };

/** Psi^T Psi and Psi^T T of a block of `rows` pool rows for `spec` (see RefitSpec), networks at their current weights. */
export function refitProducts(spec: RefitSpec, nets: FastMlp[], data: Record<string, Float32Array>, rows: number): { gram: Float32Array; cross: Float32Array; rows: number } {
  return tf.tidy(() => {
    const x = tf.tensor2d(data.x, [rows, data.x.length / rows]);
    if (spec.kind === 'osm-z') {
      const phi = withOnes(nets[0].features(x));
      const w = tf.tensor2d(data.w, [rows, spec.d]);
      return blockProducts(withProducts(phi, w, 1), tf.tensor2d(data.t, [rows, spec.J * spec.d]), productsT(tf.transpose(phi), tf.transpose(w)));
    }
    if (spec.kind === 'osm-y') {
      const { J } = spec;
      const phi = withOnes(nets[0].features(x));
      let target: tf.Tensor2D = tf.tensor2d(data.A, [rows, J]);
      if (data.B) {
        const out = nets[0].forward(x);
        const cval = tf.add(tf.mul(out, tf.tensor2d(spec.sC, [1, J])), tf.tensor2d(spec.shiftC, [1, J]));
        const e = tf.mul(tf.cast(tf.greater(tf.tensor2d(data.g, [rows, J]), cval), 'float32'), tf.tensor2d(spec.exercise, [1, J]));
        target = tf.add(target, tf.mul(e, tf.tensor2d(data.B, [rows, J])));
      }
      return blockProducts(phi, tf.mul(target, -1 / spec.kY) as tf.Tensor2D);
    }
    const { d, J } = spec;
    const h1 = nets[1].shape.width + 1;
    const phiZ = withOnes(nets[1].features(x));
    const v = tf.tensor2d(data.v, [rows, d]);
    const psi = withProducts(phiZ, v, 1);
    const phiU = tf.mul(withOnes(nets[0].features(x)), spec.kU) as tf.Tensor2D;
    // withProducts puts phiZ first; replace that block by kU phiU (and in Psi^T the first h1 rows).
    const psiZT = productsT(tf.transpose(phiZ), tf.transpose(v));
    const psiT = tf.concat([tf.transpose(phiU), tf.slice(psiZT, [h1, 0], [h1 * d, rows])], 0) as tf.Tensor2D;
    return blockProducts(tf.concat([phiU, tf.slice(psi, [0, h1], [rows, h1 * d])], 1) as tf.Tensor2D, tf.tensor2d(data.t, [rows, J]), psiT);
  });
}

/** The thread that may compute every other block's products (shards.ts), or null. */
export interface RefitHelper {
  startRefit(spec: RefitSpec, nets: FastMlp[], data: Record<string, Float32Array>, rows: number): void;
  finishRefit(): { gram: Float32Array; cross: Float32Array; rows: number };
}

/**
 * Fill `ls` with fresh pools until it holds at least `rows` rows. Pools are drawn in order and their blocks
 * added in that order; with a helper, pool k + 1's products are computed there while this thread computes
 * pool k's (when both are needed), so the sums are the same bits either way.
 */
export function accumulateRefit(ls: LeastSquares, rows: number, spec: RefitSpec, nets: FastMlp[], makePool: () => { rows: number; data: Record<string, Float32Array> }, helper: RefitHelper | null): void {
  while (ls.rows < rows) {
    const a = makePool();
    if (helper && ls.rows + a.rows < rows) {
      const b = makePool();
      helper.startRefit(spec, nets, b.data, b.rows);
      const pa = refitProducts(spec, nets, a.data, a.rows);
      const pb = helper.finishRefit();
      ls.addBlock(pa.gram, pa.cross, pa.rows);
      ls.addBlock(pb.gram, pb.cross, pb.rows);
    } else {
      const pa = refitProducts(spec, nets, a.data, a.rows);
      ls.addBlock(pa.gram, pa.cross, pa.rows);
    }
  }
}

/** [features, 1]: the output layer's regressors. */
export function withOnes(f: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.concat([f, tf.ones([f.shape[0], 1])], 1) as tf.Tensor2D);
}

/**
 * The transpose of withProducts(phi, v, 1) from phi^T [p x R] and v^T [d x R]: [phi^T; v_1 phi^T; ...; v_d phi^T]
 * ((d + 1) p x R). The same float32 products, so the same bits as tf.transpose of withProducts, at a fifth of
 * the time (transposing [8192 x 539] takes ~90 ms on wasm, two small transposes and a concat along rows ~20 ms).
 */
export function productsT(phiT: tf.Tensor2D, vT: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const R = phiT.shape[1];
    const parts = [phiT];
    for (let q = 0; q < vT.shape[0]; q++) parts.push(tf.mul(phiT, tf.slice(vT, [q, 0], [1, R])));
    return tf.concat(parts, 0) as tf.Tensor2D;
  });
}

/** [phi, v_1 phi, ..., v_d phi] for phi [R x p] and v [R x d] -> [R x p (d + 1)]. */
export function withProducts(phi: tf.Tensor2D, v: tf.Tensor2D, lead: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [R, p] = phi.shape;
    const d = v.shape[1];
    const prod = tf.reshape(tf.mul(tf.reshape(v, [R, d, 1]), tf.reshape(phi, [R, 1, p])), [R, d * p]);
    return tf.concat([lead === 1 ? phi : tf.mul(phi, lead), prod], 1) as tf.Tensor2D;
  });
}
