import * as tf from '@tensorflow/tfjs';
import { WASM_BASE64 } from './kernels/netKernels.wasm';

/**
 * Our own wasm SIMD kernels for the hedgers' ReLU networks, run directly on the tfjs wasm backend's tensors (source
 * and the rounding contract: kernels/netKernels.wat): the weight and bias gradients (`atb`, `colsum`) and the
 * layer products with their bias and ReLU/mask epilogue (`ab`).
 *
 * Why: on the wasm backend a weight gradient dW^T = d^T h over a 10,000-row chunk of a 64-wide layer cost 6.2 ms
 * plus 0.74 ms to transpose d, because XNNPACK first packs the [10,000 x 64] right operand, used once (~3.4 ms).
 * The kernel reads d and h where they lie (both row-major, no transpose, no packing) and adds d^T h into a float32
 * accumulator in the backend's heap: ~1.7 ms for the same product (49 GFLOP/s on one core of the bench machine,
 * bench/hedging-profile.ts --models vjp-ab). The bias gradient d^T 1 is a column sum in the same pass style.
 *
 * `ab` is the layer product [R x M] x [M x N] with the weights kept in L1 (at 64 x 64, ~1.7 ms per 10,000 rows
 * against 2.8 ms for XNNPACK's fused matMul), and it fuses what follows it in the passes: the bias and ReLU of the
 * forward pass, the ReLU mask of the backward signal (d_l = (d_{l+1} W^T) ⊙ 1[h_l > 0]) and the JVP's second
 * product and mask (t_l = (t_{l-1} W + h_{l-1} dW + db) ⊙ 1[h_l > 0]), so no mask tensor is ever made.
 *
 * Only for the 'wasm' backend (the module imports its memory); null elsewhere, and the callers keep the tfjs
 * path. HEDGE_NET_KERNELS=0 turns the kernels off (for before/after benchmarks).
 */
export interface NetKernels {
  /** A zeroed float32 buffer of `n` elements in the backend's heap; returns its byte offset. */
  alloc(n: number): number;
  free(ptr: number): void;
  /** A copy of `n` floats at `ptr`. */
  read(ptr: number, n: number): Float32Array;
  /** c[M x N] += a^T b for a [K x M], b [K x N] (float32 tensors of this backend). */
  atb(a: tf.Tensor2D, b: tf.Tensor2D, c: number): void;
  /** c[M] += column sums of a [K x M]. */
  colsum(a: tf.Tensor2D, c: number): void;
  /**
   * A new [R x N] tensor epilogue(bias + a b + a2 b2) for a [R x M], b [M x N] and optionally a2 [R x M2], b2 [M2 x N];
   * epilogue 'relu' (max(c, 0)), a mask tensor H [R x N] (c where H > 0, else +0) or none. Needs N % 8 == 0
   * (see {@link abFits}).
   */
  ab(a: tf.Tensor2D, b: tf.Tensor2D, opts?: AbOptions): tf.Tensor2D;
  /** A new, uninitialised [R x N] float32 tensor, for the kernels below to fill. */
  empty(rows: number, cols: number): tf.Tensor2D;
  /**
   * d (+)= g[:, o] ⊙ s row by row (`first`: d = 0 + ...): s, d [K x N] with N % 4 == 0, g [K x O]. Writes into d,
   * which must be a tensor the caller just made with `empty` and has not handed out.
   */
  rowScaleAdd(s: tf.Tensor2D, g: tf.Tensor2D, o: number, d: tf.Tensor2D, first: boolean): void;
  /** out[:, o] += row-wise dot products of s and p ([K x N], N % 4 == 0); writes into out [K x O] (same rule as d above). */
  rowDot(s: tf.Tensor2D, p: tf.Tensor2D, out: tf.Tensor2D, o: number): void;
}

export interface AbOptions {
  a2?: tf.Tensor2D;
  b2?: tf.Tensor2D;
  bias?: tf.Tensor1D;
  relu?: boolean;
  mask?: tf.Tensor2D;
}

/** Whether `ab` takes products with N output columns. */
export const abFits = (n: number): boolean => n > 0 && n % 8 === 0;

interface WasmModuleLike {
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}
interface WasmBackendLike {
  wasm?: WasmModuleLike;
  makeOutput?(shape: number[], dtype: 'float32'): tf.TensorInfo;
  dataIdMap?: { get(id: object): { memoryOffset: number | null; dtype: string } | undefined };
}
interface KernelExports {
  atb(a: number, b: number, c: number, K: number, M: number, N: number): void;
  colsum(a: number, c: number, K: number, M: number): void;
  ab(a: number, b: number, M: number, a2: number, b2: number, M2: number, bias: number, h: number, c: number, R: number, N: number, mode: number): void;
  rowScaleAdd(s: number, g: number, gs: number, d: number, K: number, N: number, first: number): void;
  rowDot(s: number, p: number, out: number, os: number, K: number, N: number): void;
}

