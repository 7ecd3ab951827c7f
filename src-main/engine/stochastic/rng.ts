import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { type RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * Seeded random numbers for every simulation in the engine. Uniform bits come from pure-rand's
 * xoroshiro128+ (period 2^128 - 1); normals from a 256-layer ziggurat (Marsaglia & Tsang 2000, in the
 * layout of Doornik 2005 "An improved ziggurat method", as used by Rust's rand_distr).
 *
 * The same seed gives the same stream on every platform (integer arithmetic plus Math.exp/log only in
 * the rare wedge/tail branches, which V8 computes with fdlibm-derived code). Runs record their seed so
 * that a run can be replayed exactly.
 */
export interface Rng {
  /** Uniform on the open interval (0, 1), 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Fill `out` with i.i.d. standard normals, out[0] first (the same stream as repeated `normal()`). */
  fillNormal(out: Float64Array): void;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_M53 = 1.1102230246251565e-16;

/** Ziggurat layers: 256, right edge R of the base layer, common area V of the layers (f unnormalised). */
const ZIG_LAYERS = 256;
const ZIG_R = 3.654152885361008796;
const ZIG_V = 0.00492867323399;

/**
 * Layer tables for f(x) = exp(-x^2/2): X[0] = V / f(R) (the base layer's virtual width), X[1] = R,
 * X[i+1] = f^{-1}(V / X[i] + f(X[i])), X[256] = 0; F[i] = f(X[i]). Lengths 257.
 */
function zigguratTables(): { x: Float64Array; f: Float64Array } {
  const x = new Float64Array(ZIG_LAYERS + 1);
  const f = new Float64Array(ZIG_LAYERS + 1);
  const pdf = (t: number): number => Math.exp(-0.5 * t * t);
  x[0] = ZIG_V / pdf(ZIG_R);
  x[1] = ZIG_R;
  for (let i = 1; i < ZIG_LAYERS - 1; i++) x[i + 1] = Math.sqrt(-2 * Math.log(ZIG_V / x[i] + pdf(x[i])));
  x[ZIG_LAYERS] = 0;
  for (let i = 0; i <= ZIG_LAYERS; i++) f[i] = pdf(x[i]);
  return { x, f };
}

const ZIG = zigguratTables();

/** murmur3 fmix32: a bijective scrambler, so nearby seeds give unrelated generator states. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

class ZigguratRng implements Rng {
  readonly gen: RandomGenerator;
  private readonly zx: Float64Array = ZIG.x;
  private readonly zf: Float64Array = ZIG.f;

  constructor(gen: RandomGenerator) {
    this.gen = gen;
  }

  uniform(): number {
    // 27 + 26 high-ish bits of two 32-bit outputs (xoroshiro128+'s lowest bits are its weakest), + 1/2 ulp
    // so that 0 cannot occur: the result is in [2^-54, 1 - 2^-54].
    const a = this.gen.next() >>> 5;
    const b = this.gen.next() >>> 6;
    return (a * 67108864 + b + 0.5) * TWO_POW_M53;
  }

  normal(): number {
    const zx = this.zx;
    const zf = this.zf;
    for (;;) {
      const a = this.gen.next();
      const b = this.gen.next() >>> 0;
      const i = a >>> 24; // layer from the top 8 bits
      // signed uniform in (-1, 1) from the remaining 21 bits of a and all 32 of b (53 bits)
      const u = (((a & 0x1fffff) * TWO_POW_32 + b + 0.5) * TWO_POW_M53) * 2 - 1;
      const x = u * zx[i];
      if (Math.abs(x) < zx[i + 1]) return x; // inside the layer's rectangle: ~98.8% of draws
      if (i === 0) return u < 0 ? -this.tail() : this.tail();
      // wedge: accept under the density
      if (zf[i + 1] + (zf[i] - zf[i + 1]) * this.uniform() < Math.exp(-0.5 * x * x)) return x;
    }
  }

  /** |Z| conditioned on |Z| > R (Marsaglia 1964): x = -ln(U1)/R, accept if -2 ln(U2) > x^2. */
  private tail(): number {
    for (;;) {
      const x = -Math.log(this.uniform()) / ZIG_R;
      const y = -Math.log(this.uniform());
      if (2 * y > x * x) return ZIG_R + x;
    }
  }

  fillNormal(out: Float64Array): void {
    const n = out.length;
    for (let k = 0; k < n; k++) out[k] = this.normal();
  }
}

/**
 * A deterministic generator for `seed`: xoroshiro128+ (pure-rand) with its 128-bit state derived from
 * the seed by a bijective scrambler, then 16 outputs discarded.
 * @param seed any integer (taken modulo 2^32; the schema restricts run seeds to [0, 2^32)).
 */
export function seeded(seed: number): Rng {
  const s = seed >>> 0;
  const state: number[] = [0, 1, 2, 3].map((k) => fmix32((s + Math.imul(k + 1, 0x9e3779b9)) | 0));
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1; // all-zero is xoroshiro's fixed point
  const gen = xoroshiro128plusFromState(state);
  for (let k = 0; k < 16; k++) gen.next();
  return new ZigguratRng(gen);
}

/**
 * The position of a generator made by `seeded` (or `resumeRng`): xoroshiro128+'s 128-bit state as four
 * 32-bit integers. The ziggurat keeps no buffered draws, so this is the whole state: `resumeRng(rngState(r))`
 * continues r's stream exactly (a resumed job draws what the uninterrupted one would have).
 */
export function rngState(rng: Rng): number[] {
  if (!(rng instanceof ZigguratRng)) throw new Error('rngState: only generators made by seeded() or resumeRng() have a state to save');
  return [...rng.gen.getState()];
}

/** A generator continuing from a state saved by `rngState`. */
export function resumeRng(state: readonly number[]): Rng {
  if (state.length !== 4 || !state.every((x) => Number.isInteger(x) && x >= -0x80000000 && x <= 0xffffffff)) {
    throw new Error(`a saved random-number state is four 32-bit integers; got ${JSON.stringify(state).slice(0, 80)}`);
  }
  return new ZigguratRng(xoroshiro128plusFromState(state));
}
