import { useState } from 'react';
import { type AnyRun, type RunRecord } from '../../../src-shared/api/runs';
import { type BsdeRunConfig } from '../../../src-shared/bsde/contract';
import { type BsdeMetrics, type BsdeProgress } from '../../../src-shared/bsde/result';
import { type RunsQuery, useRunsOf } from '../../hooks/useRuns';
import { useRpcEvent } from '../../hooks/useRpcEvent';

export type SolveRun = RunRecord<'bsde-solve', BsdeRunConfig, BsdeMetrics>;

export interface SolveProgress {
  done: number;
  total: number;
  etaMs: number | null;
  elapsedMs: number;
  receivedAt: number;
  detail: BsdeProgress | null;
}

const isSolve = (r: AnyRun): r is SolveRun => r.kind === 'bsde-solve';
const SOLVE_RUNS: RunsQuery<SolveRun> = { kinds: ['bsde-solve'], isOurs: isSolve };

/**
 * Solve runs (kind 'bsde-solve') from the query cache (refetched on run events by app/queryInvalidation.ts),
 * with the latest live progress of each (the last detail is kept between plain progress reports).
 */
export function useSolveRuns(connectionOpens: number): { runs: SolveRun[]; progress: Record<string, SolveProgress>; error: string | null; refresh(): void } {
  const { runs, error, refresh } = useRunsOf(connectionOpens, SOLVE_RUNS);
  const [progress, setProgress] = useState<Record<string, SolveProgress>>({});
  useRpcEvent('run-progress', (ev) => {
    setProgress((p) => {
      const prev = p[ev.runId];
      const detail = (ev.detail as BsdeProgress | undefined) ?? prev?.detail ?? null;
      return { ...p, [ev.runId]: { done: ev.done, total: ev.total, etaMs: ev.etaMs, elapsedMs: ev.elapsedMs, receivedAt: Date.now(), detail } };
    });
  });
  return { runs, progress, error, refresh };
}
