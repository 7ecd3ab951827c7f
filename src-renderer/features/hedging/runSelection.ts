import { type RunSummary } from '../../../src-shared/api/runs';
import { type HedgeRunConfig } from '../../../src-shared/hedging/config';

/** True for a run an experiment preset made (it has a slot in the experiment's plan). */
export const isExperimentRun = (r: RunSummary): boolean => !!(r.config as HedgeRunConfig).experimentSlot;

/**
 * The runs the Hedging tab lists: the user's own runs; experiment runs (dozens per preset, shown in the
 * Experiments tab) only when "show experiment runs" is ticked.
 */
export function listedRuns(runs: RunSummary[], showExperimentRuns: boolean): RunSummary[] {
  return showExperimentRuns ? runs : runs.filter((r) => !isExperimentRun(r));
}

const isLive = (r: RunSummary): boolean => r.status === 'running' || r.status === 'queued';

/**
 * The run to show when the tab opens (also after a reload): one still running (or queued) first — the
 * person came back to watch it — then the most recently finished, then the newest.
 */
export function initialRun(runs: RunSummary[]): RunSummary | null {
  const running = runs.filter((r) => r.status === 'running');
  const pick = (xs: RunSummary[]) => xs.reduce<RunSummary | null>((best, r) => (!best || r.createdAt > best.createdAt ? r : best), null);
  const live = pick(running) ?? pick(runs.filter(isLive));
  if (live) return live;
  let best: RunSummary | null = null;
  for (const r of runs) {
    if (r.status !== 'done') continue;
    if (!best || (r.finishedAt ?? r.createdAt) > (best.finishedAt ?? best.createdAt)) best = r;
  }
  return best ?? runs[0] ?? null;
}

export interface ResumeLinks {
  /** The run this one continues (its `config.resume.runId`), when it is still stored. */
  resumeOf: RunSummary | null;
  /** Runs that continue this one, newest first. */
  resumedAs: RunSummary[];
}

/** How a run is linked to its resumes: "resume of #…" one way, "resumed as #…" the other. */
export function resumeLinks(runs: RunSummary[], run: RunSummary): ResumeLinks {
  const src = (run.config as HedgeRunConfig).resume?.runId ?? null;
  return {
    resumeOf: src ? (runs.find((r) => r.id === src) ?? null) : null,
    resumedAs: runs.filter((r) => (r.config as HedgeRunConfig).resume?.runId === run.id).sort((a, b) => b.createdAt - a.createdAt),
  };
}
