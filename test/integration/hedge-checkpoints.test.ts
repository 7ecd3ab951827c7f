import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hedgeConfigSchema, type HedgeMetrics } from '../../src-shared/hedging/config';
import { runHedgeJob } from '../../src-main/domains/hedging/job';
import { type HedgeResumeState, readHedgeResume } from '../../src-main/domains/hedging/resumeState';
import { type JobContext } from '../../src-main/jobs/runner';
import { decodeCheckpoint, encodeCheckpoint } from '../../src-main/cluster/checkpointCodec';
import { runAttempt, type ThreadAttempt, unusableDataDir } from '../helpers/checkpointThread';

/**
 * Issue 17: a cluster worker killed mid-job is retried elsewhere from its last checkpoint. A trained hedging run
 * ('hedge', DHNTB on GBM paths) runs in a real job worker thread with a CheckpointChannel (protocol 'start' with
 * `checkpoint`, 'checkpoint' messages back), once uninterrupted and once stopped after a few epochs and then
 * resumed from the last posted state. The resumed result must be the uninterrupted one bit for bit: the Trainer
 * seeds every epoch's paths from (seed, epoch), so nothing random is carried. The store is never opened (the
 * workers get a data folder no store can be created in).
 */
const config = hedgeConfigSchema.parse({
  model: 'ntb',
  option: 'european',
  strike: 1,
  sigma: 0.1,
  drift: 0,
  days: 10,
  steps: 10,
  cost: 0.002,
  paths: 2_000,
  seed: 7,
  epochs: 5,
  trainPaths: 1_000,
  monitorPaths: 200,
  snapshotEpochs: [2, 5],
});
const EPOCHS = 5;

/** Metrics without wall-clock figures (seconds per epoch differ between any two runs). */
function withoutTimes(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutTimes);
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x)) return x;
  return Object.fromEntries(
    Object.entries(x)
      .filter(([k]) => k !== 'seconds' && k !== 'secondsPerEpoch' && k !== 'threads')
      .map(([k, v]) => [k, withoutTimes(v)]),
  );
}

const epochDetails = (a: ThreadAttempt): number[] =>
  a.progress.flatMap((p) => ((p.detail as { kind?: string; epoch?: number } | undefined)?.kind === 'hedge-epoch' ? [(p.detail as { epoch: number }).epoch] : []));

