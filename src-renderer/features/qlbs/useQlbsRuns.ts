import { useCallback, useEffect, useRef, useState } from 'react';
import { type Events } from '../../../src-shared/api/contract';
import { type AnyRun, type RunRecord } from '../../../src-shared/api/runs';
import { type QlbsConfig, type QlbsMetrics } from '../../../src-shared/qlbs/config';
import { type QlbsSweepConfig, type QlbsSweepMetrics } from '../../../src-shared/qlbs/sweep';
import { useRpcEvent } from '../../hooks/useRpcEvent';
import { appErrorOf, call } from '../../ipc/client';

export type QlbsRun = RunRecord<'qlbs', QlbsConfig, QlbsMetrics>;
export type QlbsSweepRun = RunRecord<'qlbs-sweep', QlbsSweepConfig, QlbsSweepMetrics>;
export type QlbsAnyRun = QlbsRun | QlbsSweepRun;

export const isQlbsRun = (r: AnyRun): r is QlbsRun => r.kind === 'qlbs';
export const isQlbsSweep = (r: AnyRun): r is QlbsSweepRun => r.kind === 'qlbs-sweep';

export type QlbsProgress = Events['run-progress'] & { receivedAt: number };

export interface QlbsRunsState {
  runs: QlbsAnyRun[];
  loaded: boolean;
  error: string | null;
  /** Latest 'run-progress' per run, and the latest one that carried a detail. */
  progress: Record<string, QlbsProgress>;
  details: Record<string, unknown>;
  refresh(): void;
}

const PROGRESS_REFRESH_MS = 2000;

/**
 * QLBS runs and sweeps (kinds 'qlbs' and 'qlbs-sweep'), newest first: fetched on every (re)connect,
 * refetched on 'runs-changed' and finish/fail/cancel events and (throttled) while progress arrives. Refetches
 * never overlap: a request made while one is in flight runs once after it.
 */
export function useQlbsRuns(connectionOpens: number): QlbsRunsState {
  const [runs, setRuns] = useState<QlbsAnyRun[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, QlbsProgress>>({});
  const [details, setDetails] = useState<Record<string, unknown>>({});
  const inFlight = useRef(false);
  const again = useRef(false);
  const lastProgressRefresh = useRef(0);
  const mounted = useRef(true);
  const known = useRef(new Set<string>());

  const refresh = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    Promise.all([call('runs-list', { kind: 'qlbs' }), call('runs-list', { kind: 'qlbs-sweep' })])
      .then(([a, b]) => {
        if (!mounted.current) return;
        const list = [...a.filter(isQlbsRun), ...b.filter(isQlbsSweep)].sort((x, y) => y.createdAt - x.createdAt);
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
    const d = ev.detail as { kind?: string } | undefined;
    const ours = known.current.has(ev.runId) || d?.kind === 'qlbs' || d?.kind === 'qlbs-sweep';
    if (!ours) return;
    setProgress((p) => ({ ...p, [ev.runId]: { ...ev, receivedAt: Date.now() } }));
    if (d !== undefined) setDetails((p) => ({ ...p, [ev.runId]: d }));
    setRuns((rs) =>
      rs.map((r) =>
        r.id === ev.runId
          ? ({ ...r, status: r.status === 'queued' ? 'running' : r.status, progress: { done: ev.done, total: ev.total } } as QlbsAnyRun)
          : r,
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
