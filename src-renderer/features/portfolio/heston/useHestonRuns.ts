import { useState } from 'react';
import { type AnyRun, type RunRecord } from '../../../../src-shared/api/runs';
import { type HestonSolveMetrics, type HestonSolveRunConfig } from '../../../../src-shared/heston/contract';
import { type HestonJobProgress } from '../../../../src-shared/heston/progress';
import { type RunsQuery, useRunsOf } from '../../../hooks/useRuns';
import { useRpcEvent } from '../../../hooks/useRpcEvent';

export type HestonRun = RunRecord<'heston-solve', HestonSolveRunConfig, HestonSolveMetrics>;

export interface HestonProgress {
  done: number;
  total: number;
  etaMs: number | null;
  elapsedMs: number;
  receivedAt: number;
  detail: HestonJobProgress | null;
}

const isHeston = (r: AnyRun): r is HestonRun => r.kind === 'heston-solve';
const HESTON_RUNS: RunsQuery<HestonRun> = { kinds: ['heston-solve'], isOurs: isHeston };

/** Heston solve runs (kind 'heston-solve') from the query cache, with the latest live progress of each. */
export function useHestonRuns(connectionOpens: number): { runs: HestonRun[]; progress: Record<string, HestonProgress>; error: string | null; refresh(): void } {
  const { runs, error, refresh } = useRunsOf(connectionOpens, HESTON_RUNS);
  const [progress, setProgress] = useState<Record<string, HestonProgress>>({});
  useRpcEvent('run-progress', (ev) => {
    setProgress((p) => {
      const prev = p[ev.runId];
      const detail = (ev.detail as HestonJobProgress | undefined) ?? prev?.detail ?? null;
      return { ...p, [ev.runId]: { done: ev.done, total: ev.total, etaMs: ev.etaMs, elapsedMs: ev.elapsedMs, receivedAt: Date.now(), detail } };
    });
  });
  return { runs, progress, error, refresh };
}
