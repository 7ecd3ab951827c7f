import * as tf from '@tensorflow/tfjs';
import { type LayerSlot, type MlpShape, layerSlots, paramCount } from './mlpLayout';

/**
 * The solvers' tanh MLP (layout and plain evaluation in ./mlpLayout.ts) trained with few, large tfjs ops.
 *
 * The parameters live on the host (one flat Float32Array, the layout of mlpLayout.ts); every change uploads
 * per-layer tensors once. On the wasm backend (profiled in bench/bsde.profile.ts) a small op costs 5-40 us
 * of bookkeeping, broadcasting adds and `sum` over a leading axis take slow paths, `tf.transpose` of a
 * [512 x 48] activation costs ~180 us and a matMul with transposeA/B falls back to a naive kernel at ~1/10
 * of the plain one's rate, while the plain and fused matMuls run at ~30 GFLOP/s. So:
 *
 * - Forward: tanh(z) = 2 sigmoid(2 z) - 1, and the affine map 2 s - 1 is folded into the next layer, so each
 *   layer is ONE fused matMul with bias and sigmoid on the previous layer's sigmoid output s:
 *
 *       s_1 = sigmoid(x (2 W_1) + 2 b_1),
 *       s_k = sigmoid(s_{k-1} (4 W_k) + 2 (b_k - 1^T W_k)),   k = 2..depth,
 *       out = s_L (2 W_o) + (b_o - 1^T W_o)                   (a_k = 2 s_k - 1 = tanh(a_{k-1} W_k + b_k)).
 *
 * - Reverse mode (loss gradient g = dLoss/dout, [B x outputs]):
 *
 *       [dW_o; db_o] = [a_L^T; 1^T] g,   delta_L = (g W_o^T) ⊙ (1 - a_L^2),
 *       [dW_k; db_k] = [a_{k-1}^T; 1^T] delta_k,   delta_{k-1} = (delta_k W_k^T) ⊙ (1 - a_{k-1}^2),
 *
 *   where [a^T; 1^T] ((fanIn + 1) x B) is built on the host while reading s back (a transpose in JavaScript
 *   is ~10x cheaper than tf.transpose here), so each layer's gradient is ONE plain matMul whose output is
 *   exactly that layer's slot of the flat layout (weights row-major, then the bias row). W^T is made on the
 *   host at upload time, and 1 - a^2 = 4 s (1 - s) with a and s on the host.
 * - Adam runs on the host ({@link HostAdam}); the loss and its gradient in the outputs are computed by the
 *   caller on host arrays (see osm.ts, rdbdp.ts).
 *
 * Results equal the tfjs reference (TfMlp) up to float32 rounding (tested in test/unit/engine/bsde/fastMlp.test.ts).
 */
/**
 * Floating-point operations of the matrix products run by FastMlp and the refits' least squares (2 m k n
 * per [m x k] x [k x n] product, fused bias/activation not counted): the benchmark divides it by the wall
 * time to report the achieved GFLOP/s. Reset it with `flops.matmul = 0`.
 */
export const flops = { matmul: 0 };

interface Device {
  /** Transformed weights W'_k [fanIn x fanOut] and biases b'_k [fanOut] of the fused forward. */
  w: tf.Tensor2D[];
  b: tf.Tensor1D[];
  /** W_k^T [fanOut x fanIn] (untransformed) for the reverse pass. */
  wt: tf.Tensor2D[];
  /** Output-layer column ranges [from, to) used by inference, keyed "from:to". */
  cols: Map<string, { w: tf.Tensor2D; b: tf.Tensor1D }>;
}

/** Host arrays of one training forward pass, consumed by `backward`. */
export interface FastCache {
  rows: number;
  /** [a_{k-1}^T; 1^T] per layer k = 0..depth (x for k = 0), each (fanIn + 1) x rows, row-major (reused buffers). */
  inT: Float32Array[];
  /** 1 - a_k^2 per hidden layer, rows x width (uploaded). */
  deriv: tf.Tensor2D[];
}

