import { type Rng } from '../stochastic/rng';

/**
 * Layout, parameter vector and initialisation of the fully connected ReLU networks of the deep hedgers
 * (deep-hedging spec, "Hedgers": 4 hidden layers of 64 units, ReLU; linear output layer).
 *
 * Convention (row vectors): h_0 = x, z_l = h_{l-1} W_l + b_l, h_l = relu(z_l) for the hidden layers,
 * out = h_L W_{L+1} + b_{L+1}. W_l has shape [fanIn x fanOut] (row-major), b_l [fanOut].
 *
 * All parameters live in ONE flat Float64Array (the optimiser's master copy), layer by layer:
 * W_1, b_1, W_2, b_2, ..., W_{L+1}, b_{L+1}. Networks are evaluated in float32 (tfjs); the flat vector is
 * rounded to float32 when uploaded.
 */
export interface MlpLayout {
  /** Input features per row. */
  inputs: number;
  /** Units of each hidden layer, e.g. [64, 64, 64, 64]. */
  hidden: number[];
  /** Outputs per row (2 for the band widths of NTB/DHLNN, 1 for the DHMLP position). */
  outputs: number;
}

export interface LayerSlot {
  fanIn: number;
  fanOut: number;
  /** Offset of W (fanIn * fanOut values, row-major) in the flat vector. */
  wOffset: number;
  /** Offset of b (fanOut values). */
  bOffset: number;
}

/** Every affine layer (hidden ones then the output layer) with its place in the flat parameter vector. */
export function layerSlots(layout: MlpLayout): LayerSlot[] {
  const sizes = [layout.inputs, ...layout.hidden, layout.outputs];
  const slots: LayerSlot[] = [];
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    slots.push({ fanIn, fanOut, wOffset: off, bOffset: off + fanIn * fanOut });
    off += fanIn * fanOut + fanOut;
  }
  return slots;
}

/** Number of parameters: sum over layers of fanIn * fanOut + fanOut. */
export function paramCount(layout: MlpLayout): number {
  const s = layerSlots(layout);
  const last = s[s.length - 1];
  return last.bOffset + last.fanOut;
}

/**
 * PyTorch's default `nn.Linear` initialisation: every weight and bias uniform on
 * (-1/sqrt(fanIn), 1/sqrt(fanIn)), drawn from `rng` layer by layer (W then b, row-major).
 * @returns a new flat parameter vector of length `paramCount(layout)`.
 */
export function initParams(layout: MlpLayout, rng: Rng): Float64Array {
  const params = new Float64Array(paramCount(layout));
  for (const s of layerSlots(layout)) {
    const bound = 1 / Math.sqrt(s.fanIn);
    for (let j = 0; j < s.fanIn * s.fanOut; j++) params[s.wOffset + j] = (2 * rng.uniform() - 1) * bound;
    for (let j = 0; j < s.fanOut; j++) params[s.bOffset + j] = (2 * rng.uniform() - 1) * bound;
  }
  return params;
}

/**
 * Multiply-adds of one forward pass per row: sum over layers of fanIn * fanOut. FLOPs of a forward pass are
 * 2x this; a backward pass (input and weight gradients) about 4x; a forward-mode (JVP) pass about 4x.
 */
export function macsPerRow(layout: MlpLayout): number {
  return layerSlots(layout).reduce((n, s) => n + s.fanIn * s.fanOut, 0);
}

/** The weights of each layer as separate Float32Arrays with their shapes (for storage with a run). */
export function splitLayers(layout: MlpLayout, params: Float64Array): Array<{ w: Float32Array; b: Float32Array; weight: [number, number]; bias: [number] }> {
  return layerSlots(layout).map((s) => ({
    w: Float32Array.from(params.subarray(s.wOffset, s.wOffset + s.fanIn * s.fanOut)),
    b: Float32Array.from(params.subarray(s.bOffset, s.bOffset + s.fanOut)),
    weight: [s.fanIn, s.fanOut],
    bias: [s.fanOut],
  }));
}

/** Inverse of `splitLayers`: the flat vector from per-layer arrays (shapes checked against the layout). */
export function joinLayers(layout: MlpLayout, layers: Array<{ w: ArrayLike<number>; b: ArrayLike<number> }>): Float64Array {
  const slots = layerSlots(layout);
  if (layers.length !== slots.length) throw new Error(`expected ${slots.length} layers, got ${layers.length}`);
  const params = new Float64Array(paramCount(layout));
  slots.forEach((s, l) => {
    if (layers[l].w.length !== s.fanIn * s.fanOut || layers[l].b.length !== s.fanOut) {
      throw new Error(`layer ${l}: expected W ${s.fanIn}x${s.fanOut} and b ${s.fanOut}, got ${layers[l].w.length} and ${layers[l].b.length} values`);
    }
    params.set(Array.from(layers[l].w), s.wOffset);
    params.set(Array.from(layers[l].b), s.bOffset);
  });
  return params;
}
