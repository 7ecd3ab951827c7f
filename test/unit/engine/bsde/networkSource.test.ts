import { beforeAll, describe, expect, it } from 'vitest';
import { greekBatch, logToPriceFlat, networkSource } from '../../../../src-main/engine/bsde/greekSource';
import { evalMlp, evalMlpBatch } from '../../../../src-main/engine/bsde/mlpLayout';
import { evaluateSolution } from '../../../../src-main/engine/bsde/solution';
import { solveBook } from '../../../../src-main/engine/bsde/solve';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { SOLVER_PRESETS } from '../../../../src-shared/bsde/config';
import { presetBook } from '../../../../src-shared/portfolio/presets';

/**
 * The batched network Greeks used along paths agree with the per-point evaluator of part 1
 * (`evaluateSolution`) for OSM and RDBDP, at t = 0 and inside the grid; the batched forward pass is the
 * per-point one bit for bit.
 */
beforeAll(async () => {
  await chooseBackend();
});

describe.each(['osm', 'rdbdp'] as const)('%s networks', (scheme) => {
  const book = presetBook('B4', { assets: 2, case: 1 });
  let solved: ReturnType<typeof solveBook>;
  beforeAll(() => {
    solved = solveBook(book, { scheme, seed: 3, ...SOLVER_PRESETS.tiny.config, iterationsLast: 100, iterationsOther: 20, samplesT0: 4096 });
  }, 120_000);

  it('book Delta and Gamma of a batch equal evaluateSolution path by path', () => {
    const sol = solved.metrics.solution;
    const { d, J } = sol;
    const spots = [[100, 100], [80, 120], [130, 95]];
    const src = networkSource(sol, solved.weights, spots.length);
    const x = Float64Array.from(spots.flat(), Math.log);
    const alive = new Uint8Array(spots.length * J).fill(1);
    for (const n of [0, 2, sol.steps - 1]) {
      const out = greekBatch(spots.length, d, J);
      src.evaluate(n, x, spots.length, alive, true, out);
      spots.forEach((s, p) => {
        const ref = evaluateSolution(sol, solved.weights, n, n === 0 ? sol.market.s0 : s);
        const delta = new Float64Array(d);
        const gamma = new Float64Array(d * d);
        logToPriceFlat(d, n === 0 ? sol.market.s0 : s, 0, out.grad, p * d, out.hess, p * d * d, delta, gamma);
        // evaluateSolution reports exercised/expired options with payoff Greeks; at these n all are alive.
        for (let a = 0; a < d; a++) expect(delta[a]).toBeCloseTo(ref.book.delta[a], 9);
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) expect(gamma[a * d + b]).toBeCloseTo(ref.book.gamma![a][b], 9);
        for (let j = 0; j < J; j++) if (!ref.options[j].exercised) expect(out.value[p * J + j]).toBeCloseTo(ref.options[j].price, 9);
      });
    }
  });

  it('evalMlpBatch equals evalMlp bit for bit', () => {
    const sol = solved.metrics.solution;
    const shape = sol.shapes.z;
    const X = Float64Array.from({ length: 5 * shape.inputs }, (_, i) => Math.sin(i + 1));
    const out = new Float64Array(5 * shape.outputs);
    evalMlpBatch(shape, solved.weights, sol.offsets[0].z, X, 5, out);
    for (let r = 0; r < 5; r++) {
      const one = evalMlp(shape, solved.weights, sol.offsets[0].z, X.subarray(r * shape.inputs, (r + 1) * shape.inputs));
      for (let o = 0; o < shape.outputs; o++) expect(out[r * shape.outputs + o]).toBe(one[o]);
    }
  });
});
