import { describe, expect, it } from 'vitest';
import { type RunSummary } from '../../../src-shared/api/runs';
import { DEFAULT_HEDGE_CONFIG } from '../../../src-shared/hedging/config';
import { initialRun, isExperimentRun, listedRuns, resumeLinks } from '../../../src-renderer/features/hedging/runSelection';

let n = 0;
function run(over: Omit<Partial<RunSummary>, "config"> & { config?: Record<string, unknown> } = {}): RunSummary {
  n++;
  return {
    id: `run-${String(n).padStart(4, '0')}`,
    kind: 'hedging',
    model: 'mlp',
    label: `run ${n}`,
    status: 'done',
    seed: 1,
    createdAt: 1000 * n,
    startedAt: 1000 * n,
    finishedAt: 1000 * n + 500,
    groupId: null,
    progress: { done: 1, total: 1 },
    metrics: null,
    error: null,
    backend: null,
    wallMs: null,
    ...over,
    config: { ...DEFAULT_HEDGE_CONFIG, ...(over.config ?? {}) },
  } as unknown as RunSummary;
}

describe('the Hedging tab after a reload: which run, which list, which link', () => {
  const done = run({ finishedAt: 9_000_000 });
  const running = run({ status: 'running', finishedAt: null });
  const exp = run({ config: { experimentSlot: 'cost:K1:c0.002:mlp' }, groupId: 'g' });

  it('selects the run still running rather than the last finished one', () => {
    expect(initialRun([done, running])?.id).toBe(running.id);
    expect(initialRun([done])?.id).toBe(done.id);
    expect(initialRun([])).toBeNull();
  });

  it('leaves experiment runs out unless "show experiment runs" is ticked', () => {
    expect(isExperimentRun(exp)).toBe(true);
    expect(listedRuns([done, exp, running], false).map((r) => r.id)).toEqual([done.id, running.id]);
    expect(listedRuns([done, exp, running], true)).toHaveLength(3);
    // a running experiment run is not what the user's own list opens on
    const expRunning = run({ status: 'running', config: { experimentSlot: 's' } });
    expect(initialRun(listedRuns([done, expRunning], false))?.id).toBe(done.id);
  });

  it('links a resumed run both ways', () => {
    const stopped = run({ status: 'interrupted' });
    const resumed = run({ status: 'running', config: { resume: { runId: stopped.id, epoch: 3 } } });
    const all = [done, stopped, resumed];
    expect(resumeLinks(all, resumed).resumeOf?.id).toBe(stopped.id);
    expect(resumeLinks(all, stopped).resumedAs.map((r) => r.id)).toEqual([resumed.id]);
    expect(resumeLinks(all, done)).toEqual({ resumeOf: null, resumedAs: [] });
  });
});