describe('a trained hedging run resumes from its last checkpoint through the job worker protocol (issue 17)', () => {
  const saved = process.env.HEDGE_TRAIN_THREADS;
  let full: ThreadAttempt;
  let cut: ThreadAttempt;
  let resumed: ThreadAttempt;
  let lastState: HedgeResumeState;

  beforeAll(async () => {
    process.env.HEDGE_TRAIN_THREADS = '1'; // one thread per job worker: this machine's cores are shared
    full = await runAttempt({ kind: 'hedge', config, resume: null });
    cut = await runAttempt({
      kind: 'hedge',
      config,
      resume: null,
      cancelWhen: (m) => m.type === 'progress' && (m.detail as { epoch?: number } | undefined)?.epoch === 2,
    });
    lastState = cut.checkpoints.at(-1) as HedgeResumeState;
    resumed = await runAttempt({ kind: 'hedge', config, resume: lastState });
  }, 300_000);

  afterAll(() => {
    if (saved === undefined) delete process.env.HEDGE_TRAIN_THREADS;
    else process.env.HEDGE_TRAIN_THREADS = saved;
  });

  it('posts one checkpoint per epoch without a store, and the stopped attempt ends with fewer', () => {
    expect(full.outcome).toBe('result');
    expect(full.checkpoints.map((c) => (c as HedgeResumeState).epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(cut.outcome).toBe('cancelled');
    expect(lastState.epoch).toBeGreaterThanOrEqual(2);
    expect(lastState.epoch).toBeLessThan(EPOCHS);
    // The stopped attempt's states are the uninterrupted run's states, weight for weight.
    const same = full.checkpoints[lastState.epoch - 1] as HedgeResumeState;
    expect(Array.from(lastState.params)).toEqual(Array.from(same.params));
    expect(Array.from(lastState.adam.v)).toEqual(Array.from(same.adam.v));
    expect(Object.keys(lastState.snapshotPnl)).toEqual(['pnl@2']);
    const bytes = lastState.params.byteLength + lastState.adam.m.byteLength + lastState.adam.v.byteLength + lastState.snapshotPnl['pnl@2'].byteLength;
    console.log(`hedge checkpoint after epoch ${lastState.epoch}: ${lastState.params.length} weights, ${(bytes / 1024).toFixed(0)} kB of arrays`);
  });

  it('a posted state survives the bytes Redis keeps (v8 serialization): typed arrays stay typed, bit for bit', () => {
    const before = process.cpuUsage();
    const bytes = encodeCheckpoint(lastState);
    const back = decodeCheckpoint(bytes.toString('base64')) as HedgeResumeState;
    const used = process.cpuUsage(before);
    const cpuMs = (used.user + used.system) / 1000;
    expect(back.params).toBeInstanceOf(Float64Array);
    expect(back.adam.m).toBeInstanceOf(Float64Array);
    expect(back.snapshotPnl['pnl@2']).toBeInstanceOf(Float64Array);
    expect(back).toEqual(lastState);
    expect(readHedgeResume(back, lastState.params.length, EPOCHS)?.epoch).toBe(lastState.epoch);
    expect(() => decodeCheckpoint(Buffer.from('not a checkpoint'))).toThrow(/stored checkpoint could not be read/);
    console.log(`hedge checkpoint encoded: ${(bytes.length / 1024).toFixed(0)} kB, encode + base64 + decode ${cpuMs.toFixed(1)} ms CPU`);
  });

  it('the resumed attempt trains only the epochs after the checkpoint', () => {
    expect(resumed.outcome).toBe('result');
    const k = lastState.epoch;
    expect(epochDetails(resumed)).toEqual(Array.from({ length: EPOCHS - k }, (_, i) => k + 1 + i));
    expect(resumed.progress[0]).toMatchObject({ done: k, total: EPOCHS + 1 });
    expect(resumed.checkpoints.map((c) => (c as HedgeResumeState).epoch)).toEqual(Array.from({ length: EPOCHS - k }, (_, i) => k + 1 + i));
  });

  it('ends with the uninterrupted result: every array bit for bit, the metrics but wall seconds', () => {
    const a = full.result!;
    const b = resumed.result!;
    expect(Object.keys(b.arrays).sort()).toEqual(Object.keys(a.arrays).sort());
    expect(Object.keys(a.arrays)).toEqual(expect.arrayContaining(['pnl', 'cost', 'pnl@2', 'pnl@5', 'w0', 'b0']));
    for (const k of Object.keys(a.arrays)) expect(Array.from(b.arrays[k]), k).toEqual(Array.from(a.arrays[k]));
    expect(withoutTimes(b.metrics)).toEqual(withoutTimes(a.metrics));
    const m = b.metrics as HedgeMetrics;
    expect(m.training?.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(m.training?.snapshots.map((s) => s.epoch)).toEqual([2, 5]);
    expect(m.training?.startEpoch).toBe(0);
  });
});

describe('what a cluster worker cannot run or resume', () => {
  const ctx = (latest: unknown): JobContext => ({
    hooks: {},
    started: () => {},
    dataDir: unusableDataDir(),
    runId: 'r',
    checkpoints: { latest: () => latest, save: () => {} },
  });

  it('a continuation of a stored run, an evaluation and an order-book path set are refused, naming why', async () => {
    await expect(runHedgeJob({ ...config, resume: { runId: 'abc', epoch: 3 } }, ctx(null))).rejects.toThrow(/cluster worker: it continues run abc .*run it on this machine/);
    await expect(runHedgeJob({ ...config, evaluation: { runId: 'abc', epoch: 3, sourceLabel: 'x' } }, ctx(null))).rejects.toThrow(/evaluates the stored weights of run abc/);
    await expect(runHedgeJob({ ...config, data: { kind: 'paths', datasetId: 'd1' } }, ctx(null))).rejects.toThrow(/order-book path set/);
  });

  it('a saved state that does not fit the run is refused, not resumed into wrong numbers', () => {
    const n = 4;
    const ok = {
      kind: 'hedge-train',
      epoch: 2,
      params: new Float64Array(n),
      adam: { m: new Float64Array(n), v: new Float64Array(n), t: 2 },
      history: [{}, {}],
      snapshots: [],
      snapshotPnl: {},
      seconds: [0.1, 0.1],
      innerSum: 0,
    };
    expect(readHedgeResume(null, n, 5)).toBeNull();
    expect(readHedgeResume(ok, n, 5)?.epoch).toBe(2);
    expect(() => readHedgeResume({ ...ok, kind: 'bsde-steps' }, n, 5)).toThrow(/not a hedging training state/);
    expect(() => readHedgeResume(ok, n + 1, 5)).toThrow(/4 weights where the network has 5/);
    expect(() => readHedgeResume({ ...ok, epoch: 6 }, n, 5)).toThrow(/outside 1..5/);
    expect(() => readHedgeResume({ ...ok, adam: { ...ok.adam, t: 1 } }, n, 5)).toThrow(/Adam state/);
  });
});
