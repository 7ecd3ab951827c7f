import * as tf from '@tensorflow/tfjs';
import { type NetKernels, abFits, netKernels } from '../tensor/netKernels';
import { GradAccumulator } from './gradAccumulator';
import { type LayerSlot, type MlpLayout, layerSlots } from './network';

/**
 * The hedgers' ReLU network on tfjs, written by hand (no tf.layers, no tf.grad): forward with a cache of the
 * hidden activations, reverse mode (VJP) and forward mode (JVP) from that cache. Layout and parameter
 * order as in network.ts: z_l = h_{l-1} W_l + b_l, h_l = relu(z_l), out = h_L W_{L+1} + b_{L+1}.
 *
 * With m_l = 1[h_l > 0] (the ReLU mask, read off the cached activation since h_l > 0 <=> z_l > 0):
 *
 *   VJP (row weights g = dLoss/dout, [R x outputs]):
 *     dW_{L+1} = h_L^T g,  db_{L+1} = 1^T g,  e_L = g W_{L+1}^T
 *     for l = L..1:  d_l = e_l ⊙ m_l,  dW_l = h_{l-1}^T d_l,  db_l = 1^T d_l,  e_{l-1} = d_l W_l^T
 *     (e_0 = dLoss/dx, computed only when asked for — DHMLP needs it for its previous-position input)
 *   JVP (parameter direction (dW, db)):
 *     t_1 = m_1 ⊙ (x dW_1 + db_1)
 *     t_l = m_l ⊙ (t_{l-1} W_l + h_{l-1} dW_l + db_l),   l = 2..L
 *     dout = t_L W_{L+1} + h_L dW_{L+1} + db_{L+1}
 *   i.e. dout = J(x) d with J the Jacobian of out in the parameters at the cached point, one pass, never
 *   materialising J.
 *
 * Speed notes (measured on the wasm backend, SIMD, one thread, 10,000-row chunks; bench/hedging-profile.ts):
 * - a plain matMul [R x 64] x [64 x 64] runs at 25-34 GFLOP/s; with transposeA/transposeB it falls back to a
 *   naive kernel at ~2.5 GFLOP/s, so transposed products use an explicit tf.transpose and a plain matMul;
 * - XNNPACK packs the RIGHT operand B of a plain matMul into its own layout (a transposing copy, ~3.4 ms for a
 *   fresh [10,000 x 64] B, more than the product itself). That made the weight gradients dW^T = d^T h_{l-1}
 *   (6.2 ms + 0.74 ms to transpose d per 64-wide layer and chunk) the largest cost of an epoch. On the wasm
 *   backend they and the bias gradients d^T 1 are now our own SIMD kernels (engine/tensor/netKernels.ts),
 *   which read d and h_{l-1} in place and add into float32 accumulators: ~1.7 ms, no transpose, no packing.
 *   Elsewhere (tfjs-node) d is transposed and multiplied with tf ops. The accumulated dW^T blocks are
 *   transposed back when read (64 x 64, in JavaScript).
 * - a tensor read back with dataSync costs ~4 ns per float (10 ms for [10,000 x 64]): only outputs
 *   ([R x 2] or [R x 1]) and parameter-sized sums are ever read back.
 */

/**
 * Rows per chunk: large enough for efficient matmuls (20-30 GFLOP/s from ~8k rows), and NOT a multiple of a
 * large power of two: tf.transpose of [R x 64] with R = 4096 or 12288 runs ~6x slower than with R = 10000
 * or 20000 (cache-set conflicts of the strided writes; measured on wasm).
 */
export const DEFAULT_CHUNK_ROWS = 10_000;

