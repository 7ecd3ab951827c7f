import * as tf from '@tensorflow/tfjs';
import { WASM_BASE64 } from './kernels/gradKernels.wasm';

/**
 * Our own wasm SIMD kernels for the networks' weight and bias gradients, run directly on the tfjs wasm backend's
 * tensors (source and the rounding contract: kernels/gradKernels.wat).
 *
 * Why: on the wasm backend a weight gradient dW^T = d^T h over a 10,000-row chunk of a 64-wide layer cost 6.2 ms
 * plus 0.74 ms to transpose d, because XNNPACK first packs the [10,000 x 64] right operand, used once (~3.4 ms).
 * The kernel reads d and h where they lie (both row-major, no transpose, no packing) and adds d^T h into a float32
 * accumulator in the backend's heap: ~1.7 ms for the same product (49 GFLOP/s on one core of the bench machine,
 * bench/hedging-profile.ts --models vjp-ab). The bias gradient d^T 1 is a column sum in the same pass style.
 *
 * Only for the 'wasm' backend (the module imports its memory); null elsewhere, and the callers keep the tfjs
 * path. HEDGE_GRAD_KERNELS=0 turns the kernels off (for before/after benchmarks).
 */
export interface GradKernels {
  /** A zeroed float32 buffer of `n` elements in the backend's heap; returns its byte offset. */
  alloc(n: number): number;
  free(ptr: number): void;
  /** A copy of `n` floats at `ptr`. */
  read(ptr: number, n: number): Float32Array;
  /** c[M x N] += a^T b for a [K x M], b [K x N] (float32 tensors of this backend). */
  atb(a: tf.Tensor2D, b: tf.Tensor2D, c: number): void;
  /** c[M] += column sums of a [K x M]. */
  colsum(a: tf.Tensor2D, c: number): void;
}

interface WasmModuleLike {
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}
interface WasmBackendLike {
  wasm?: WasmModuleLike;
  dataIdMap?: { get(id: object): { memoryOffset: number | null; dtype: string } | undefined };
}
interface KernelExports {
  atb(a: number, b: number, c: number, K: number, M: number, N: number): void;
  colsum(a: number, c: number, K: number, M: number): void;
}

let compiled: WebAssembly.Module | null | undefined;
const perBackend = new WeakMap<object, GradKernels | null>();

function compile(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
    } catch {
      compiled = null; // no wasm SIMD in this runtime: the tfjs path stays
    }
  }
  return compiled;
}

function make(be: WasmBackendLike): GradKernels | null {
  const wasm = be.wasm;
  const memory = wasm?.asm?.memory;
  const ids = be.dataIdMap;
  const mod = compile();
  if (!wasm || !(memory instanceof WebAssembly.Memory) || !ids || !mod) return null;
  const ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as KernelExports;
  const offset = (t: tf.Tensor): number => {
    const d = ids.get(t.dataId);
    if (!d || d.memoryOffset == null || d.dtype !== 'float32') throw new Error(`gradKernels: tensor ${t.id} is not a float32 tensor of the wasm backend`);
    return d.memoryOffset;
  };
  return {
    alloc(n) {
      const ptr = wasm._malloc(Math.max(4, n * 4)) >>> 0;
      new Float32Array(memory.buffer, ptr, n).fill(0);
      return ptr;
    },
    free: (ptr) => wasm._free(ptr),
    read: (ptr, n) => new Float32Array(memory.buffer, ptr, n).slice(),
    atb(a, b, c) {
      const [K, M] = a.shape;
      if (b.shape[0] !== K) throw new Error(`gradKernels.atb: ${a.shape} and ${b.shape} have different row counts`);
      ex.atb(offset(a), offset(b), c, K, M, b.shape[1]);
    },
    colsum(a, c) {
      ex.colsum(offset(a), c, a.shape[0], a.shape[1]);
    },
  };
}

/** The kernels bound to the current tfjs backend, or null when it is not the wasm backend (or they are turned off). */
export function gradKernels(): GradKernels | null {
  if (process.env.HEDGE_GRAD_KERNELS === '0' || tf.getBackend() !== 'wasm') return null;
  const be = tf.backend() as unknown as WasmBackendLike;
  let k = perBackend.get(be);
  if (k === undefined) {
    k = make(be);
    perBackend.set(be, k);
  }
  return k;
}
