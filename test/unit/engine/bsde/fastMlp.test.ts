import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FastMlp, HostAdam, transposeHost, transposeWithOnes } from '../../../../src-main/engine/bsde/fastMlp';
import { FlatAdam, TfMlp, disposeCache } from '../../../../src-main/engine/bsde/mlp';
import { type MlpShape, evalMlp, initParams } from '../../../../src-main/engine/bsde/mlpLayout';
import { seeded } from '../../../../src-main/engine/stochastic/rng';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';

/**
 * The fused training network (sigmoid-folded forward, host transposes, host Adam) against the reference
 * implementations it replaces: mlp.ts's TfMlp/FlatAdam (tfjs reverse mode) and mlpLayout's float64 evalMlp.
 * Tolerances are float32 rounding: the folded weights (4 W, 2 (b - 1^T W)) round differently from tanh's
 * 2 sigmoid(2 z) - 1 on the activations, a few ulps of O(1) values.
 */
beforeAll(async () => {
  await chooseBackend();
});

const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
};

describe.each([
  { inputs: 5, width: 48, depth: 2, outputs: 30 },
  { inputs: 3, width: 16, depth: 3, outputs: 2 },
  { inputs: 2, width: 8, depth: 1, outputs: 1 },
] satisfies MlpShape[])('FastMlp %o', (shape) => {
  const rng = seeded(7);
  const params = initParams(shape, rng, 1);
  const R = 64;
  const x = Float32Array.from({ length: R * shape.inputs }, () => rng.normal());
  const gOut = Float32Array.from({ length: R * shape.outputs }, () => rng.normal());

  it('forward equals evalMlp (float64) and TfMlp within float32 rounding, whole and by output columns', () => {
    const fast = new FastMlp(shape, params);
    const out = fast.forward(tf.tensor2d(x, [R, shape.inputs]));
    const got = out.dataSync();
    const ref = new Float64Array(R * shape.outputs);
    for (let r = 0; r < R; r++) ref.set(evalMlp(shape, params, 0, x.subarray(r * shape.inputs, (r + 1) * shape.inputs)), r * shape.outputs);
    expect(maxRel(got, ref)).toBeLessThan(2e-6);
    const train = fast.forwardTrain(x, R);
    expect(maxRel(train.out, ref)).toBeLessThan(2e-6);
    if (shape.outputs > 1) {
      const part = fast.forward(tf.tensor2d(x, [R, shape.inputs]), { cols: [1, shape.outputs] }).dataSync();
      for (let r = 0; r < R; r++) for (let o = 1; o < shape.outputs; o++) expect(part[r * (shape.outputs - 1) + o - 1]).toBeCloseTo(got[r * shape.outputs + o], 5);
    }
    const f = fast.features(tf.tensor2d(x, [R, shape.inputs])).dataSync();
    const tfRef = new TfMlp(shape, params);
    expect(maxRel(f, tfRef.features(tf.tensor2d(x, [R, shape.inputs])).dataSync())).toBeLessThan(2e-6);
    tfRef.dispose();
    fast.dispose();
  });

  it('backward gives the parameter gradient of TfMlp.backward, and an Adam step moves both alike', () => {
    const fast = new FastMlp(shape, params);
    const { cache } = fast.forwardTrain(x, R);
    const grad = new Float32Array(fast.size);
    fast.backward(cache, gOut, grad);
    const ref = new TfMlp(shape, params);
    const xt = tf.tensor2d(x, [R, shape.inputs]);
    const f = ref.forward(xt, { cache: true });
    const g = ref.backward(f.cache!, tf.tensor2d(gOut, [R, shape.outputs]));
    expect(maxRel(grad, g.dataSync())).toBeLessThan(1e-5);
    // A finite difference of one weight of the first layer confirms the sign and scale independently.
    const k = 3;
    const h = 1e-2;
    const loss = (p: Float32Array): number => {
      let s = 0;
      for (let r = 0; r < R; r++) {
        const o = evalMlp(shape, p, 0, x.subarray(r * shape.inputs, (r + 1) * shape.inputs));
        for (let c = 0; c < shape.outputs; c++) s += gOut[r * shape.outputs + c] * o[c];
      }
      return s;
    };
    const up = Float32Array.from(params);
    const dn = Float32Array.from(params);
    up[k] += h;
    dn[k] -= h;
    expect(grad[k]).toBeCloseTo((loss(up) - loss(dn)) / (2 * h), 2);

    const adamRef = new FlatAdam(fast.size);
    const adam = new HostAdam(fast.size);
    for (let i = 0; i < 3; i++) {
      adamRef.step(ref.theta, g, 1e-2);
      adam.step(fast.params, grad, 1e-2);
    }
    expect(maxRel(fast.params, ref.read())).toBeLessThan(1e-6);
    tf.dispose([xt, f.out, g]);
    disposeCache(f.cache);
    adamRef.dispose();
    ref.dispose();
    fast.dispose();
  });
});

describe('host helpers', () => {
  it('transposeHost and transposeWithOnes transpose (the latter with a row of ones)', () => {
    const rng = seeded(3);
    const R = 50;
    const w = 7;
    const f = Float32Array.from({ length: R * w }, () => rng.normal());
    const t = transposeHost(f, R, w);
    const t1 = transposeWithOnes(f, R, w);
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < w; c++) {
        expect(t[c * R + r]).toBe(f[r * w + c]);
        expect(t1[c * R + r]).toBe(f[r * w + c]);
      }
      expect(t1[w * R + r]).toBe(1);
    }
  });
});
