import { beforeAll, describe, expect, it } from 'vitest';
import { type HestonSolveMetrics, type HestonSolveRunConfig } from '../../src-shared/heston/contract';
import { hestonSolveConfigSchema } from '../../src-shared/heston/config';
import { H1_CLAIM, H1_MARKET } from '../../src-shared/heston/types';
import { CancelledError } from '../../src-main/engine/cancel';
import { type HestonSolutionMeta, solveHeston } from '../../src-main/engine/heston/solver';
import { type HestonStepState, checkHestonResume } from '../../src-main/engine/heston/stepState';
import { chooseBackend } from '../../src-main/engine/tensor/backend';
import { runAttempt, type ThreadAttempt } from '../helpers/checkpointThread';

/**
 * Issue 17 for 'heston-solve': the Heston deep-BSDE solver trains backward per time step like the portfolio
 * solver, so a killed attempt (its job thread terminated) resumes after its last solved step
 * (engine/heston/stepState.ts) and must end with the uninterrupted solve's numbers bit for bit (wall-clock
 * figures aside). H1's market (spec heston-osm.md) with a European put (semi-analytic reference, cheap) on
 * N = 5 and small networks, so each solve takes seconds.
 */
const settings = (scheme: 'osm' | 'rdbdp') => ({
  scheme,
  seed: 5,
  steps: 5,
  width: 16,
  depth: 2,
  batch: 128,
  iterationsLast: 120,
  iterationsOther: 40,
  learningRate: 5e-3,
  learningRateEnd: 1e-4,
  refit: true,
  t0Samples: 16_384,
});
const claim = { ...H1_CLAIM, exerciseDates: 1 };

/** Metrics without wall-clock figures. */
function withoutTimes(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutTimes);
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x)) return x;
  return Object.fromEntries(
    Object.entries(x)
      .filter(([k]) => !['trainMs', 't0Ms', 'totalMs', 'timings', 'wallMs'].includes(k))
      .map(([k, v]) => [k, withoutTimes(v)]),
  );
}

describe('a Heston OSM solve resumes after its last solved time step through the job worker protocol (issue 17)', () => {
  const config: HestonSolveRunConfig = { market: H1_MARKET, claim, solver: { ...settings('osm'), preset: 'quick' } };
  let full: ThreadAttempt;
  let cut: ThreadAttempt;
  let resumed: ThreadAttempt;
  let last: HestonStepState;

  beforeAll(async () => {
    full = await runAttempt({ kind: 'heston-solve', config, resume: null });
    cut = await runAttempt({ kind: 'heston-solve', config, resume: null, killWhen: (_, cps) => cps.length >= 2 });
    last = cut.checkpoints.at(-1) as HestonStepState;
    resumed = await runAttempt({ kind: 'heston-solve', config, resume: last });
  }, 300_000);

  it('posts one state per time step; the killed attempt (thread terminated) ends part way', () => {
    expect(full.outcome).toBe('result');
    expect(full.checkpoints.map((c) => (c as HestonStepState).n)).toEqual([4, 3, 2, 1]);
    expect(cut.outcome).toBe('killed');
    expect(last.n).toBeGreaterThan(1);
    expect(last.n).toBeLessThanOrEqual(3);
    const same = full.checkpoints[4 - last.n] as HestonStepState;
    expect(Array.from(last.weights)).toEqual(Array.from(same.weights));
    expect(last.rng).toEqual(same.rng);
    const sizes = full.checkpoints.map((c) => (c as HestonStepState).weights.byteLength);
    console.log(`heston checkpoint (OSM, 16 x 2): weights ${sizes.map((b) => `${(b / 1024).toFixed(1)} kB`).join(' / ')} after steps 4 / 3 / 2 / 1`);
  });

  it('the resumed attempt trains only the remaining steps', () => {
    expect(resumed.outcome).toBe('result');
    expect(resumed.checkpoints.map((c) => (c as HestonStepState).n)).toEqual(Array.from({ length: last.n - 1 }, (_, i) => last.n - 1 - i));
    expect(resumed.progress[0].done).toBe(last.done);
    const trained = resumed.progress.flatMap((p) => {
      const s = (p.detail as { phase?: string; solver?: { phase: string; n: number } } | undefined)?.solver;
      return s?.phase === 'train' ? [s.n] : [];
    });
    expect(trained.length).toBeGreaterThan(0);
    expect(trained.filter((n) => n >= last.n)).toEqual([]);
  });

  it('ends with the uninterrupted result: networks and surfaces bit for bit, every metric but wall time', () => {
    const a = full.result!;
    const b = resumed.result!;
    expect(Object.keys(b.arrays).sort()).toEqual(Object.keys(a.arrays).sort());
    for (const k of Object.keys(a.arrays)) expect(Array.from(b.arrays[k]), k).toEqual(Array.from(a.arrays[k]));
    expect(withoutTimes(b.metrics)).toEqual(withoutTimes(a.metrics));
    const meta = (b.metrics as HestonSolveMetrics).solution as HestonSolutionMeta;
    expect(meta.info.losses.map((l) => l.n)).toEqual([4, 3, 2, 1]);
  });
});

describe('a Heston RDBDP solve resumed in process equals the uninterrupted one', () => {
  beforeAll(async () => {
    await chooseBackend();
  });

  it('cancelled after 2 steps and resumed: same networks and t = 0 Greeks', async () => {
    const cfg = hestonSolveConfigSchema.parse({ market: H1_MARKET, claim, ...settings('rdbdp') });
    const full = await solveHeston(cfg);
    const saves: HestonStepState[] = [];
    const ac = new AbortController();
    await expect(
      solveHeston(cfg, {
        signal: ac.signal,
        onStepDone: (s) => {
          saves.push(structuredClone(s));
          if (saves.length >= 2) ac.abort();
        },
      }),
    ).rejects.toThrow(CancelledError);
    expect(saves.map((s) => s.n)).toEqual([4, 3]);
    const again: number[] = [];
    const resumed = await solveHeston(cfg, { resume: saves[1], onStepDone: (s) => again.push(s.n) });
    expect(again).toEqual([2, 1]);
    const fa = full.serialize();
    const ra = resumed.serialize();
    for (const k of Object.keys(fa.arrays)) expect(Array.from(ra.arrays[k]), k).toEqual(Array.from(fa.arrays[k]));
    expect(resumed.t0).toEqual(full.t0);
    expect(withoutTimes(ra.meta)).toEqual(withoutTimes(fa.meta));
    full.dispose();
    resumed.dispose();
  }, 120_000);

  it('a state of another solve is refused with the reason', () => {
    const ok = { kind: 'heston-steps', scheme: 'osm', n: 3, steps: 5, weights: new Float32Array(20), rng: [1, 2, 3, 4], losses: [{}, {}], done: 10, trainMs: 1 };
    expect(checkHestonResume(null, 'osm', 5, 10)).toBeNull();
    expect(checkHestonResume(ok, 'osm', 5, 10)?.n).toBe(3);
    expect(() => checkHestonResume(ok, 'rdbdp', 5, 10)).toThrow(/osm solve, this one is rdbdp/);
    expect(() => checkHestonResume({ ...ok, n: 5 }, 'osm', 5, 10)).toThrow(/outside 1..4/);
    expect(() => checkHestonResume({ ...ok, kind: 'bsde-steps' }, 'osm', 5, 10)).toThrow(/not a Heston time-step state/);
  });
});
