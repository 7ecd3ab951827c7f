import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src-main/engine/cancel';
import { type HestonSolution, loadHestonSolution, solveHeston } from '../../../../src-main/engine/heston/solver';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { type HestonSolveConfig, hestonProgressTotal, hestonSolveConfigSchema } from '../../../../src-shared/heston/config';
import { GREEK_NAMES, H1_CLAIM, H1_MARKET } from '../../../../src-shared/heston/types';

/**
 * The Heston solver end to end on a tiny grid (N = 4, 4 exercise dates, 16 x 2 networks): progress, exercise
 * flags, the stored-run round trip (meta through JSON, weights as float32 blobs), cancellation, and the RDBDP
 * autodiff second-order Greeks against finite differences of its own first-order ones.
 */
const tiny = (scheme: 'osm' | 'rdbdp'): HestonSolveConfig =>
  hestonSolveConfigSchema.parse({
    market: H1_MARKET,
    claim: { ...H1_CLAIM, exerciseDates: 4 },
    scheme,
    steps: 4,
    width: 16,
    depth: 2,
    batch: 128,
    iterationsLast: 120,
    iterationsOther: 40,
    learningRate: 5e-3,
    learningRateEnd: 1e-4,
    t0Samples: 16384,
    seed: 5,
  });

const solved: Partial<Record<'osm' | 'rdbdp', { sol: HestonSolution; dones: number[]; totals: number[] }>> = {};

beforeAll(async () => {
  await chooseBackend();
  for (const scheme of ['osm', 'rdbdp'] as const) {
    const dones: number[] = [];
    const totals: number[] = [];
    const sol = await solveHeston(tiny(scheme), { onProgress: (d, t) => (dones.push(d), totals.push(t)) });
    solved[scheme] = { sol, dones, totals };
  }
}, 120_000);

describe.each(['osm', 'rdbdp'] as const)('solveHeston (%s, tiny)', (scheme) => {
  it('reports progress up to hestonProgressTotal and gives finite t = 0 Greeks of the right signs', () => {
    const { sol, dones, totals } = solved[scheme]!;
    const total = hestonProgressTotal(tiny(scheme));
    expect(new Set(totals)).toEqual(new Set([total]));
    expect(dones.at(-1)).toBe(total);
    expect(dones.every((d, i) => i === 0 || d >= dones[i - 1])).toBe(true);
    expect(sol.scheme).toBe(scheme);
    for (const k of GREEK_NAMES) expect(Number.isFinite(sol.t0[k])).toBe(true);
    // An in-the-money put (K = 11, S0 = 10): price above intrinsic 1, Delta in (-1, 0), Vega > 0.
    expect(sol.t0.price).toBeGreaterThan(1);
    expect(sol.t0.price).toBeLessThan(1.5);
    expect(sol.t0.delta).toBeLessThan(0);
    expect(sol.t0.delta).toBeGreaterThan(-1);
    expect(sol.t0.vega).toBeGreaterThan(0);
    expect(sol.t0StdErr.price!).toBeGreaterThan(0);
    expect(sol.t0StdErr.price!).toBeLessThan(0.01);
  });

  it('flags exercise deep in the money on an exercise date (price = intrinsic, Delta = -1) and not out of it', () => {
    const { sol } = solved[scheme]!;
    const at = sol.source.at(2, Float64Array.of(6, 11.8), Float64Array.of(0.0625, 0.0625));
    expect(Array.from(at.exercise)).toEqual([1, 0]);
    expect(at.price[0]).toBe(5);
    expect(at.delta[0]).toBe(-1);
    expect(at.gamma[0]).toBe(0);
    expect(at.price[1]).toBeGreaterThan(0);
    const end = sol.source.at(4, Float64Array.of(10, 12), Float64Array.of(0.1, 0.1));
    expect(Array.from(end.exercise)).toEqual([1, 0]);
    expect(Array.from(end.price)).toEqual([1, 0]);
  });

  it('reproduces the same Greeks after a store round trip (JSON meta + float32 weights)', () => {
    const { sol } = solved[scheme]!;
    const { meta, arrays } = sol.serialize();
    const stored = JSON.parse(JSON.stringify(meta)) as unknown;
    const blob = new Float32Array(new Uint8Array(new Uint8Array(arrays.weights.buffer).slice()).buffer);
    const back = loadHestonSolution(stored, { weights: blob });
    expect(back.t0).toEqual(sol.t0);
    expect(back.t0StdErr).toEqual(sol.t0StdErr);
    const S = Float64Array.of(9, 10, 11, 12);
    const nu = Float64Array.of(0.04, 0.0625, 0.09, 0.16);
    for (let n = 0; n <= 4; n++) expect(back.source.at(n, S, nu)).toEqual(sol.source.at(n, S, nu));
    back.dispose();
    expect(() => back.source.at(1, S, nu)).toThrow(/disposed/);
    expect(() => loadHestonSolution({ format: 'other' }, arrays)).toThrow(/unknown format/);
    expect(() => loadHestonSolution(stored, { weights: new Float32Array(3) })).toThrow(/expected \d+ weights/);
  });
});

describe('RDBDP second-order Greeks (tf.grad of Zhat)', () => {
  it('Gamma and Vomma equal finite differences of its own Delta and Vega (same networks)', () => {
    const { sol } = solved.rdbdp!;
    const n = 1;
    const s = 10.3;
    const v = 0.07;
    const hs = 1e-2;
    const hv = 1e-3;
    const at = (S: number, nu: number) => sol.source.at(n, Float64Array.of(S), Float64Array.of(nu));
    const mid = at(s, v);
    const gammaFd = (at(s + hs, v).delta[0] - at(s - hs, v).delta[0]) / (2 * hs);
    const vommaFd = (at(s, v + hv).vega[0] - at(s, v - hv).vega[0]) / (2 * hv);
    expect(mid.gamma[0]).toBeCloseTo(gammaFd, 3);
    expect(Math.abs(mid.vomma[0] - vommaFd)).toBeLessThan(1e-3 * Math.max(1, Math.abs(vommaFd)));
  });
});

describe('cancellation', () => {
  it('an aborted signal rejects with CancelledError', async () => {
    const ac = new AbortController();
    const p = solveHeston(tiny('osm'), { signal: ac.signal, onProgress: (d) => d > 50 && ac.abort() });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
  });
});
