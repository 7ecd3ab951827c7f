import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { netKernels } from '../../../../src-main/engine/tensor/netKernels';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

/**
 * The wasm network kernels (src-main/engine/tensor/kernels/netKernels.wat) against the plain scalar float32 loops
 * they promise to equal bit for bit: c = fround(c + fround(a * b)) in a fixed order. Shapes cover the 4 x 8 tiles,
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

/** bias, then a b in order of m, then a2 b2; then the epilogue. */
function refAb(a: Float32Array, b: Float32Array, R: number, M: number, N: number, o: { a2?: Float32Array; b2?: Float32Array; M2?: number; bias?: Float32Array; relu?: boolean; mask?: Float32Array }): Float32Array {
  const c = new Float32Array(R * N);
  const M2 = o.M2 ?? 0;
  for (let r = 0; r < R; r++)
    for (let j = 0; j < N; j++) {
      let s = o.bias ? o.bias[j] : 0;
      for (let m = 0; m < M; m++) s = f(s + f(a[r * M + m] * b[m * N + j]));
      for (let m = 0; m < M2; m++) s = f(s + f(o.a2![r * M2 + m] * o.b2![m * N + j]));
      if (o.relu) s = s > 0 ? s : 0;
      if (o.mask) s = o.mask[r * N + j] > 0 ? s : 0;
      c[r * N + j] = s;
    }
  return c;
}

/** Tensors made for one test (`t2` uploads a [r x c] matrix), all disposed with tf.dispose(ts) at its end. */
function tracked(): { ts: tf.Tensor[]; t2: (v: Float32Array, r: number, c: number) => tf.Tensor2D } {
  const ts: tf.Tensor[] = [];
  return {
    ts,
    t2: (v, r, c) => {
      const t = tf.tensor2d(v, [r, c]);
      ts.push(t);
      return t;
    },
  };
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
    delete process.env.HEDGE_NET_KERNELS;
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
      const kern = netKernels()!;
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

  const abShapes: Array<[number, number, number, number]> = [
    [1, 1, 8, 0],
    [3, 5, 8, 0],
    [4, 64, 64, 64],
    [10_000, 64, 64, 64],
    [1001, 3, 64, 64],
    [7, 2, 16, 5],
    [2500, 16, 16, 16],
  ];
  for (const [R, M, N, M2] of abShapes) {
    for (const epi of ['none', 'relu', 'mask'] as const) {
      it(`ab equals the scalar float32 loop bit for bit: R ${R}, M ${M}, N ${N}, second product M2 ${M2}, ${epi}`, () => {
        const kern = netKernels()!;
        const av = randn(R + M, R * M);
        const bv = randn(M * 3 + N, M * N);
        const a2v = M2 ? randn(R + 5, R * M2) : undefined;
        const b2v = M2 ? randn(N + 9, M2 * N) : undefined;
        const biasV = epi === 'none' ? undefined : randn(N, N);
        const maskV = epi === 'mask' ? randn(R * 2 + 1, R * N) : undefined;
        const { ts, t2 } = tracked();
        try {
          const bias = biasV ? tf.tensor1d(biasV) : undefined;
          if (bias) ts.push(bias);
          const out = kern.ab(t2(av, R, M), t2(bv, M, N), {
            a2: a2v && t2(a2v, R, M2),
            b2: b2v && t2(b2v, M2, N),
            bias,
            relu: epi === 'relu',
            mask: maskV && t2(maskV, R, N),
          });
          ts.push(out);
          expect(out.shape).toEqual([R, N]);
          const ref = refAb(av, bv, R, M, N, { a2: a2v, b2: b2v, M2, bias: biasV, relu: epi === 'relu', mask: maskV });
          expect(Buffer.from((out.dataSync() as Float32Array).buffer)).toEqual(Buffer.from(ref.buffer));
          if (epi !== 'none') expect(ref.some((x) => x === 0) && ref.some((x) => x !== 0)).toBe(true); // the epilogue did something
        } finally {
          tf.dispose(ts);
        }
      });
    }
  }

  it('ab refuses shapes it does not take, and its output is an ordinary tensor (tidy disposes it)', () => {
    const kern = netKernels()!;
    const a = tf.zeros([10, 4]) as tf.Tensor2D;
    const b = tf.zeros([4, 12]) as tf.Tensor2D;
    const b8 = tf.zeros([4, 8]) as tf.Tensor2D;
    try {
      expect(() => kern.ab(a, b)).toThrow(/not a multiple of 8/);
      expect(() => kern.ab(a, b8, { a2: a })).toThrow(/go together/);
      expect(() => kern.ab(a, b8, { mask: a })).toThrow(/mask/);
      const before = tf.memory().numTensors;
      tf.tidy(() => void kern.ab(a, b8, { relu: true }));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      tf.dispose([a, b, b8]);
    }
  });

  for (const [K, N, O] of [
    [1, 4, 1],
    [37, 8, 2],
    [1000, 64, 2],
    [10, 12, 3],
  ] as Array<[number, number, number]>) {
    it(`rowScaleAdd and rowDot equal their scalar float32 loops bit for bit: K ${K}, N ${N}, O ${O}`, () => {
      const kern = netKernels()!;
      const sv = Array.from({ length: O }, (_, o) => randn(100 + o, K * N));
      const gv = randn(7, K * O);
      const pv = randn(8, K * N);
      const outStart = randn(9, K * O);
      const { ts, t2 } = tracked();
      try {
        const g = t2(gv, K, O);
        const p = t2(pv, K, N);
        const d = kern.empty(K, N);
        ts.push(d);
        const out = t2(outStart, K, O); // rowDot adds to what is there
        sv.forEach((v, o) => {
          const sT = t2(v, K, N);
          kern.rowScaleAdd(sT, g, o, d, o === 0);
          kern.rowDot(sT, p, out, o);
        });
        const refD = new Float32Array(K * N);
        const refOut = Float32Array.from(outStart);
        for (let r = 0; r < K; r++) {
          for (let j = 0; j < N; j++) {
            let acc = 0;
            for (let o = 0; o < O; o++) acc = f(acc + f(gv[r * O + o] * sv[o][r * N + j]));
            refD[r * N + j] = acc;
          }
          for (let o = 0; o < O; o++) {
            const lanes = [0, 0, 0, 0];
            for (let j = 0; j < N; j++) lanes[j % 4] = f(lanes[j % 4] + f(sv[o][r * N + j] * pv[r * N + j]));
            refOut[r * O + o] = f(refOut[r * O + o] + f(f(f(lanes[0] + lanes[1]) + lanes[2]) + lanes[3]));
          }
        }
        expect(Buffer.from((d.dataSync() as Float32Array).buffer)).toEqual(Buffer.from(refD.buffer));
        expect(Buffer.from((out.dataSync() as Float32Array).buffer)).toEqual(Buffer.from(refOut.buffer));
      } finally {
        tf.dispose(ts);
      }
    });
  }

  it('keeps working after the backend heap grows (the kernels import its memory, not a copy)', () => {
    const kern = netKernels()!;
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

  it('refuses tensors of different row counts, and is off with HEDGE_NET_KERNELS=0', () => {
    const kern = netKernels()!;
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
    process.env.HEDGE_NET_KERNELS = '0';
    expect(netKernels()).toBeNull();
  });
});
