import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src-main/engine/cancel';
import { evaluateSolution } from '../../../../src-main/engine/bsde/solution';
import { solveBook } from '../../../../src-main/engine/bsde/solve';
import { bsDivDelta, bsDivPrice } from '../../../../src-main/engine/math/blackScholesDividend';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { SOLVER_PRESETS, type SolverConfig } from '../../../../src-shared/bsde/config';
import { type BsdeMetrics } from '../../../../src-shared/bsde/result';
import { type BookContent } from '../../../../src-shared/portfolio/book';
import { presetBook } from '../../../../src-shared/portfolio/presets';

/**
 * The solvers on the spec's B1 book (one geometric-basket call, sigma 0.25, rho 0.75, S0 = K = 100, r = 0,
 * q = 0.02, mu = 0.04, T = 1) with the CPU-sized `tiny` preset (N = 4, 32 x 2 networks, seeded), against
 * the closed form: price within 1%, Delta within 5% (relative 2-norm of the vector), OSM Gamma within 20%
 * (relative Frobenius norm of the matrix), and RDBDP's autodiff Gamma worse than OSM's.
 */
const tiny = (scheme: 'osm' | 'rdbdp', seed = 1): SolverConfig => ({ scheme, seed, ...SOLVER_PRESETS.tiny.config });
const solved = new Map<string, { metrics: BsdeMetrics; weights: Float32Array }>();
const run = (d: number, scheme: 'osm' | 'rdbdp') => {
  const key = `${d}-${scheme}`;
  if (!solved.has(key)) solved.set(key, solveBook(presetBook('B1', { assets: d }), tiny(scheme)));
  return solved.get(key)!;
};

beforeAll(async () => {
  await chooseBackend();
});

describe.each([1, 5])('B1 with d = %i', (d) => {
  it('OSM recovers the closed-form price within 1%, Delta within 5% and Gamma within 20%', () => {
    const o = run(d, 'osm').metrics.options[0];
    expect(o.reference?.method).toBe('closed form');
    expect(o.errors!.price).toBeLessThan(0.01);
    expect(o.errors!.delta).toBeLessThan(0.05);
    expect(o.errors!.gamma!).toBeLessThan(0.2);
    // The MC standard error of the price is reported and small.
    expect(o.priceStdErr).toBeGreaterThan(0);
    expect(o.priceStdErr / o.price).toBeLessThan(0.005);
  }, 120_000);

  it('RDBDP (the baseline) prices within 2% but its autodiff Gammas are worse than the OSM Gammas', () => {
    const osm = run(d, 'osm').metrics.options[0].errors!;
    const rd = run(d, 'rdbdp').metrics.options[0].errors!;
    expect(rd.price).toBeLessThan(0.02);
    expect(rd.gamma!).toBeGreaterThan(osm.gamma!);
  }, 120_000);
});

describe('stored networks', () => {
  it('evaluate Greeks at other times and spots (d = 1 against Black-Scholes at tau = T - t_n)', () => {
    const { metrics, weights } = run(1, 'osm');
    const sol = metrics.solution;
    const at0 = evaluateSolution(sol, weights, 0, [100]);
    expect(at0.options[0].price).toBe(metrics.options[0].price);
    const n = 2;
    const tau = 1 - n * sol.dt;
    const q = 0.02;
    // The drift under P moves X_n: test spots within one standard deviation of where the network was trained.
    for (const s of [92, 100, 108]) {
      const g = evaluateSolution(sol, weights, n, [s]).options[0];
      const bs = { spot: s, strike: 100, vol: 0.25, tau, rate: 0, div: q };
      expect(Math.abs(g.price - bsDivPrice('call', bs)) / bsDivPrice('call', bs), `price at S = ${s}`).toBeLessThan(0.03);
      expect(Math.abs(g.delta[0] - bsDivDelta('call', bs)), `Delta at S = ${s}`).toBeLessThan(0.03);
    }
    const atT = evaluateSolution(sol, weights, sol.steps, [110]).options[0];
    expect(atT.price).toBeCloseTo(10, 10);
    expect(atT.delta[0]).toBeCloseTo(1, 10);
  }, 120_000);
});

