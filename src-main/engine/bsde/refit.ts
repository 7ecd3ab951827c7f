import * as tf from '@tensorflow/tfjs';
import { flops } from './fastMlp';

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
    // Measured (bench/bsde.profile.ts): a host-side transpose and product rows are no faster than this for the
    // refits' [8192 x 539] blocks, and the matMul dominates either way.
    flops.matmul += 2 * psi.shape[0] * psi.shape[1] * (psi.shape[1] + targets.shape[1]);
    const [g, c] = tf.tidy(() => {
      const pt = tf.transpose(psi);
      return [tf.matMul(pt, psi), tf.matMul(pt, targets)];
    });
    const gd = g.dataSync();
    const cd = c.dataSync();
    for (let i = 0; i < gd.length; i++) this.gram[i] += gd[i];
    for (let i = 0; i < cd.length; i++) this.cross[i] += cd[i];
    g.dispose();
    c.dispose();
    this.rows += psi.shape[0];
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

/** [features, 1]: the output layer's regressors. */
export function withOnes(f: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.concat([f, tf.ones([f.shape[0], 1])], 1) as tf.Tensor2D);
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
