import { useCallback, useEffect, useRef, useState } from 'react';
import { type Events } from '../../src-shared/api/contract';
import { type AnyRun, isHedgeRun, type RunSummary } from '../../src-shared/api/runs';
import { appErrorOf, call } from '../ipc/client';
import { useRpcEvent } from './useRpcEvent';

export type ProgressInfo = Events['run-progress'] & { receivedAt: number };

export interface RunsState<R extends AnyRun = RunSummary> {
  runs: R[];
  /** True once the first 'runs-list' answered. */
  loaded: boolean;
  error: string | null;
  /** Latest 'run-progress' per run. */
  progress: Record<string, ProgressInfo>;
  /** Latest progress detail per run (a job's own live snapshot), for runs whose reports carry one. */
  details: Record<string, unknown>;
  refresh(): void;
}

/** Minimum spacing of list refetches triggered by progress events. */
const PROGRESS_REFRESH_MS = 2000;

export interface RunsQuery<R extends AnyRun> {
  /** Run kinds listed, newest first across kinds. */
  kinds: string[];
  /** Narrows a listed run to the view's type. */
  isOurs: (r: AnyRun) => r is R;
  /** Claims a progress report for a run not listed yet (e.g. by its detail's kind). */
  ownsProgress?: (ev: Events['run-progress']) => boolean;
}

/**
 * A view's runs of some kinds: fetched on every (re)connect, refetched on 'runs-changed' and on
 * finish/fail/cancel of a listed run, and (throttled) while its progress events arrive. Refetches never
 * overlap: a request made while one is in flight runs once after it.
 */
export function useRunsOf<R extends AnyRun>(connectionOpens: number, query: RunsQuery<R>): RunsState<R> {
  const [runs, setRuns] = useState<R[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, ProgressInfo>>({});
  const [details, setDetails] = useState<Record<string, unknown>>({});
  const inFlight = useRef(false);
  const again = useRef(false);
  const lastProgressRefresh = useRef(0);
  const mounted = useRef(true);
  const known = useRef(new Set<string>());
  const q = useRef(query);
  q.current = query;

  const refresh = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    Promise.all(q.current.kinds.map((kind) => call('runs-list', { kind })))
      .then((lists) => {
        if (!mounted.current) return;
        const list = lists.flat().filter(q.current.isOurs).sort((a, b) => b.createdAt - a.createdAt);
        known.current = new Set(list.map((r) => r.id));
        setRuns(list);
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
  useRpcEvent('run-finished', (e) => known.current.has(e.runId) && refresh());
  useRpcEvent('run-failed', (e) => known.current.has(e.runId) && refresh());
  useRpcEvent('run-cancelled', (e) => known.current.has(e.runId) && refresh());
  useRpcEvent('run-progress', (ev) => {
    if (!known.current.has(ev.runId) && !(q.current.ownsProgress?.(ev) ?? true)) return;
    setProgress((p) => ({ ...p, [ev.runId]: { ...ev, receivedAt: Date.now() } }));
    if (ev.detail !== undefined) setDetails((p) => ({ ...p, [ev.runId]: ev.detail }));
    setRuns((rs) =>
      rs.map((r) =>
        r.id === ev.runId ? ({ ...r, status: r.status === 'queued' ? 'running' : r.status, progress: { done: ev.done, total: ev.total } } as R) : r,
      ),
    );
    const now = Date.now();
    if (now - lastProgressRefresh.current > PROGRESS_REFRESH_MS) {
      lastProgressRefresh.current = now;
      refresh();
    }
  });

  return { runs, loaded, error, progress, details, refresh };
}

const HEDGE_RUNS: RunsQuery<RunSummary> = { kinds: ['hedge'], isOurs: isHedgeRun };

/** Single-option hedging runs (kind 'hedge'). */
export const useRuns = (connectionOpens: number): RunsState<RunSummary> => useRunsOf(connectionOpens, HEDGE_RUNS);
