import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { gradKernels } from '../../../../src-main/engine/tensor/gradKernels';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

/**
 * The wasm gradient kernels (src-main/engine/tensor/kernels/gradKernels.wat) against the plain scalar float32 loop
 * they promise to equal bit for bit: c = fround(c + fround(a * b)), rows in order. Shapes cover the 4 x 8 tiles,
 * tail rows, tail columns, the tail corner, K across the 48-row blocks, and an accumulator that already holds values.
 */
const f = Math.fround;

function refAtb(a: Float32Array, b: Float32Array, c: Float32Array, K: number, M: number, N: number): void {
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = c[i * N + j];
      for (let k = 0; k < K; k++) s = f(s + f(a[k * M + i] * b[k * N + j]));
      c[i * N + j] = s;
    }
}

function refColsum(a: Float32Array, c: Float32Array, K: number, M: number): void {
  for (let i = 0; i < M; i++) {
    let s = c[i];
    for (let k = 0; k < K; k++) s = f(s + a[k * M + i]);
    c[i] = s;
  }
}

const randn = (seed: number, n: number): Float32Array => {
  const rng = seeded(seed);
  return new Float32Array(n).map(() => rng.normal());
};

describe('wasm gradient kernels', () => {
  beforeAll(async () => {
    expect((await chooseBackend()).name).toBe('wasm'); // the kernels are for this backend; the suite runs on it
  });
  afterEach(() => {
    delete process.env.HEDGE_GRAD_KERNELS;
  });

  it('the embedded binary is what the .wat source assembles to (node scripts/build-kernels.mjs --check)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/build-kernels.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  const shapes: Array<[number, number, number]> = [
    [1, 1, 1],
    [47, 4, 8],
    [48, 8, 16],
    [49, 5, 9],
    [97, 3, 64],
    [130, 64, 3],
    [1000, 2, 64],
    [1000, 64, 1],
    [2500, 16, 16],
    [10_000, 64, 64],
    [333, 7, 13],
  ];
  for (const [K, M, N] of shapes) {
    it(`atb and colsum equal the scalar float32 loop bit for bit: K ${K}, M ${M}, N ${N}`, () => {
      const kern = gradKernels()!;
      expect(kern).not.toBeNull();
      const av = randn(K * 7 + M, K * M);
      const bv = randn(N * 11 + K, K * N);
      const a = tf.tensor2d(av, [K, M]);
      const b = tf.tensor2d(bv, [K, N]);
      const c = kern.alloc(M * N);
      const s = kern.alloc(M);
      try {
        // twice: the second call adds to what the first left, as the accumulators do across chunks
        kern.atb(a, b, c);
        kern.atb(a, b, c);
        kern.colsum(a, s);
        const ref = new Float32Array(M * N);
        refAtb(av, bv, ref, K, M, N);
        refAtb(av, bv, ref, K, M, N);
        expect(Buffer.from(kern.read(c, M * N).buffer)).toEqual(Buffer.from(ref.buffer));
        const refS = new Float32Array(M);
        refColsum(av, refS, K, M);
        expect(Buffer.from(kern.read(s, M).buffer)).toEqual(Buffer.from(refS.buffer));
      } finally {
        a.dispose();
        b.dispose();
        kern.free(c);
        kern.free(s);
      }
    });
  }

  it('keeps working after the backend heap grows (the kernels import its memory, not a copy)', () => {
    const kern = gradKernels()!;
    const K = 300;
    const av = randn(5, K * 8);
    const a = tf.tensor2d(av, [K, 8]);
    const c = kern.alloc(64);
    const big = tf.zeros([64, 1024, 1024]); // 256 MB: forces memory.grow
    try {
      kern.atb(a, a, c);
      const ref = new Float32Array(64);
      refAtb(av, av, ref, K, 8, 8);
      expect(Buffer.from(kern.read(c, 64).buffer)).toEqual(Buffer.from(ref.buffer));
    } finally {
      big.dispose();
      a.dispose();
      kern.free(c);
    }
  });

  it('refuses tensors of different row counts, and is off with HEDGE_GRAD_KERNELS=0', () => {
    const kern = gradKernels()!;
    const a = tf.zeros([10, 4]) as tf.Tensor2D;
    const b = tf.zeros([11, 4]) as tf.Tensor2D;
    const c = kern.alloc(16);
    try {
      expect(() => kern.atb(a, b, c)).toThrow(/different row counts/);
    } finally {
      a.dispose();
      b.dispose();
      kern.free(c);
    }
    process.env.HEDGE_GRAD_KERNELS = '0';
    expect(gradKernels()).toBeNull();
  });
});
