import { describe, expect, it } from 'vitest';
import { type AppError } from '../../../src-shared/api/errors';
import { type ClusterFanOut, type FanOutPlan, partJobId, withFanOut } from '../../../src-main/cluster/fanout';
import { type JobResult } from '../../../src-main/cluster/payload';
import { type ClusterJobEvents } from '../../../src-main/cluster/types';
import { type RunQueries } from '../../../src-main/store/queries/runs';
import { ScriptedCluster } from '../../helpers/scriptedCluster';

/**
 * withFanOut over a scripted backend (no Redis): a run of a fan-out kind is planned, sent as its parts, merged in
 * part order once every part is back, its progress weighted by the parts' shares; a failed part fails the run
 * with its reason and cancels the others; cancel reaches every part; other kinds pass through unchanged.
 */

interface Seen {
  started: number;
  progress: Array<[number, number]>;
  results: JobResult[];
  failed: AppError[];
  cancelled: number;
}
function recorder(): { seen: Seen; events: ClusterJobEvents } {
  const seen: Seen = { started: 0, progress: [], results: [], failed: [], cancelled: 0 };
  return {
    seen,
    events: {
      started: () => void seen.started++,
      progress: (d, t) => void seen.progress.push([d, t]),
      result: (r) => void seen.results.push(r),
      failed: (e) => void seen.failed.push(e),
      cancelled: () => void seen.cancelled++,
    },
  };
}

const RUN = '0b7f3c1e-1111-4222-8333-444455556666';
const runs = { get: (id: string) => (id === RUN ? { id, kind: 'split-me', config: { n: 3 }, progress: { done: 0, total: 100 } } : null) } as unknown as RunQueries;
const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
const part = (i: number, values: number[]): JobResult => ({ wallMs: 5, metrics: { i }, arrays: { x: Float64Array.from(values) } });

/** Parts of weights 1, 2, 1; merge concatenates their 'x' arrays in part order. */
function fan(opts: { gate?: Promise<void>; fail?: string } = {}): ClusterFanOut & { plans: number } {
  const f = {
    kind: 'split-me',
    plans: 0,
    async plan(config: unknown, ctx: { hooks: { shouldCancel?: () => boolean } }): Promise<FanOutPlan> {
      f.plans++;
      if (opts.gate) {
        await opts.gate;
        if (ctx.hooks.shouldCancel?.()) throw new Error('stopped');
      }
      if (opts.fail) throw new Error(opts.fail);
      const weights = [1, 2, 1];
      return {
        parts: weights.map((w, i) => ({ job: { kind: 'split-part', config: { i, of: (config as { n: number }).n } }, weight: w, label: `slice ${i}` })),
        merge: (results, wallMs) => {
          const x = new Float64Array(results.reduce((n, r) => n + r.arrays.x.length, 0));
          let at = 0;
          for (const r of results) {
            x.set(r.arrays.x, at);
            at += r.arrays.x.length;
          }
          return { wallMs, metrics: { parts: results.map((r) => (r.metrics as { i: number }).i) }, arrays: { x } };
        },
      };
    },
  };
  return f;
}