describe('Bermudan exercise', () => {
  it('a Bermudan geometric put is priced above its European counterpart and near the 1-D lattice', () => {
    const names = ['S1', 'S2'];
    const book: BookContent = {
      name: 'Bermudan put test',
      rate: 0.04,
      assets: names.map((name) => ({ name, s0: 100, mu: 0.06, sigma: 0.25, q: 0 })),
      correlation: [
        [1, 0.5],
        [0.5, 1],
      ],
      options: [
        { label: 'Bermudan', payoff: 'geometric-put', assets: names, strike: 110, strike2: null, maturity: 1, exercise: 'bermudan', exerciseDates: 3, quantity: 1 },
        { label: 'European', payoff: 'geometric-put', assets: names, strike: 110, strike2: null, maturity: 1, exercise: 'european', exerciseDates: 1, quantity: 1 },
      ],
    };
    const { metrics } = solveBook(book, tiny('osm'));
    const [berm, euro] = metrics.options;
    expect(berm.reference?.method).toBe('lattice');
    expect(euro.reference?.method).toBe('closed form');
    expect(berm.price - euro.price).toBeGreaterThan(5 * Math.hypot(berm.priceStdErr, euro.priceStdErr));
    expect(berm.price).toBeGreaterThan(euro.reference!.price);
    expect(berm.errors!.price).toBeLessThan(0.01);
    expect(euro.errors!.price).toBeLessThan(0.01);
    expect(berm.errors!.delta).toBeLessThan(0.05);
  }, 120_000);
});

describe('exercise at t = 0', () => {
  it('a deep in-the-money Bermudan put is worth at least its intrinsic value at t = 0, like its lattice reference', () => {
    const book: BookContent = {
      name: 'deep ITM Bermudan put',
      assets: [{ name: 'S1', s0: 20, mu: 0.04, sigma: 1, q: 0 }],
      correlation: [[1]],
      rate: 0.04,
      options: [{ label: 'put', payoff: 'put', assets: ['S1'], strike: 100, strike2: null, maturity: 1, exercise: 'bermudan', exerciseDates: 3, quantity: 1 }],
    };
    const { metrics } = solveBook(book, tiny('osm'));
    const o = metrics.options[0];
    expect(o.reference?.method).toBe('lattice');
    expect(o.reference!.price).toBe(80);
    expect(o.price).toBeGreaterThanOrEqual(80);
    expect(o.price).toBe(80);
    expect(o.delta[0]).toBe(-1);
  }, 120_000);
});

describe('solver plumbing', () => {
  it('is deterministic for a seed and stops with CancelledError when asked', () => {
    const book = presetBook('B1', { assets: 2 });
    const small: SolverConfig = { ...tiny('osm', 7), steps: 2, iterationsLast: 60, iterationsOther: 20, samplesT0: 4096 };
    const a = solveBook(book, small).metrics.options[0];
    const b = solveBook(book, small).metrics.options[0];
    expect(b.price).toBe(a.price);
    expect(b.delta).toEqual(a.delta);
    let calls = 0;
    expect(() => solveBook(book, small, { shouldCancel: () => ++calls > 5 })).toThrow(CancelledError);
  }, 120_000);

  it('reports progress per time step with both losses', () => {
    const details: Array<{ step: number; steps: number; lossZ: number | null; lossY: number | null; phase: string }> = [];
    let last = { done: 0, total: 0 };
    solveBook(presetBook('B1', { assets: 1 }), { ...tiny('osm'), steps: 3, iterationsLast: 50, iterationsOther: 20, samplesT0: 4096 }, {
      onProgress(done, total, detail) {
        expect(done).toBeGreaterThanOrEqual(last.done);
        last = { done, total };
        if (detail) details.push(detail as (typeof details)[number]);
      },
    });
    expect(last.done).toBe(last.total);
    const stepEnds = details.filter((x) => x.phase === 'train' && x.lossZ !== null && x.lossY !== null);
    expect(new Set(stepEnds.map((x) => x.step))).toEqual(new Set([1, 2]));
    expect(details.at(-1)!.phase).toBe('done');
    expect(details.every((x) => x.steps === 3)).toBe(true);
  }, 60_000);
});
