import { useCallback, useEffect, useRef, useState } from 'react';
import { type Events } from '../../src-shared/api/contract';
import { isHedgeRun, type RunSummary } from '../../src-shared/api/runs';
import { appErrorOf, call } from '../ipc/client';
import { useRpcEvent } from './useRpcEvent';

export type ProgressInfo = Events['run-progress'] & { receivedAt: number };

export interface RunsState {
  runs: RunSummary[];
  /** True once the first 'runs-list' answered. */
  loaded: boolean;
  error: string | null;
  /** Latest 'run-progress' per run. */
  progress: Record<string, ProgressInfo>;
  refresh(): void;
}

/** Minimum spacing of list refetches triggered by progress events. */
const PROGRESS_REFRESH_MS = 2000;

/**
 * The runs list: fetched on every (re)connect, refetched on 'runs-changed' and on finish/fail/cancel events,
 * and (throttled) while progress events arrive. Refetches never overlap: a request made while one is in
 * flight runs once after it.
 */
export function useRuns(connectionOpens: number): RunsState {
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, ProgressInfo>>({});
  const inFlight = useRef(false);
  const again = useRef(false);
  const lastProgressRefresh = useRef(0);
  const mounted = useRef(true);

  const refresh = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    call('runs-list', { kind: 'hedge' })
      .then((list) => {
        if (!mounted.current) return;
        setRuns(list.filter(isHedgeRun).sort((a, b) => b.createdAt - a.createdAt));
        setLoaded(true);
        setError(null);
      })
      .catch((e) => mounted.current && setError(appErrorOf(e).message))
      .finally(() => {
        inFlight.current = false;
        if (again.current) {
          again.current = false;
          refresh();
        }
      });
  }, []);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (connectionOpens > 0) refresh();
  }, [connectionOpens, refresh]);

  useRpcEvent('runs-changed', () => refresh());
  useRpcEvent('run-finished', () => refresh());
  useRpcEvent('run-failed', () => refresh());
  useRpcEvent('run-cancelled', () => refresh());
  useRpcEvent('run-progress', (ev) => {
    setProgress((p) => ({ ...p, [ev.runId]: { ...ev, receivedAt: Date.now() } }));
    setRuns((rs) =>
      rs.map((r) =>
        r.id === ev.runId
          ? { ...r, status: r.status === 'queued' ? 'running' : r.status, progress: { done: ev.done, total: ev.total } }
          : r,
      ),
    );
    const now = Date.now();
    if (now - lastProgressRefresh.current > PROGRESS_REFRESH_MS) {
      lastProgressRefresh.current = now;
      refresh();
    }
  });

  return { runs, loaded, error, progress, refresh };
}
