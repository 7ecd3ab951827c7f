import { beforeAll, describe, expect, it } from 'vitest';
import { type SolverConfig } from '../../src-shared/bsde/config';
import { type BsdeRunConfig } from '../../src-shared/bsde/contract';
import { type BsdeMetrics } from '../../src-shared/bsde/result';
import { presetBook } from '../../src-shared/portfolio/presets';
import { CancelledError } from '../../src-main/engine/cancel';
import { type BsdeStepState, checkBsdeResume } from '../../src-main/engine/bsde/stepState';
import { solveBook } from '../../src-main/engine/bsde/solve';
import { chooseBackend } from '../../src-main/engine/tensor/backend';
import { runAttempt, type ThreadAttempt } from '../helpers/checkpointThread';

/**
 * Issue 17: a deep-BSDE solve killed mid-job (its job thread terminated) resumes on another worker after its
 * last solved time step. The solver trains backward from n = N-1 to 1 with one seeded random stream; the state
 * after each step carries the solved networks and the stream's position (engine/bsde/stepState.ts), so the
 * resumed solve must end with the uninterrupted one's numbers bit for bit (wall-clock figures and the
 * tensor-memory peak aside). Book B1 (spec portfolio-bsde.md), solver smaller than the `tiny` preset so that
 * each solve takes seconds.
 */
const solver = (scheme: 'osm' | 'rdbdp'): SolverConfig => ({
  scheme,
  seed: 3,
  steps: 5,
  horizon: null,
  width: 16,
  depth: 2,
  batch: 256,
  iterationsLast: 150,
  iterationsOther: 50,
  learningRate: 5e-3,
  learningRateEnd: 1e-4,
  refit: true,
  samplesT0: 16_384,
});

/** Metrics without wall-clock figures (ms of every step, timing) and the tfjs memory peak. */
function withoutTimes(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutTimes);
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x)) return x;
  return Object.fromEntries(
    Object.entries(x)
      .filter(([k]) => k !== 'ms' && k !== 'timing' && k !== 'peakTensorBytes')
      .map(([k, v]) => [k, withoutTimes(v)]),
  );
}

describe('an OSM solve resumes after its last solved time step through the job worker protocol (issue 17)', () => {
  const book = presetBook('B1', { assets: 2 });
  const config: BsdeRunConfig = { bookId: 'b', version: 1, book, solver: solver('osm') };
  let full: ThreadAttempt;
  let cut: ThreadAttempt;
  let resumed: ThreadAttempt;
  let last: BsdeStepState;

  beforeAll(async () => {
    full = await runAttempt({ kind: 'bsde-solve', config, resume: null });
    cut = await runAttempt({ kind: 'bsde-solve', config, resume: null, killWhen: (_, cps) => cps.length >= 2 });
    last = cut.checkpoints.at(-1) as BsdeStepState;
    resumed = await runAttempt({ kind: 'bsde-solve', config, resume: last });
  }, 300_000);

  it('posts one state per time step (N-1 .. 1); the killed attempt (thread terminated) ends part way', () => {
    expect(full.outcome).toBe('result');
    expect(full.checkpoints.map((c) => (c as BsdeStepState).n)).toEqual([4, 3, 2, 1]);
    expect(cut.outcome).toBe('killed');
    expect(last.n).toBeGreaterThan(1);
    expect(last.n).toBeLessThanOrEqual(3);
    const same = full.checkpoints[4 - last.n] as BsdeStepState;
    expect(Array.from(last.weights)).toEqual(Array.from(same.weights));
    expect(last.rng).toEqual(same.rng);
    const sizes = full.checkpoints.map((c) => (c as BsdeStepState).weights.byteLength);
    console.log(`bsde checkpoint (OSM, d = 2, 16 x 2): weights ${sizes.map((b) => `${(b / 1024).toFixed(1)} kB`).join(' / ')} after steps 4 / 3 / 2 / 1`);
  });

  it('the resumed attempt trains only the remaining steps and starts its progress where the stopped one was', () => {
    expect(resumed.outcome).toBe('result');
    expect(resumed.checkpoints.map((c) => (c as BsdeStepState).n)).toEqual(Array.from({ length: last.n - 1 }, (_, i) => last.n - 1 - i));
    expect(resumed.progress[0].done).toBe(last.done);
    const trainedSteps = new Set(resumed.progress.flatMap((p) => ((p.detail as { phase?: string; n?: number } | undefined)?.phase === 'train' ? [(p.detail as { n: number }).n] : [])));
    for (const n of trainedSteps) expect(n).toBeLessThan(last.n);
  });

  it('ends with the uninterrupted solve: weights bit for bit, every metric but wall time', () => {
    const a = full.result!;
    const b = resumed.result!;
    expect(Array.from(b.arrays.weights)).toEqual(Array.from(a.arrays.weights));
    expect(withoutTimes(b.metrics)).toEqual(withoutTimes(a.metrics));
    expect((b.metrics as BsdeMetrics).losses.map((l) => l.n)).toEqual([4, 3, 2, 1, 0]);
  });
});

describe('an RDBDP solve resumed in process from a recorded state equals the uninterrupted one', () => {
  beforeAll(async () => {
    await chooseBackend();
  });

  it('cancelled after 2 steps and resumed: same weights and metrics, 2 steps not retrained', () => {
    const book = presetBook('B1', { assets: 1 });
    const cfg = solver('rdbdp');
    const full = solveBook(book, cfg);
    const saves: BsdeStepState[] = [];
    expect(() =>
      solveBook(book, cfg, { shouldCancel: () => saves.length >= 2 }, { onStepDone: (s) => saves.push(structuredClone(s)) }),
    ).toThrow(CancelledError);
    expect(saves.map((s) => s.n)).toEqual([4, 3]);
    const again: BsdeStepState[] = [];
    const trained: number[] = [];
    const resumed = solveBook(
      book,
      cfg,
      { onProgress: (_d, _t, detail) => detail && trained.push((detail as { n: number }).n) },
      { resume: saves[1], onStepDone: (s) => again.push(s) },
    );
    expect(again.map((s) => s.n)).toEqual([2, 1]);
    expect(trained.filter((n) => n >= 3)).toEqual([]);
    expect(Array.from(resumed.weights)).toEqual(Array.from(full.weights));
    expect(withoutTimes(resumed.metrics)).toEqual(withoutTimes(full.metrics));
  }, 120_000);

  it('a state of another solve is refused with the reason', () => {
    const ok = { kind: 'bsde-steps', scheme: 'osm', n: 3, steps: 5, weights: new Float32Array(2 * 10), rng: [1, 2, 3, 4], history: [{}, {}], done: 10, trainMs: 1, peakTensorBytes: 0 };
    expect(checkBsdeResume(null, 'osm', 5, 10)).toBeNull();
    expect(checkBsdeResume(ok, 'osm', 5, 10)?.n).toBe(3);
    expect(() => checkBsdeResume(ok, 'rdbdp', 5, 10)).toThrow(/osm solve, this one is rdbdp/);
    expect(() => checkBsdeResume(ok, 'osm', 6, 10)).toThrow(/5 time steps, this solve 6/);
    expect(() => checkBsdeResume(ok, 'osm', 5, 11)).toThrow(/20 network parameters where 2 solved steps of this solve have 22/);
    expect(() => checkBsdeResume({ ...ok, kind: 'hedge-train' }, 'osm', 5, 10)).toThrow(/not a BSDE time-step state/);
  });
});