export class FastMlp {
  readonly shape: MlpShape;
  readonly slots: LayerSlot[];
  readonly size: number;
  /** The parameters (flat layout of mlpLayout.ts). Call `changed()` after writing into it directly. */
  readonly params: Float32Array;
  private dev: Device | null = null;
  private scratch = new Float32Array(0);
  /** Host buffers by row count (at most two: the shards of an odd batch, see shards.ts). */
  private bufs: Array<{ rows: number; inT: Float32Array[]; deriv: Float32Array[]; out: Float32Array }> = [];

  constructor(shape: MlpShape, params: Float32Array) {
    this.shape = shape;
    this.slots = layerSlots(shape);
    this.size = paramCount(shape);
    if (params.length !== this.size) throw new Error(`expected ${this.size} parameters, got ${params.length}`);
    this.params = Float32Array.from(params);
  }

  /** Copy the parameters out. */
  read(): Float32Array {
    return this.params.slice();
  }

  /** Overwrite the parameters (same length). */
  write(p: Float32Array): void {
    this.params.set(p);
    this.changed();
  }

  /** Drop the uploaded tensors after the host parameters changed. */
  changed(): void {
    if (!this.dev) return;
    const d = this.dev;
    tf.dispose([...d.w, ...d.b, ...d.wt]);
    d.cols.forEach((c) => tf.dispose([c.w, c.b]));
    this.dev = null;
  }

