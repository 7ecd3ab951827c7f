import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MlpLayout, initParams, layerSlots, paramCount } from '../../../../src-main/engine/hedging/network';
import { RowsPass } from '../../../../src-main/engine/hedging/tfMlp';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { netKernels } from '../../../../src-main/engine/tensor/netKernels';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

const layout: MlpLayout = { inputs: 3, hidden: [16, 16, 16], outputs: 2 };
const rows = 2500; // spans several chunks of 1000 rows

function inputs(seed: number, n = rows * layout.inputs): Float32Array {
  const rng = seeded(seed);
  return new Float32Array(n).map(() => rng.normal());
}

/** The same network written with tf ops, for tf.grads. */
function tfForward(x: tf.Tensor2D, ws: tf.Tensor[]): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  const L = ws.length / 2;
  for (let l = 0; l < L; l++) {
    const z = tf.add(tf.matMul(h, ws[2 * l] as tf.Tensor2D), ws[2 * l + 1]) as tf.Tensor2D;
    h = l < L - 1 ? tf.relu(z) : z;
  }
  return h;
}

function paramTensors(params: Float64Array): tf.Tensor[] {
  return layerSlots(layout).flatMap((s) => [
    tf.tensor2d(Float32Array.from(params.subarray(s.wOffset, s.wOffset + s.fanIn * s.fanOut)), [s.fanIn, s.fanOut]),
    tf.tensor1d(Float32Array.from(params.subarray(s.bOffset, s.bOffset + s.fanOut))),
  ]);
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
};
const norm = (a: ArrayLike<number>): number => Math.sqrt(dot(a, a));

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => norm(Array.from(a, (v, j) => v - b[j])) / norm(b);