describe('withFanOut', () => {
  it('sends the parts, weighs their progress, merges them in part order once, and stores nothing twice', async () => {
    const base = new ScriptedCluster();
    const b = withFanOut(base, [fan()], runs);
    expect(b.refuses({ kind: 'split-me', config: {} })).toBeNull();
    const { seen, events } = recorder();
    await b.submit(RUN, { kind: 'split-me', config: { n: 3 } }, events);
    await flush();
    expect([...base.submitted.keys()]).toEqual([0, 1, 2].map((i) => partJobId(RUN, i)));
    expect(base.submitted.get(partJobId(RUN, 1))!.job).toEqual({ kind: 'split-part', config: { i: 1, of: 3 } });
    const ev = (i: number): ClusterJobEvents => base.submitted.get(partJobId(RUN, i))!.events;
    ev(1).started('wasm', 'w1');
    ev(0).started('wasm', 'w2');
    expect(seen.started).toBe(1);
    ev(1).progress(5, 10); // half of the part that is half the work: 25 of 100
    expect(seen.progress.at(-1)).toEqual([25, 100]);
    ev(2).result(part(2, [5]));
    ev(0).result(part(0, [1, 2]));
    expect(seen.results).toHaveLength(0);
    expect(seen.progress.at(-1)).toEqual([75, 100]);
    ev(1).result(part(1, [3, 4]));
    ev(1).result(part(1, [9, 9])); // delivered twice: ignored
    expect(seen.results).toHaveLength(1);
    expect(Array.from(seen.results[0].arrays.x)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.results[0].metrics).toEqual({ parts: [0, 1, 2] });
    expect(seen.progress.at(-1)).toEqual([100, 100]);
    expect(seen.failed).toHaveLength(0);
  });

  it('a part that fails fails the run with its reason and cancels the parts still running', async () => {
    const base = new ScriptedCluster();
    const b = withFanOut(base, [fan()], runs);
    const { seen, events } = recorder();
    await b.submit(RUN, { kind: 'split-me', config: { n: 3 } }, events);
    await flush();
    base.submitted.get(partJobId(RUN, 0))!.events.result(part(0, [1]));
    base.submitted.get(partJobId(RUN, 1))!.events.failed({ type: 'job', code: 'JOB_FAILED', message: 'out of memory' });
    expect(seen.failed).toEqual([{ type: 'job', code: 'JOB_FAILED', message: 'part 2 of 3 (slice 1) failed: out of memory' }]);
    expect(base.cancelled).toEqual([partJobId(RUN, 2)]);
    expect(seen.results).toHaveLength(0);
    expect(seen.cancelled).toBe(0);
  });

  it('cancel reaches every live part; the run ends cancelled once, when none is left', async () => {
    const base = new ScriptedCluster();
    base.cancel = (runId) => {
      base.cancelled.push(runId);
      return Promise.resolve(); // the parts confirm later, as a worker does
    };
    const b = withFanOut(base, [fan()], runs);
    const { seen, events } = recorder();
    await b.submit(RUN, { kind: 'split-me', config: { n: 3 } }, events);
    await flush();
    base.submitted.get(partJobId(RUN, 0))!.events.result(part(0, [1]));
    await b.cancel(RUN);
    expect(base.cancelled.sort()).toEqual([partJobId(RUN, 1), partJobId(RUN, 2)]);
    base.submitted.get(partJobId(RUN, 1))!.events.cancelled();
    expect(seen.cancelled).toBe(0);
    base.submitted.get(partJobId(RUN, 2))!.events.result(part(2, [3])); // finished just before the cancel arrived
    expect(seen.cancelled).toBe(1);
    expect(seen.results).toHaveLength(0);
  });

  it('cancel while planning (waiting for the solve) ends the run cancelled without sending a part', async () => {
    let open!: () => void;
    const base = new ScriptedCluster();
    const b = withFanOut(base, [fan({ gate: new Promise((r) => (open = r)) })], runs);
    const { seen, events } = recorder();
    await b.submit(RUN, { kind: 'split-me', config: { n: 3 } }, events);
    await b.cancel(RUN);
    open();
    await flush();
    expect(seen.cancelled).toBe(1);
    expect(base.submitted.size).toBe(0);
  });

  it('a plan that fails (the solve failed) fails the run saying so; other kinds go to the backend unchanged', async () => {
    const base = new ScriptedCluster();
    const b = withFanOut(base, [fan({ fail: 'solve run x ended failed: diverged; nothing to hedge with' })], runs);
    const { seen, events } = recorder();
    await b.submit(RUN, { kind: 'split-me', config: { n: 3 } }, events);
    await flush();
    expect(seen.failed[0].message).toBe(`run ${RUN} could not be split into cluster jobs: solve run x ended failed: diverged; nothing to hedge with`);
    const other = recorder();
    await b.submit('aaaaaaaa-2222', { kind: 'hedge', config: { paths: 2 } }, other.events);
    expect(base.submitted.get('aaaaaaaa-2222')!.job.kind).toBe('hedge');
    await b.reattach('aaaaaaaa-2222', other.events);
    expect(base.reattached).toEqual(['aaaaaaaa-2222']);
  });

  it('reattach of a split run plans it again from the store and re-sends its parts (existing ones are not added twice)', async () => {
    const base = new ScriptedCluster();
    const f = fan();
    const b = withFanOut(base, [f], runs);
    const { seen, events } = recorder();
    await b.reattach(RUN, events);
    await flush();
    expect(f.plans).toBe(1);
    expect(base.submitted.size).toBe(3);
    for (let i = 0; i < 3; i++) base.submitted.get(partJobId(RUN, i))!.events.result(part(i, [i]));
    expect(Array.from(seen.results[0].arrays.x)).toEqual([0, 1, 2]);
  });
});