/** Cached activations of one chunk of rows: the input and every hidden activation (kept tensors). */
export interface ChunkCache {
  rows: number;
  x: tf.Tensor2D;
  /** h_1 .. h_L, each [rows x hidden_l]. */
  h: tf.Tensor2D[];
  /**
   * ReLU masks 1[h_l > 0], kept after a VJP asked to keep them: DHLNN's inner iterations run one JVP and one
   * VJP each at the same activations, so the masks are made once per epoch.
   */
  m?: tf.Tensor2D[];
  /** Output sensitivities S_l[o] per hidden slot l and output o, kept instead of the masks where our kernels run (see TfMlp.linearise). */
  s?: tf.Tensor2D[][];
}

/** The network's parameters uploaded as float32 tensors (weights, their transposes, biases). */
export class TfMlp {
  readonly layout: MlpLayout;
  readonly slots: LayerSlot[];
  private readonly w: tf.Tensor2D[];
  private readonly b: tf.Tensor1D[];
  private wt: tf.Tensor2D[] | null = null;
  private readonly ones = new Map<number, tf.Tensor2D>();

  /** Upload `params` (flat, see network.ts) as float32 tensors. Call `dispose()` when done. */
  constructor(layout: MlpLayout, params: Float64Array) {
    this.layout = layout;
    this.slots = layerSlots(layout);
    const p32 = Float32Array.from(params);
    this.w = this.slots.map((s) => tf.tensor2d(p32.subarray(s.wOffset, s.wOffset + s.fanIn * s.fanOut), [s.fanIn, s.fanOut]));
    this.b = this.slots.map((s) => tf.tensor1d(p32.subarray(s.bOffset, s.bOffset + s.fanOut)));
  }

  private transposed(): tf.Tensor2D[] {
    if (!this.wt) this.wt = this.w.map((w) => tf.transpose(w));
    return this.wt;
  }

  /** A kept [rows x 1] column of ones (the right operand of the bias gradients d^T 1 on the tfjs path; packed once). */
  private onesCol(rows: number): tf.Tensor2D {
    let t = this.ones.get(rows);
    if (!t) {
      t = tf.keep(tf.ones([rows, 1]) as tf.Tensor2D); // kept: it may be first asked for inside a tidy
      this.ones.set(rows, t);
    }
    return t;
  }

  dispose(): void {
    this.w.forEach((t) => t.dispose());
    this.b.forEach((t) => t.dispose());
    this.wt?.forEach((t) => t.dispose());
    this.ones.forEach((t) => t.dispose());
    this.ones.clear();
  }

  /**
   * Forward pass of one chunk. Returns the output (float32, [rows x outputs] row-major) and, when `keep`,
   * the chunk's cache (x and hidden activations, kept outside any tidy — dispose with `disposeChunk`).
   * @param x input rows, row-major [rows x inputs] (copied to the backend).
   */
  forwardChunk(x: Float32Array, rows: number, keep: boolean): { out: Float32Array; cache: ChunkCache | null } {
    const L = this.slots.length - 1;
    const xt = tf.tensor2d(x, [rows, this.layout.inputs]);
    const h: tf.Tensor2D[] = [];
    let cur: tf.Tensor2D = xt;
    for (let l = 0; l < L; l++) {
      cur = tf.fused.matMul({ a: cur, b: this.w[l], bias: this.b[l], activation: 'relu' }) as tf.Tensor2D;
      h.push(cur);
    }
    const outT = tf.fused.matMul({ a: cur, b: this.w[L], bias: this.b[L] });
    const out = outT.dataSync() as Float32Array;
    outT.dispose();
    if (keep) return { out, cache: { rows, x: xt, h } };
    xt.dispose();
    h.forEach((t) => t.dispose());
    return { out, cache: null };
  }

  /** Our wasm kernels when they take every hidden layer of this network (widths multiples of 8), else null. */
  private kernels(): NetKernels | null {
    const k = netKernels();
    return k && this.layout.hidden.every(abFits) ? k : null;
  }

