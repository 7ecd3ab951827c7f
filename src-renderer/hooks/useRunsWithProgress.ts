import { useState } from 'react';
import { type AnyRun } from '../../src-shared/api/runs';
import { type RunsQuery, useRunsOf } from './useRuns';
import { useRpcEvent } from './useRpcEvent';

/** The latest live progress of one run: work done / total, elapsed and ETA (ms), when it arrived, and the job's own detail `D`. */
export interface DetailedProgress<D> {
  done: number;
  total: number;
  etaMs: number | null;
  elapsedMs: number;
  receivedAt: number;
  detail: D | null;
}

/**
 * The runs of `query` from the query cache (refetched on run events by app/queryInvalidation.ts), with the
 * latest live progress of each; the last detail is kept between plain progress reports (which carry none).
 */
export function useRunsWithProgress<R extends AnyRun, D>(
  connectionOpens: number,
  query: RunsQuery<R>,
): { runs: R[]; progress: Record<string, DetailedProgress<D>>; error: string | null; refresh(): void } {
  const { runs, error, refresh } = useRunsOf(connectionOpens, query);
  const [progress, setProgress] = useState<Record<string, DetailedProgress<D>>>({});
  useRpcEvent('run-progress', (ev) => {
    setProgress((p) => {
      const prev = p[ev.runId];
      const detail = (ev.detail as D | undefined) ?? prev?.detail ?? null;
      return { ...p, [ev.runId]: { done: ev.done, total: ev.total, etaMs: ev.etaMs, elapsedMs: ev.elapsedMs, receivedAt: Date.now(), detail } };
    });
  });
  return { runs, progress, error, refresh };
}