  /**
   * Replace output columns `cols` of the output layer: `coef` is (width + 1) x cols.length row-major, the
   * last row being the biases.
   */
  setOutputColumns(cols: readonly number[], coef: Float64Array): void {
    const p = this.params;
    const s = this.slots[this.shape.depth];
    const k = cols.length;
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < s.fanIn; i++) p[s.w + i * s.fanOut + cols[c]] = coef[i * k + c];
      p[s.b + cols[c]] = coef[s.fanIn * k + c];
    }
    this.changed();
  }

  /** Transformed weights of output columns [from, to) (all columns by default), float64 then rounded. */
  private transformed(k: number, from = 0, to = this.slots[k].fanOut): { w: Float32Array; b: Float32Array } {
    const s = this.slots[k];
    const p = this.params;
    const n = to - from;
    const last = k === this.shape.depth;
    // Input of layer k is s_{k-1} for k > 0 (a = 2 s - 1): weights x2 and bias minus the column sums.
    const inScale = k === 0 ? 1 : 2;
    const outScale = last ? 1 : 2;
    // Scratch space (tensor creation copies it): [w | b], reused by every upload.
    const need = (s.fanIn + 1) * n;
    if (this.scratch.length < need) this.scratch = new Float32Array(need);
    const w = this.scratch.subarray(0, s.fanIn * n);
    const b = this.scratch.subarray(s.fanIn * n, need);
    for (let o = 0; o < n; o++) {
      let bias = p[s.b + from + o];
      for (let i = 0; i < s.fanIn; i++) {
        const v = p[s.w + i * s.fanOut + from + o];
        w[i * n + o] = inScale * outScale * v;
        if (k > 0) bias -= v;
      }
      b[o] = outScale * bias;
    }
    return { w, b };
  }

  private device(): Device {
    if (this.dev) return this.dev;
    const w: tf.Tensor2D[] = [];
    const b: tf.Tensor1D[] = [];
    const wt: tf.Tensor2D[] = [];
    this.slots.forEach((s, k) => {
      const t = this.transformed(k);
      w.push(tf.keep(tf.tensor2d(t.w, [s.fanIn, s.fanOut])));
      b.push(tf.keep(tf.tensor1d(t.b)));
      const tr = this.scratch.subarray(0, s.fanIn * s.fanOut);
      for (let i = 0; i < s.fanIn; i++) for (let o = 0; o < s.fanOut; o++) tr[o * s.fanIn + i] = this.params[s.w + i * s.fanOut + o];
      wt.push(tf.keep(tf.tensor2d(tr, [s.fanOut, s.fanIn])));
    });
    this.dev = { w, b, wt, cols: new Map() };
    return this.dev;
  }

  /** Sigmoid outputs s_1 .. s_depth of the hidden layers (tensors; the caller disposes them). */
  private hidden(x: tf.Tensor2D, keepAll: boolean): tf.Tensor2D[] {
    const dev = this.device();
    const s: tf.Tensor2D[] = [];
    let a = x;
    const rows = x.shape[0];
    for (let k = 0; k < this.shape.depth; k++) {
      flops.matmul += 2 * rows * this.slots[k].fanIn * this.slots[k].fanOut;
      const next = tf.fused.matMul({ a, b: dev.w[k], bias: dev.b[k], activation: 'sigmoid' }) as tf.Tensor2D;
      if (!keepAll && k > 0) a.dispose();
      s.push(next);
      a = next;
    }
    return keepAll ? s : [a];
  }

  /** out = network(x) for x [B x inputs]; `cols` restricts the output to columns [from, to). */
  forward(x: tf.Tensor2D, opts: { cols?: [number, number] } = {}): tf.Tensor2D {
    const dev = this.device();
    const L = this.shape.depth;
    let wo = dev.w[L];
    let bo = dev.b[L];
    if (opts.cols && !(opts.cols[0] === 0 && opts.cols[1] === this.shape.outputs)) {
      const key = `${opts.cols[0]}:${opts.cols[1]}`;
      let c = dev.cols.get(key);
      if (!c) {
        const t = this.transformed(L, opts.cols[0], opts.cols[1]);
        c = { w: tf.keep(tf.tensor2d(t.w, [this.slots[L].fanIn, opts.cols[1] - opts.cols[0]])), b: tf.keep(tf.tensor1d(t.b)) };
        dev.cols.set(key, c);
      }
      wo = c.w;
      bo = c.b;
    }
    const [sL] = this.hidden(x, false);
    flops.matmul += 2 * x.shape[0] * wo.shape[0] * wo.shape[1];
    const out = tf.fused.matMul({ a: sL, b: wo, bias: bo }) as tf.Tensor2D;
    sL.dispose();
    return out;
  }

  /** The last hidden activation a_depth = tanh(..) [B x width] (the output layer's features). */
  features(x: tf.Tensor2D): tf.Tensor2D {
    const [sL] = this.hidden(x, false);
    return tf.tidy(() => tf.sub(tf.mul(sL, 2), 1) as tf.Tensor2D);
  }

  /**
   * Training forward pass on host rows x (rows x inputs, row-major): returns the outputs (rows x outputs,
   * host) and the cache for `backward` (call `disposeFast` on it when done).
   */
  forwardTrain(x: Float32Array, rows: number): { out: Float32Array; cache: FastCache } {
    const nIn = this.shape.inputs;
    const W = this.shape.width;
    const L = this.shape.depth;
    const buf = this.buffers(rows);
    transposeWithOnes(x, rows, nIn, buf.inT[0]);
    const deriv: tf.Tensor2D[] = [];
    const xt = tf.tensor2d(x, [rows, nIn]);
    const s = this.hidden(xt, true);
    xt.dispose();
    s.forEach((sk, k) => {
      // Read s_k in place (no tfjs op runs until the loop is done) into a^T and 1 - a^2 = 4 s (1 - s).
      const h = readView(sk);
      const aT = buf.inT[k + 1];
      const dv = buf.deriv[k];
      for (let r = 0; r < rows; r++) {
        const o = r * W;
        for (let i = 0; i < W; i++) {
          const sv = h[o + i];
          aT[i * rows + r] = 2 * sv - 1;
          dv[o + i] = 4 * sv * (1 - sv);
        }
      }
      deriv.push(tf.tensor2d(dv, [rows, W]));
    });
    const dev = this.device();
    flops.matmul += 2 * rows * this.slots[L].fanIn * this.slots[L].fanOut;
    const outT = tf.fused.matMul({ a: s[L - 1], b: dev.w[L], bias: dev.b[L] });
    buf.out.set(readView(outT));
    tf.dispose([outT, ...s]);
    return { out: buf.out, cache: { rows, inT: buf.inT, deriv } };
  }

  /** Host buffers of a training pass with `rows` rows, reused between steps (one pass in flight at a time per row count). */
  private buffers(rows: number): { inT: Float32Array[]; deriv: Float32Array[]; out: Float32Array } {
    const hit = this.bufs.find((b) => b.rows === rows);
    if (hit) return hit;
    const W = this.shape.width;
    const inT = this.slots.map((s) => new Float32Array((s.fanIn + 1) * rows).fill(1, s.fanIn * rows));
    const deriv = Array.from({ length: this.shape.depth }, () => new Float32Array(rows * W));
    const b = { rows, inT, deriv, out: new Float32Array(rows * this.shape.outputs) };
    this.bufs = [b, ...this.bufs.slice(0, 1)];
    return b;
  }

  /**
   * Gradient of the loss in the flat parameters (written into `grad`, length `size`) from dLoss/dout
   * (rows x outputs, host). Disposes the cache.
   */
  backward(cache: FastCache, gOut: Float32Array, grad: Float32Array): void {
    const dev = this.device();
    const { rows } = cache;
    const L = this.shape.depth;
    let delta = tf.tensor2d(gOut, [rows, this.shape.outputs]);
    for (let k = L; k >= 0; k--) {
      const s = this.slots[k];
      const inT = tf.tensor2d(cache.inT[k], [s.fanIn + 1, rows]);
      flops.matmul += 2 * rows * (s.fanIn + 1) * s.fanOut + (k > 0 ? 2 * rows * s.fanOut * s.fanIn : 0);
      const g = tf.matMul(inT, delta);
      grad.set(readView(g), s.w);
      tf.dispose([g, inT]);
      if (k > 0) {
        const back = tf.matMul(delta, dev.wt[k]);
        delta.dispose();
        delta = tf.mul(back, cache.deriv[k - 1]);
        back.dispose();
      }
    }
    delta.dispose();
    disposeFast(cache);
  }

  dispose(): void {
    this.changed();
  }
}

