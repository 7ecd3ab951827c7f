import { afterEach, describe, expect, it } from 'vitest';
import { type Workstation } from '../../src-main/workstation';
import { type ExperimentDetail, type ExperimentSummary } from '../../src-shared/hedging/contract';
import { type HedgeRunConfig } from '../../src-shared/hedging/config';
import { openWorkstation } from '../helpers/host';
import { rpc } from '../helpers/rpc';

let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});

const { ok } = rpc(() => ws!);

describe('deleting runs of an experiment, and the stored-run count', () => {
  it('an experiment with deleted runs says how many are missing and re-runs exactly those slots', async () => {
    ws = await openWorkstation();
    const { groupId, runIds } = await ok<{ groupId: string; runIds: string[] }>('hedging-experiment', { id: 'E2', scale: 'quick', strikes: [1] });
    expect(runIds).toHaveLength(16);
    await ok('hedging-experiment-cancel', { groupId });
    await ws.jobs.idle();
    const before = await ok<ExperimentDetail>('hedging-experiment-get', { groupId });
    // stopped runs keep their slot (they are resumed, not re-run): nothing is missing yet
    expect(before.missing).toBe(0);

    // delete two runs of the experiment (one done if there is one): their cells would stay pending forever
    const victims = [before.runList.find((r) => r.status === 'done') ?? before.runList[0]!, before.runList.find((r) => r.status !== 'done')!].filter((r, i, a) => a.indexOf(r) === i);
    await ok('runs-delete', { runIds: victims.map((r) => r.id) });
    const slotOf = (r: { config: unknown }): string => (r.config as HedgeRunConfig).experimentSlot!;
    const gone = new Set(victims.map(slotOf));
    const after = await ok<ExperimentDetail>('hedging-experiment-get', { groupId });
    const list = await ok<{ experiments: ExperimentSummary[] }>('hedging-experiments', {});
    const expectedMissing = gone;
    expect(after.missing).toBe(expectedMissing.size);
    expect(list.experiments.find((x) => x.groupId === groupId)?.missing).toBe(expectedMissing.size);

    const rerun = await ok<{ runIds: string[] }>('hedging-experiment-rerun', { groupId });
    expect(rerun.runIds).toHaveLength(expectedMissing.size);
    const newSlots = rerun.runIds.map((id) => slotOf(ws!.runs.get(id)!));
    expect(new Set(newSlots)).toEqual(expectedMissing);
    // same planned settings: a re-run of a deleted slot has the seed and config the plan gives it
    const planned = before.runList.find((r) => slotOf(r) === newSlots[0]);
    if (planned) expect(ws.runs.get(rerun.runIds[0]!)!.seed).toBe(planned.seed);
    const now = await ok<ExperimentDetail>('hedging-experiment-get', { groupId });
    expect(now.missing).toBe(0);
    expect(now.runs).toBe(16);
    await ok('hedging-experiment-cancel', { groupId });
    await ws.jobs.idle();
  }, 180_000);

  it('runs-count is the number of stored runs, all kinds, whatever a tab lists', async () => {
    ws = await openWorkstation();
    const c0 = await ok<{ runs: number; active: number }>('runs-count', {});
    expect(c0.runs).toBe(ws.runs.list().length);
    const { groupId } = await ok<{ groupId: string }>('hedging-experiment', { id: 'E2', scale: 'quick', strikes: [1] });
    const c1 = await ok<{ runs: number; active: number }>('runs-count', {});
    expect(c1.runs).toBe(c0.runs + 16);
    expect(c1.active).toBeGreaterThan(0);
    await ok('hedging-experiment-cancel', { groupId });
    await ws.jobs.idle();
    const c2 = await ok<{ runs: number; active: number }>('runs-count', {});
    expect(c2).toEqual({ runs: ws.runs.list().length, active: 0 });
  }, 180_000);
});
