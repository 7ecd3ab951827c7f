import { type Rng } from '../stochastic/rng';

/**
 * Layout and plain-JavaScript evaluation of the solvers' tanh multilayer perceptron (no tfjs here, so the
 * main process and part 2's path evaluation can use it). Training is in ./mlp.ts.
 *
 * The solvers' tanh multilayer perceptron: `depth` hidden layers of `width` units,
 *
 *     a_0 = x,   a_k = tanh(a_{k-1} W_k + b_k)  (k = 1..depth),   out = a_depth W_o + b_o
 *
 * with every parameter in ONE flat float32 vector (layout below), so that one time step's network is one
 * Float32Array to store, copy (transfer learning, spec "OSM scheme" 3.) and update with a single fused Adam.
 *
 * Flat layout, row-major: [W_1 (inputs x width), b_1, W_2 (width x width), b_2, ..., W_o (width x outputs), b_o].
 *
 * Evaluation here is plain float64 JavaScript (`evalMlp`, `evalMlpJacobian`).
 */
export interface MlpShape {
  inputs: number;
  width: number;
  depth: number;
  outputs: number;
}

/** Offsets of each layer in the flat vector. */
export interface LayerSlot {
  fanIn: number;
  fanOut: number;
  w: number;
  b: number;
}

export function layerSlots(s: MlpShape): LayerSlot[] {
  const slots: LayerSlot[] = [];
  let off = 0;
  let fanIn = s.inputs;
  for (let k = 0; k <= s.depth; k++) {
    const fanOut = k < s.depth ? s.width : s.outputs;
    slots.push({ fanIn, fanOut, w: off, b: off + fanIn * fanOut });
    off += fanIn * fanOut + fanOut;
    fanIn = fanOut;
  }
  return slots;
}

/** Number of parameters (weights and biases). */
export function paramCount(s: MlpShape): number {
  const last = layerSlots(s).at(-1)!;
  return last.b + last.fanOut;
}

/**
 * Glorot-normal weights (std sqrt(2 / (fanIn + fanOut))), zero biases; the output layer is scaled by
 * `outScale` (small, so a fresh network starts near its output shift).
 */
export function initParams(s: MlpShape, rng: Rng, outScale = 0.1): Float32Array {
  const p = new Float32Array(paramCount(s));
  const slots = layerSlots(s);
  slots.forEach((sl, k) => {
    const std = Math.sqrt(2 / (sl.fanIn + sl.fanOut)) * (k === slots.length - 1 ? outScale : 1);
    for (let i = 0; i < sl.fanIn * sl.fanOut; i++) p[sl.w + i] = std * rng.normal();
  });
  return p;
}

/**
 * Plain float64 forward pass at one point: out = network(x), x of length `inputs`.
 * @param p flat parameters (see the module comment); `off` where this network starts in `p`.
 */
export function evalMlp(s: MlpShape, p: Float32Array | Float64Array, off: number, x: ArrayLike<number>): Float64Array {
  const slots = layerSlots(s);
  let a = Float64Array.from(x);
  slots.forEach((sl, k) => {
    const z = new Float64Array(sl.fanOut);
    for (let o = 0; o < sl.fanOut; o++) z[o] = p[off + sl.b + o];
    for (let i = 0; i < sl.fanIn; i++) {
      const ai = a[i];
      const row = off + sl.w + i * sl.fanOut;
      for (let o = 0; o < sl.fanOut; o++) z[o] += ai * p[row + o];
    }
    if (k < slots.length - 1) for (let o = 0; o < sl.fanOut; o++) z[o] = Math.tanh(z[o]);
    a = z;
  });
  return a;
}

/**
 * Forward pass and input Jacobian at one point: J[i][o] = d out_o / d x_i (forward-mode through the
 * layers, float64). Used for RDBDP's autodiff Gammas (spec: "its Gammas come from automatic
 * differentiation of Zhat_n").
 */