export function disposeFast(c: FastCache): void {
  c.deriv.forEach((t) => t.dispose());
  c.deriv.length = 0;
}

/** x^T (cols x rows) of x (rows x cols), row-major, in cache-sized tiles. */
export function transposeHost(x: Float32Array, rows: number, cols: number, out: Float32Array = new Float32Array(rows * cols)): Float32Array {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = x[r * cols + c];
    }
  }
  return out;
}

/**
 * The data of a float32 tensor: on wasm a view into the heap (no copy), valid only until the next tfjs op
 * (an allocation may grow and move the heap), elsewhere `dataSync()`.
 */
export function readView(t: tf.Tensor): Float32Array {
  const b = tf.backend() as unknown as { typedArrayFromHeap?: (info: tf.TensorInfo) => Float32Array };
  if (typeof b.typedArrayFromHeap === 'function') return b.typedArrayFromHeap(t);
  return t.dataSync() as Float32Array;
}

/** [x^T; 1^T]: (cols + 1) x rows from x rows x cols (row-major), into `t` when given. */
export function transposeWithOnes(x: Float32Array, rows: number, cols: number, t: Float32Array = new Float32Array((cols + 1) * rows).fill(1, cols * rows)): Float32Array {
  for (let r = 0; r < rows; r++) for (let i = 0; i < cols; i++) t[i * rows + r] = x[r * cols + i];
  return t;
}

/**
 * Adam (Kingma & Ba 2015) on a host parameter vector, the update of mlp.ts's FlatAdam:
 * m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2, theta -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps).
 */
export class HostAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  constructor(
    size: number,
    private readonly b1 = 0.9,
    private readonly b2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  step(theta: Float32Array, grad: Float32Array, lr: number): void {
    this.t++;
    const { b1, b2, eps, m, v } = this;
    const lrT = (lr * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    for (let i = 0; i < theta.length; i++) {
      const g = grad[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      theta[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + eps);
    }
  }
}
