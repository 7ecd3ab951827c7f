import { useCallback, useEffect, useRef, useState } from 'react';
import { type AnyRun, type RunRecord } from '../../../src-shared/api/runs';
import { type BsdeRunConfig } from '../../../src-shared/bsde/contract';
import { type BsdeMetrics, type BsdeProgress } from '../../../src-shared/bsde/result';
import { useRpcEvent } from '../../hooks/useRpcEvent';
import { appErrorOf, call } from '../../ipc/client';

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

/**
 * Solve runs (kind 'bsde-solve'), refetched on every (re)connect and run event, with the latest live
 * progress of each (the last detail is kept between plain progress reports).
 */
export function useSolveRuns(connectionOpens: number): { runs: SolveRun[]; progress: Record<string, SolveProgress>; error: string | null; refresh(): void } {
  const [runs, setRuns] = useState<SolveRun[]>([]);
  const [progress, setProgress] = useState<Record<string, SolveProgress>>({});
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const again = useRef(false);

  const refresh = useCallback(() => {
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    call('runs-list', { kind: 'bsde-solve' })
      .then((list) => {
        setRuns(list.filter(isSolve));
        setError(null);
      })
      .catch((e) => setError(appErrorOf(e).message))
      .finally(() => {
        busy.current = false;
        if (again.current) {
          again.current = false;
          refresh();
        }
      });
  }, []);

  useEffect(() => {
    if (connectionOpens > 0) refresh();
  }, [connectionOpens, refresh]);
  useRpcEvent('runs-changed', () => refresh());
  useRpcEvent('run-finished', () => refresh());
  useRpcEvent('run-failed', () => refresh());
  useRpcEvent('run-cancelled', () => refresh());
  useRpcEvent('run-progress', (ev) => {
    setProgress((p) => {
      const prev = p[ev.runId];
      const detail = (ev.detail as BsdeProgress | undefined) ?? prev?.detail ?? null;
      return { ...p, [ev.runId]: { done: ev.done, total: ev.total, etaMs: ev.etaMs, elapsedMs: ev.elapsedMs, receivedAt: Date.now(), detail } };
    });
  });
  return { runs, progress, error, refresh };
}
