import * as tf from '@tensorflow/tfjs';
import { type LayerSlot, type MlpShape, layerSlots, paramCount } from './mlpLayout';

export { type LayerSlot, type MlpShape, evalMlp, evalMlpJacobian, initParams, layerSlots, paramCount } from './mlpLayout';

/**
 * The solvers' MLP (layout in ./mlpLayout.ts) on tfjs, trained with hand-written reverse mode: on the wasm
 * backend a matMul with transposeA/transposeB falls back to a naive kernel ten times slower than a plain
 * one, tanh is five times slower than sigmoid, and tf.grad adds bookkeeping ops; so transposes are
 * explicit, tanh is computed as 2 sigmoid(2 z) - 1, and bias gradients are [1 x B] x [B x n] products.
 */

/** Kept tensors of one forward pass, needed by `backward`. */
export interface MlpCache {
  x: tf.Tensor2D;
  /** a_1 .. a_depth. */
  acts: tf.Tensor2D[];
}

const tanhFast = (z: tf.Tensor): tf.Tensor2D => tf.tidy(() => tf.sub(tf.mul(tf.sigmoid(tf.mul(z, 2)), 2), 1) as tf.Tensor2D);

/** A network on tfjs whose parameters are one flat variable. Dispose with `dispose()`. */
export class TfMlp {
  readonly shape: MlpShape;
  readonly slots: LayerSlot[];
  readonly size: number;
  readonly theta: tf.Variable<tf.Rank.R1>;

  constructor(shape: MlpShape, params: Float32Array) {
    this.shape = shape;
    this.slots = layerSlots(shape);
    this.size = paramCount(shape);
    if (params.length !== this.size) throw new Error(`expected ${this.size} parameters, got ${params.length}`);
    this.theta = tf.variable(tf.tensor1d(params), true);
  }

  /** Weight matrices and bias vectors as views (new tensors; call inside tf.tidy). */
  views(): { w: tf.Tensor2D[]; b: tf.Tensor2D[] } {
    const w: tf.Tensor2D[] = [];
    const b: tf.Tensor2D[] = [];
    for (const s of this.slots) {
      w.push(tf.reshape(tf.slice(this.theta, s.w, s.fanIn * s.fanOut), [s.fanIn, s.fanOut]));
      b.push(tf.reshape(tf.slice(this.theta, s.b, s.fanOut), [1, s.fanOut]));
    }
    return { w, b };
  }

  /**
   * out = network(x) for x [B x inputs] -> [B x outputs]; with `cache` the activations are kept (not disposed
   * by an enclosing tidy) for `backward`. `cols` restricts the output layer to columns [from, to).
   */
  forward(x: tf.Tensor2D, opts: { cache?: boolean; cols?: [number, number] } = {}): { out: tf.Tensor2D; cache?: MlpCache } {
    const acts: tf.Tensor2D[] = [];
    const out = tf.tidy(() => {
      const { w, b } = this.views();
      let a: tf.Tensor2D = x;
      for (let k = 0; k < this.shape.depth; k++) {
        a = tanhFast(tf.add(tf.matMul(a, w[k]), b[k]));
        if (opts.cache) acts.push(tf.keep(a));
      }
      let wo = w[this.shape.depth];
      let bo = b[this.shape.depth];
      if (opts.cols) {
        const [from, to] = opts.cols;
        wo = tf.slice(wo, [0, from], [-1, to - from]);
        bo = tf.slice(bo, [0, from], [-1, to - from]);
      }
      return tf.add(tf.matMul(a, wo), bo) as tf.Tensor2D;
    });
    return opts.cache ? { out, cache: { x, acts } } : { out };
  }

  /** The last hidden activation a_depth [B x width] (the output layer's features). */
  features(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const { w, b } = this.views();
      let a: tf.Tensor2D = x;
      for (let k = 0; k < this.shape.depth; k++) a = tanhFast(tf.add(tf.matMul(a, w[k]), b[k]));
      return a;
    });
  }

  /**
   * Replace output columns `cols` of the output layer: `coef` is (width + 1) x cols.length row-major, the
   * last row being the biases.
   */
  setOutputColumns(cols: readonly number[], coef: Float64Array): void {
    const p = this.read().slice();
    const s = this.slots[this.shape.depth];
    const k = cols.length;
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < s.fanIn; i++) p[s.w + i * s.fanOut + cols[c]] = coef[i * k + c];
      p[s.b + cols[c]] = coef[s.fanIn * k + c];
    }
    this.write(p);
  }

  /**
   * Gradient of a loss in the flat parameters from dLoss/dout [B x outputs] (reverse mode through the
   * cached activations; tanh' = 1 - a^2). Returns a [size] tensor in the flat layout.
   */
  backward(cache: MlpCache, dOut: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const { w } = this.views();
      const L = this.shape.depth;
      const rows = dOut.shape[0];
      const ones = tf.ones([1, rows]) as tf.Tensor2D;
      const grads: tf.Tensor[] = new Array(2 * (L + 1));
      let delta = dOut;
      for (let k = L; k >= 0; k--) {
        const input = k === 0 ? cache.x : cache.acts[k - 1];
        grads[2 * k] = tf.reshape(tf.matMul(tf.transpose(input), delta), [-1]);
        grads[2 * k + 1] = tf.reshape(tf.matMul(ones, delta), [-1]);
        if (k > 0) {
          const a = cache.acts[k - 1];
          delta = tf.mul(tf.matMul(delta, tf.transpose(w[k])), tf.sub(1, tf.square(a))) as tf.Tensor2D;
        }
      }
      return tf.concat(grads) as tf.Tensor1D;
    });
  }

  /** Copy the parameters out (float32, flat layout). */
  read(): Float32Array {
    return this.theta.dataSync() as Float32Array;
  }

  /** Overwrite the parameters (same shape). */
  write(params: Float32Array): void {
    this.theta.assign(tf.tensor1d(params));
  }

  dispose(): void {
    this.theta.dispose();
  }
}

export function disposeCache(c: MlpCache | undefined): void {
  c?.acts.forEach((a) => a.dispose());
}

/**
 * Adam (Kingma & Ba 2015) on one flat parameter vector: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
 * theta -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps).
 */
export class FlatAdam {
  private readonly m: tf.Variable<tf.Rank.R1>;
  private readonly v: tf.Variable<tf.Rank.R1>;
  private t = 0;
  constructor(
    size: number,
    private readonly b1 = 0.9,
    private readonly b2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = tf.variable(tf.zeros([size]), false);
    this.v = tf.variable(tf.zeros([size]), false);
  }

  step(theta: tf.Variable<tf.Rank.R1>, grad: tf.Tensor1D, lr: number): void {
    this.t++;
    const lrT = (lr * Math.sqrt(1 - this.b2 ** this.t)) / (1 - this.b1 ** this.t);
    tf.tidy(() => {
      const m = tf.add(tf.mul(this.m, this.b1), tf.mul(grad, 1 - this.b1));
      const v = tf.add(tf.mul(this.v, this.b2), tf.mul(tf.square(grad), 1 - this.b2));
      this.m.assign(m as tf.Tensor1D);
      this.v.assign(v as tf.Tensor1D);
      theta.assign(tf.sub(theta, tf.mul(tf.div(m, tf.add(tf.sqrt(v), this.eps)), lrT)) as tf.Tensor1D);
    });
  }

  reset(): void {
    this.t = 0;
    this.m.assign(tf.zerosLike(this.m));
    this.v.assign(tf.zerosLike(this.v));
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}