  /**
   * VJP of one cached chunk: adds sum over rows of g^T d out/d params into `grads` (weight blocks as dW^T, see
   * the module doc) and returns dLoss/dx ([rows x inputs]) when `inputGrad`.
   * @param g row weights dLoss/dout, row-major [rows x outputs].
   * @param keepLinear keep what later VJPs/JVPs at the same point need (DHLNN's inner iterations): the ReLU masks
   *   where our kernels do not run (where they do, the first JVP at this point makes the output sensitivities S,
   *   see {@link linearise}, and every later VJP without `inputGrad` goes through them). This VJP itself is always
   *   the chain, so DHLNN's outer gradient is DHNTB's bit for bit.
   */
  vjpChunk(cache: ChunkCache, g: Float32Array, grads: GradAccumulator, inputGrad = false, keepLinear = false): Float32Array | null {
    const L = this.slots.length - 1;
    const wt = this.transposed();
    const kern = this.kernels();
    const ones = (): tf.Tensor2D => this.onesCol(cache.rows);
    const box: { dx: Float32Array | null } = { dx: null };
    /** Input of layer l (0-based slot): x, or h_l. */
    const input = (l: number): tf.Tensor2D => (l === 0 ? cache.x : cache.h[l - 1]);
    if (cache.s && !inputGrad) {
      this.sensitivityVjp(cache, g, grads, kern!);
      return null;
    }
    if (keepLinear && !kern && !cache.m) cache.m = cache.h.map((a) => tf.step(a) as tf.Tensor2D);
    const mask = (l: number): tf.Tensor2D => (cache.m ? cache.m[l] : (tf.step(cache.h[l]) as tf.Tensor2D));
    tf.tidy(() => {
      const gT = tf.tensor2d(g, [cache.rows, this.layout.outputs]);
      grads.addLayer(L, gT, input(L), ones);
      // d_l = (d_{l+1} W_{l+1}^T) ⊙ 1[h_l > 0], with d_L = g: one fused kernel per layer where ours run
      let d: tf.Tensor2D = kern ? kern.ab(gT, wt[L], { mask: cache.h[L - 1] }) : (tf.mul(tf.matMul(gT, wt[L]), mask(L - 1)) as tf.Tensor2D);
      for (let l = L - 1; l >= 0; l--) {
        grads.addLayer(l, d, input(l), ones);
        if (l > 0) d = kern ? kern.ab(d, wt[l], { mask: cache.h[l - 1] }) : (tf.mul(tf.matMul(d, wt[l]), mask(l - 1)) as tf.Tensor2D);
        else if (inputGrad) box.dx = tf.matMul(d, wt[0]).dataSync() as Float32Array;
      }
    });
    return box.dx;
  }

  /**
   * The output sensitivities S_l[o] = d out_o / d z_l ([rows x width_l], z_l the pre-activation of hidden slot l) of
   * one cached chunk, kept in it:
   *   S_{L-1}[o] = 1[h_{L-1} > 0] ⊙ W_L[:, o]^T,   S_{l-1}[o] = (S_l[o] W_l^T) ⊙ 1[h_{l-1} > 0].
   * With them the network is linear in its parameters at this point with one product per layer each way:
   *   J dir:  out_o = h_{L-1} dW_L + db_L + sum_l rowdot(S_l[o], input_l dW_l + db_l)
   *   J^T g:  dW_l = input_l^T D_l, db_l = 1^T D_l with D_l = sum_o g[:, o] ⊙ S_l[o] (and the output layer as usual)
   * against two products per layer each way through the chain (the same sums in exact arithmetic; float32 rounding
   * differs). Costs `outputs` backward chains once per forward point and `outputs` x the activations' memory.
   */
  private linearise(cache: ChunkCache, kern: NetKernels): void {
    const L = this.slots.length - 1;
    const wt = this.transposed();
    const O = this.layout.outputs;
    const s: tf.Tensor2D[][] = new Array<tf.Tensor2D[]>(L);
    tf.tidy(() => {
      s[L - 1] = Array.from({ length: O }, (_, o) =>
        tf.keep(kern.ab(this.onesCol(cache.rows), tf.slice(wt[L], [o, 0], [1, this.slots[L].fanIn]), { mask: cache.h[L - 1] })),
      );
      for (let l = L - 1; l >= 1; l--) s[l - 1] = s[l].map((t) => tf.keep(kern.ab(t, wt[l], { mask: cache.h[l - 1] })));
    });
    cache.s = s;
  }