export function evalMlpJacobian(s: MlpShape, p: Float32Array | Float64Array, off: number, x: ArrayLike<number>): { out: Float64Array; jac: Float64Array[] } {
  const slots = layerSlots(s);
  let a = Float64Array.from(x);
  // jac rows: d a / d x_i for each input i.
  let jac: Float64Array[] = Array.from({ length: s.inputs }, (_, i) => {
    const e = new Float64Array(s.inputs);
    e[i] = 1;
    return e;
  });
  slots.forEach((sl, k) => {
    const z = new Float64Array(sl.fanOut);
    const dz = jac.map(() => new Float64Array(sl.fanOut));
    for (let o = 0; o < sl.fanOut; o++) z[o] = p[off + sl.b + o];
    for (let i = 0; i < sl.fanIn; i++) {
      const row = off + sl.w + i * sl.fanOut;
      const ai = a[i];
      for (let o = 0; o < sl.fanOut; o++) z[o] += ai * p[row + o];
      for (let r = 0; r < jac.length; r++) {
        const g = jac[r][i];
        if (g === 0) continue;
        const dzr = dz[r];
        for (let o = 0; o < sl.fanOut; o++) dzr[o] += g * p[row + o];
      }
    }
    if (k < slots.length - 1) {
      for (let o = 0; o < sl.fanOut; o++) {
        const t = Math.tanh(z[o]);
        z[o] = t;
        const d = 1 - t * t;
        for (const dzr of dz) dzr[o] *= d;
      }
    }
    a = z;
    jac = dz;
  });
  return { out: a, jac };
}

/**
 * Forward pass of many points at once (float64, row-major): out[r * outputs + o] = network(x_r)_o for the
 * rows x_r = X[r * inputs ..]. Four rows go through each layer together (each weight is loaded once for all
 * four), but every row's arithmetic is exactly `evalMlp`'s (bias, then + a_i w_io for i ascending, then
 * tanh), so a point gives the same bits alone or in a batch. `scratch` (optional) is reused between calls.
 */
export function evalMlpBatch(
  s: MlpShape,
  p: Float32Array | Float64Array,
  off: number,
  X: Float64Array,
  rows: number,
  out: Float64Array,
  scratch?: { a: Float64Array; z: Float64Array },
): void {
  const slots = layerSlots(s);
  const widest = Math.max(s.inputs, s.width, s.outputs);
  const need = 8 * widest;
  const sc = scratch && scratch.a.length >= need ? scratch : { a: new Float64Array(need), z: new Float64Array(need) };
  if (scratch && scratch !== sc) {
    scratch.a = sc.a;
    scratch.z = sc.z;
  }
  const buf = sc.a;
  const last = slots.length - 1;
  const nIn = s.inputs;
  const nOut = s.outputs;
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const lanes = Math.min(4, rows - r0);
    // Activations of lanes 0..3 at buf[l * widest ..]; z of lanes at buf[(4 + l) * widest ..].
    let aBase = 0;
    let zBase = 4 * widest;
    for (let l = 0; l < 4; l++) {
      const src = (r0 + Math.min(l, lanes - 1)) * nIn;
      for (let i = 0; i < nIn; i++) buf[l * widest + i] = X[src + i];
    }
    for (let k = 0; k <= last; k++) {
      const sl = slots[k];
      const fo = sl.fanOut;
      const z0 = zBase;
      const z1 = zBase + widest;
      const z2 = zBase + 2 * widest;
      const z3 = zBase + 3 * widest;
      const bOff = off + sl.b;
      for (let o = 0; o < fo; o++) {
        const b = p[bOff + o];
        buf[z0 + o] = b;
        buf[z1 + o] = b;
        buf[z2 + o] = b;
        buf[z3 + o] = b;
      }
      for (let i = 0; i < sl.fanIn; i++) {
        const a0 = buf[aBase + i];
        const a1 = buf[aBase + widest + i];
        const a2 = buf[aBase + 2 * widest + i];
        const a3 = buf[aBase + 3 * widest + i];
        const row = off + sl.w + i * fo;
        for (let o = 0; o < fo; o++) {
          const w = p[row + o];
          buf[z0 + o] += a0 * w;
          buf[z1 + o] += a1 * w;
          buf[z2 + o] += a2 * w;
          buf[z3 + o] += a3 * w;
        }
      }
      if (k < last) {
        for (let l = 0; l < 4; l++) for (let o = 0; o < fo; o++) buf[zBase + l * widest + o] = Math.tanh(buf[zBase + l * widest + o]);
        const t = aBase;
        aBase = zBase;
        zBase = t;
      } else {
        for (let l = 0; l < lanes; l++) for (let o = 0; o < nOut; o++) out[(r0 + l) * nOut + o] = buf[zBase + l * widest + o];
      }
    }
  }
}