let compiled: WebAssembly.Module | null | undefined;
const perBackend = new WeakMap<object, NetKernels | null>();

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

function make(be: WasmBackendLike): NetKernels | null {
  const wasm = be.wasm;
  const memory = wasm?.asm?.memory;
  const ids = be.dataIdMap;
  const mod = compile();
  if (!wasm || !(memory instanceof WebAssembly.Memory) || !ids || !mod || typeof be.makeOutput !== 'function') return null;
  const ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as KernelExports;
  const empty = (rows: number, cols: number): tf.Tensor2D => tf.engine().makeTensorFromTensorInfo(be.makeOutput!([rows, cols], 'float32')) as tf.Tensor2D;
  const offset = (t: tf.Tensor): number => {
    const d = ids.get(t.dataId);
    if (!d || d.memoryOffset == null || d.dtype !== 'float32') throw new Error(`netKernels: tensor ${t.id} is not a float32 tensor of the wasm backend`);
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
      if (b.shape[0] !== K) throw new Error(`netKernels.atb: ${a.shape} and ${b.shape} have different row counts`);
      ex.atb(offset(a), offset(b), c, K, M, b.shape[1]);
    },
    colsum(a, c) {
      ex.colsum(offset(a), c, a.shape[0], a.shape[1]);
    },
    ab(a, b, opts = {}) {
      const [R, M] = a.shape;
      const N = b.shape[1];
      const bad = (what: string): never => {
        throw new Error(`netKernels.ab: ${what} (a ${a.shape}, b ${b.shape})`);
      };
      if (b.shape[0] !== M) bad('inner dimensions differ');
      if (!abFits(N)) bad(`${N} output columns is not a multiple of 8`);
      const { a2, b2, bias, mask } = opts;
      if (!a2 !== !b2) bad('a2 and b2 go together');
      if (a2 && b2 && (a2.shape[0] !== R || b2.shape[0] !== a2.shape[1] || b2.shape[1] !== N)) bad(`second product ${a2.shape} x ${b2.shape} does not fit`);
      if (bias && bias.shape[0] !== N) bad(`bias of ${bias.shape[0]}`);
      if (mask && (mask.shape[0] !== R || mask.shape[1] !== N)) bad(`mask ${mask.shape}`);
      const out = empty(R, N);
      ex.ab(
        offset(a), offset(b), M,
        a2 ? offset(a2) : 0, b2 ? offset(b2) : 0, a2 ? a2.shape[1] : 0,
        bias ? offset(bias) : 0, mask ? offset(mask) : 0, offset(out), R, N,
        mask ? 2 : opts.relu ? 1 : 0,
      );
      return out;
    },
    empty,
    rowScaleAdd(sT, g, o, d, first) {
      const [K, N] = sT.shape;
      const O = g.shape[1];
      if (N % 4 !== 0 || g.shape[0] !== K || o < 0 || o >= O || d.shape[0] !== K || d.shape[1] !== N)
        throw new Error(`netKernels.rowScaleAdd: s ${sT.shape}, g ${g.shape}, output ${o}, d ${d.shape} do not fit`);
      ex.rowScaleAdd(offset(sT), offset(g) + 4 * o, 4 * O, offset(d), K, N, first ? 1 : 0);
    },
    rowDot(sT, p, out, o) {
      const [K, N] = sT.shape;
      const O = out.shape[1];
      if (N % 4 !== 0 || p.shape[0] !== K || p.shape[1] !== N || out.shape[0] !== K || o < 0 || o >= O)
        throw new Error(`netKernels.rowDot: s ${sT.shape}, p ${p.shape}, out ${out.shape}, output ${o} do not fit`);
      ex.rowDot(offset(sT), offset(p), offset(out) + 4 * o, 4 * O, K, N);
    },
  };
}

/** The kernels bound to the current tfjs backend, or null when it is not the wasm backend (or they are turned off). */
export function netKernels(): NetKernels | null {
  if (process.env.HEDGE_NET_KERNELS === '0' || tf.getBackend() !== 'wasm') return null;
  const be = tf.backend() as unknown as WasmBackendLike;
  let k = perBackend.get(be);
  if (k === undefined) {
    k = make(be);
    perBackend.set(be, k);
  }
  return k;
}