describe.each([
  ['our wasm kernels', '1'],
  ['tf ops only (HEDGE_NET_KERNELS=0, as on tfjs-node)', '0'],
])('hand-written ReLU network on tfjs (forward, VJP, JVP): %s', (_label, kernels) => {
  beforeAll(async () => {
    await chooseBackend();
  });
  beforeEach(() => {
    process.env.HEDGE_NET_KERNELS = kernels;
  });
  afterEach(() => {
    delete process.env.HEDGE_NET_KERNELS;
  });

  it('uses the kernels exactly when they are on', () => {
    expect(netKernels() !== null).toBe(kernels === '1');
  });

  it('forward matches the same network written with tf ops', () => {
    const params = initParams(layout, seeded(1));
    const x = inputs(2);
    const pass = new RowsPass(layout, params, 1000);
    const out = pass.forward(x, rows, false);
    pass.dispose();
    const ws = paramTensors(params);
    const ref = tf.tidy(() => tfForward(tf.tensor2d(x, [rows, 3]), ws).dataSync());
    ws.forEach((t) => t.dispose());
    for (let j = 0; j < out.length; j += 13) expect(out[j]).toBeCloseTo(ref[j], 5);
  });

  it('VJP equals tf.grads of sum(g * out) for every parameter', () => {
    const params = initParams(layout, seeded(3));
    const x = inputs(4);
    const g = inputs(5, rows * 2);
    const pass = new RowsPass(layout, params, 1000);
    pass.forward(x, rows, true);
    const mine = pass.vjp(g);
    pass.dispose();
    const ws = paramTensors(params);
    const xt = tf.tensor2d(x, [rows, 3]);
    const gt = tf.tensor2d(g, [rows, 2]);
    const grads = tf.grads((...w: tf.Tensor[]) => tf.sum(tf.mul(tfForward(xt, w), gt)))(ws);
    const ref = new Float64Array(paramCount(layout));
    layerSlots(layout).forEach((s, l) => {
      ref.set(grads[2 * l].dataSync(), s.wOffset);
      ref.set(grads[2 * l + 1].dataSync(), s.bOffset);
    });
    [...ws, ...grads, xt, gt].forEach((t) => t.dispose());
    const scale = norm(ref);
    let maxErr = 0;
    for (let j = 0; j < ref.length; j++) maxErr = Math.max(maxErr, Math.abs(mine[j] - ref[j]));
    expect(maxErr / scale).toBeLessThan(1e-5);
  });

  it('a VJP that keeps the linearisation (DHLNN outer step) is the chain: the same gradient, again and again', () => {
    const params = initParams(layout, seeded(13));
    const x = inputs(14);
    const g = inputs(15, rows * 2);
    const pass = new RowsPass(layout, params, 1000);
    pass.forward(x, rows, true);
    const plain = pass.vjp(g);
    const kept1 = pass.vjp(g, 'linear');
    const kept2 = pass.vjp(g, 'linear');
    const last = pass.vjp(g, 'free');
    const none = pass.vjp(g); // everything was freed: no rows left
    pass.dispose();
    expect(Array.from(kept1)).toEqual(Array.from(plain));
    expect(Array.from(kept2)).toEqual(Array.from(plain));
    expect(Array.from(last)).toEqual(Array.from(plain));
    expect(none.every((v) => v === 0)).toBe(true);
  });

  it('once a JVP has linearised a point, VJPs there agree with the chain to float32 rounding and stay adjoint', () => {
    const params = initParams(layout, seeded(16));
    const x = inputs(17);
    const rng = seeded(18);
    const d = new Float64Array(params.length).map(() => rng.normal());
    const e = inputs(19, rows * 2);
    const pass = new RowsPass(layout, params, 1000);
    pass.forward(x, rows, true);
    const chain = pass.vjp(e, 'linear');
    const jd = pass.jvp(d);
    const jte = pass.vjp(e);
    pass.dispose();
    if (kernels === '1') {
      // through the output sensitivities: the same sums in another float32 order
      expect(relErr(jte, chain)).toBeLessThan(1e-5);
      expect(relErr(jte, chain)).toBeGreaterThan(0); // (and it is that path, not the chain again)
    } else expect(Array.from(jte)).toEqual(Array.from(chain));
    expect(Math.abs(dot(jd, e) - dot(d, jte)) / (norm(jd) * norm(e))).toBeLessThan(1e-5);
  });

  it('JVP matches central finite differences of the outputs and is the adjoint of the VJP', () => {
    const params = initParams(layout, seeded(6));
    const x = inputs(7);
    const rng = seeded(8);
    const d = new Float64Array(params.length).map(() => rng.normal());
    const pass = new RowsPass(layout, params, 1000);
    pass.forward(x, rows, true);
    const jd = pass.jvp(d);
    const e = inputs(9, rows * 2);
    const jte = pass.vjp(e);
    pass.dispose();
    // <J d, e> = <d, J^T e> (exact up to float32 rounding)
    expect(dot(jd, e)).toBeCloseTo(dot(d, jte), 1);
    expect(Math.abs(dot(jd, e) - dot(d, jte)) / (norm(jd) * norm(e))).toBeLessThan(1e-5);
    // central differences in float32 along d (|d| ~ 1 per parameter): a step small enough that few ReLU
    // masks flip, large enough that float32 rounding stays below 1e-4 of the outputs' change
    const h = 1e-3;
    const at = (s: number): Float32Array => {
      const p = params.map((v, j) => v + s * d[j]);
      const q = new RowsPass(layout, p, 1000);
      const o = q.forward(x, rows, false);
      q.dispose();
      return o;
    };
    const plus = at(h);
    const minus = at(-h);
    const fd = plus.map((v, j) => (v - minus[j]) / (2 * h));
    const err = norm(fd.map((v, j) => v - jd[j]));
    expect(err / norm(jd)).toBeLessThan(2e-2);
  });

  it('the linearisation fhat = f(w^r) + J (w - w^r) is exact at w^r and accurate to first order', () => {
    const params = initParams(layout, seeded(10));
    const x = inputs(11);
    const rng = seeded(12);
    const d = new Float64Array(params.length).map(() => rng.normal());
    const pass = new RowsPass(layout, params, 1000);
    const f0 = pass.forward(x, rows, true);
    const gap = (eps: number): number => {
      const jd = pass.jvp(d.map((v) => eps * v));
      const q = new RowsPass(layout, params.map((v, j) => v + eps * d[j]), 1000);
      const f = q.forward(x, rows, false);
      q.dispose();
      return norm(f.map((v, j) => v - (f0[j] + jd[j])));
    };
    // exact at w^r: J 0 = 0
    expect(norm(pass.jvp(new Float64Array(params.length)))).toBe(0);
    const e1 = gap(0.04);
    const e2 = gap(0.02);
    const e3 = gap(0.01);
    pass.dispose();
    // the remainder is O(eps^2): halving eps divides it by about 4
    expect(e1 / e2).toBeGreaterThan(2.5);
    expect(e1 / e2).toBeLessThan(6);
    expect(e2 / e3).toBeGreaterThan(2.5);
    expect(e2 / e3).toBeLessThan(6);
  });
});