  private sensitivityVjp(cache: ChunkCache, g: Float32Array, grads: GradAccumulator, kern: NetKernels): void {
    const L = this.slots.length - 1;
    const O = this.layout.outputs;
    const S = cache.s!;
    tf.tidy(() => {
      const gT = tf.tensor2d(g, [cache.rows, O]);
      grads.addLayer(L, gT, cache.h[L - 1], () => this.onesCol(cache.rows));
      for (let l = L - 1; l >= 0; l--) {
        const d = kern.empty(cache.rows, this.slots[l].fanOut);
        for (let o = 0; o < O; o++) kern.rowScaleAdd(S[l][o], gT, o, d, o === 0);
        grads.addLayer(l, d, l === 0 ? cache.x : cache.h[l - 1], () => this.onesCol(cache.rows));
      }
    });
  }

  /**
   * JVP of one cached chunk in the parameter direction `dir` (uploaded with `uploadDirection`). Where our kernels
   * run, the first JVP at a cached point makes its output sensitivities (see {@link linearise}) and every JVP goes
   * through them; elsewhere it is the forward-mode chain.
   * @returns d out = J(x) dir, row-major [rows x outputs] (float32).
   */
  jvpChunk(cache: ChunkCache, dir: TfDirection): Float32Array {
    const L = this.slots.length - 1;
    let result: Float32Array | null = null;
    const kern = this.kernels();
    if (kern && !cache.s) this.linearise(cache, kern);
    const mask = (l: number): tf.Tensor => (cache.m ? cache.m[l] : tf.step(cache.h[l]));
    tf.tidy(() => {
      if (kern) {
        // out = h_{L-1} dW_L + db_L, then + rowdot(S_l[o], input_l dW_l + db_l) for every hidden slot (see linearise)
        const out = tf.fused.matMul({ a: cache.h[L - 1], b: dir.w[L], bias: dir.b[L] }) as tf.Tensor2D;
        for (let l = 0; l < L; l++) {
          const p = kern.ab(l === 0 ? cache.x : cache.h[l - 1], dir.w[l], { bias: dir.b[l] });
          cache.s![l].forEach((sl, o) => kern.rowDot(sl, p, out, o));
        }
        result = out.dataSync() as Float32Array;
        return;
      }
      let t: tf.Tensor2D = tf.mul(tf.fused.matMul({ a: cache.x, b: dir.w[0], bias: dir.b[0] }), mask(0)) as tf.Tensor2D;
      for (let l = 1; l < L; l++) {
        const z = tf.add(tf.matMul(t, this.w[l]), tf.fused.matMul({ a: cache.h[l - 1], b: dir.w[l], bias: dir.b[l] }));
        t = tf.mul(z, mask(l)) as tf.Tensor2D;
      }
      const out = tf.add(tf.matMul(t, this.w[L]), tf.fused.matMul({ a: cache.h[L - 1], b: dir.w[L], bias: dir.b[L] }));
      result = out.dataSync() as Float32Array;
    });
    return result!;
  }
}

/** A parameter-space direction uploaded as tensors (same shapes as the weights). */
export interface TfDirection {
  w: tf.Tensor2D[];
  b: tf.Tensor1D[];
  dispose(): void;
}

