import * as tf from '@tensorflow/tfjs';
import { netKernels } from '../tensor/netKernels';
import { type LayerSlot } from './network';

/**
 * Sums the per-parameter-block gradients over chunks, then reads them back once into the flat layout of
 * network.ts (float64). Block 2l is W_{l+1}^T ([fanOut x fanIn], transposed back into the row-major
 * [fanIn x fanOut] layout when read), block 2l + 1 is b_{l+1} ([fanOut]).
 *
 * On the wasm backend the blocks are float32 buffers in the backend's heap that our kernels add d^T h and d^T 1
 * into directly (engine/tensor/netKernels.ts): each element is then a running float32 sum over all rows in row
 * order. Elsewhere they are tensors summed per chunk with tf.add.
 */
export class GradAccumulator {
  private readonly acc: Array<tf.Tensor | null>;
  private readonly kern = netKernels();
  /** Kernel path: byte offsets of the blocks' buffers (0 = not allocated). */
  private readonly bufs: number[];

  constructor(private readonly slots: LayerSlot[]) {
    this.acc = new Array<tf.Tensor | null>(2 * slots.length).fill(null);
    this.bufs = new Array<number>(2 * slots.length).fill(0);
  }

  private buf(k: number, n: number): number {
    if (!this.bufs[k]) this.bufs[k] = this.kern!.alloc(n);
    return this.bufs[k];
  }

  /**
   * Add layer l's gradients for the backward signal `d` ([rows x fanOut]) at its input `input` ([rows x fanIn]):
   * d^T input to block 2l and d^T 1 to block 2l + 1. `ones` gives a kept [rows x 1] column of ones (tfjs path).
   */
  addLayer(l: number, d: tf.Tensor2D, input: tf.Tensor2D, ones: () => tf.Tensor2D): void {
    const s = this.slots[l];
    if (this.kern) {
      this.kern.atb(d, input, this.buf(2 * l, s.fanOut * s.fanIn));
      this.kern.colsum(d, this.buf(2 * l + 1, s.fanOut));
      return;
    }
    const dt = tf.transpose(d);
    this.add(2 * l, tf.matMul(dt, input));
    this.add(2 * l + 1, tf.matMul(dt, ones()));
  }

  /** Add `t` to block `k` (the tensor is consumed: kept past the caller's tidy and disposed here later). */
  private add(k: number, t: tf.Tensor): void {
    const prev = this.acc[k];
    if (!prev) {
      this.acc[k] = tf.keep(t);
      return;
    }
    this.acc[k] = tf.keep(tf.add(prev, t));
    prev.dispose();
  }

  private block(k: number, n: number): Float32Array | null {
    if (this.kern) return this.bufs[k] ? this.kern.read(this.bufs[k], n) : null;
    return (this.acc[k]?.dataSync() as Float32Array | undefined) ?? null;
  }

  /** The sums in the flat parameter layout (zeros for blocks never added to); frees the blocks. */
  read(): Float64Array {
    const last = this.slots[this.slots.length - 1];
    const out = new Float64Array(last.bOffset + last.fanOut);
    this.slots.forEach((s, l) => {
      const wT = this.block(2 * l, s.fanOut * s.fanIn);
      const b = this.block(2 * l + 1, s.fanOut);
      if (wT) for (let o = 0; o < s.fanOut; o++) for (let i = 0; i < s.fanIn; i++) out[s.wOffset + i * s.fanOut + o] = wT[o * s.fanIn + i];
      if (b) out.set(b, s.bOffset);
    });
    this.dispose();
    return out;
  }

  /** Free the blocks (idempotent; `read` calls it — call it yourself when a pass is abandoned). */
  dispose(): void {
    this.acc.forEach((t) => t?.dispose());
    this.acc.fill(null);
    this.bufs.forEach((p) => p && this.kern!.free(p));
    this.bufs.fill(0);
  }
}