export function uploadDirection(layout: MlpLayout, dir: Float64Array): TfDirection {
  const slots = layerSlots(layout);
  const d32 = Float32Array.from(dir);
  const w = slots.map((s) => tf.tensor2d(d32.subarray(s.wOffset, s.wOffset + s.fanIn * s.fanOut), [s.fanIn, s.fanOut]));
  const b = slots.map((s) => tf.tensor1d(d32.subarray(s.bOffset, s.bOffset + s.fanOut)));
  return { w, b, dispose: () => [...w, ...b].forEach((t) => t.dispose()) };
}

export function disposeChunk(c: ChunkCache): void {
  c.x.dispose();
  c.h.forEach((t) => t.dispose());
  c.m?.forEach((t) => t.dispose());
  c.s?.forEach((ts) => ts.forEach((t) => t.dispose()));
}

/**
 * The network over many rows, chunked: forward (optionally keeping the caches for a VJP/JVP later),
 * VJP and JVP over all rows. Holds the uploaded parameters and the caches; `dispose()` frees both.
 */
export class RowsPass {
  readonly net: TfMlp;
  private caches: Array<{ start: number; cache: ChunkCache }> = [];

  constructor(layout: MlpLayout, params: Float64Array, readonly chunkRows = DEFAULT_CHUNK_ROWS) {
    this.net = new TfMlp(layout, params);
  }

  /**
   * Network outputs of all `rows` rows of `x` ([rows x inputs] row-major) into a new Float32Array
   * [rows x outputs]; with `keep`, the activations stay cached for `vjp`/`jvp`.
   * @param onChunk called after each chunk (e.g. to poll cancellation).
   */
  forward(x: Float32Array, rows: number, keep: boolean, onChunk?: () => void): Float32Array {
    const { inputs, outputs } = this.net.layout;
    const out = new Float32Array(rows * outputs);
    for (let start = 0; start < rows; start += this.chunkRows) {
      const r = Math.min(this.chunkRows, rows - start);
      const res = this.net.forwardChunk(x.subarray(start * inputs, (start + r) * inputs), r, keep);
      out.set(res.out, start * outputs);
      if (res.cache) this.caches.push({ start, cache: res.cache });
      onChunk?.();
    }
    return out;
  }

  /**
   * sum_rows g_row^T d out_row / d params (flat float64), from the cached forward pass.
   * @param keep 'linear': keep what later VJPs/JVPs at the same point need (DHLNN; see TfMlp.vjpChunk); 'free': this is the
   *   last use of the cached activations — free each chunk's right after its VJP (with the packed copies the
   *   backend made of them), so a DHNTB backward never holds more than one chunk's packed activations.
   */
  vjp(g: Float32Array, keep: 'none' | 'linear' | 'free' = 'none', onChunk?: () => void): Float64Array {
    const outputs = this.net.layout.outputs;
    const acc = new GradAccumulator(this.net.slots);
    try {
      for (const { start, cache } of this.caches) {
        this.net.vjpChunk(cache, g.subarray(start * outputs, (start + cache.rows) * outputs), acc, false, keep === 'linear');
        if (keep === 'free') disposeChunk(cache);
        onChunk?.();
      }
      if (keep === 'free') this.caches = [];
      return acc.read();
    } finally {
      acc.dispose();
    }
  }

  /** J dir for every cached row, [rows x outputs] float32. */
  jvp(dir: Float64Array, onChunk?: () => void): Float32Array {
    const outputs = this.net.layout.outputs;
    const rows = this.caches.reduce((n, c) => n + c.cache.rows, 0);
    const out = new Float32Array(rows * outputs);
    const d = uploadDirection(this.net.layout, dir);
    try {
      for (const { start, cache } of this.caches) {
        out.set(this.net.jvpChunk(cache, d), start * outputs);
        onChunk?.();
      }
    } finally {
      d.dispose();
    }
    return out;
  }

  dispose(): void {
    this.caches.forEach((c) => disposeChunk(c.cache));
    this.caches = [];
    this.net.dispose();
  }
}
