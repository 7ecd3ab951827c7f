import { useCallback, useEffect, useRef, useState } from 'react';
import { type Events } from '../../../src-shared/api/contract';
import { type AnyRun, isTerminal } from '../../../src-shared/api/runs';
import { type DatasetSummary, type PathSetSummary } from '../../../src-shared/orderbook/contract';
import { useRpcEvent } from '../../hooks/useRpcEvent';
import { appErrorOf, call } from '../../ipc/client';

export type ObProgress = Events['run-progress'] & { receivedAt: number };

export interface OrderbookState {
  datasets: DatasetSummary[];
  pathSets: PathSetSummary[];
  /** Import and path runs, newest first. */
  runs: AnyRun[];
  /** Latest 'run-progress' per run (with its detail when it carried one). */
  progress: Record<string, ObProgress>;
  loaded: boolean;
  error: string | null;
  refresh(): void;
}

const KINDS = ['orderbook-import', 'orderbook-paths'] as const;

/**
 * The Order books view's data: data sets, path sets and the import / path runs, fetched on every (re)connect
 * and again when a run of those kinds changes. Refetches never overlap (one more runs after the current one).
 */
export function useOrderbook(connectionOpens: number): OrderbookState {
  const [datasets, setDatasets] = useState<DatasetSummary[]>([]);
  const [pathSets, setPathSets] = useState<PathSetSummary[]>([]);
  const [runs, setRuns] = useState<AnyRun[]>([]);
  const [progress, setProgress] = useState<Record<string, ObProgress>>({});
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const again = useRef(false);
  const mounted = useRef(true);
  const known = useRef(new Set<string>());

  const refresh = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    Promise.all([call('orderbook-datasets', {}), call('orderbook-path-sets', {}), ...KINDS.map((kind) => call('runs-list', { kind }))])
      .then(([ds, ps, ...lists]) => {
        if (!mounted.current) return;
        const all = (lists as AnyRun[][]).flat().sort((a, b) => b.createdAt - a.createdAt);
        known.current = new Set(all.map((r) => r.id));
        setDatasets(ds as DatasetSummary[]);
        setPathSets(ps as PathSetSummary[]);
        setRuns(all);
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

  const ours = (runId: string): boolean => known.current.has(runId);
  // A run was created, deleted or changed status (possibly one of ours that is not known yet): refetch.
  useRpcEvent('runs-changed', () => refresh());
  useRpcEvent('run-finished', (e) => ours(e.runId) && refresh());
  useRpcEvent('run-failed', (e) => ours(e.runId) && refresh());
  useRpcEvent('run-cancelled', (e) => ours(e.runId) && refresh());
  useRpcEvent('run-progress', (e) => {
    if (!ours(e.runId)) return;
    setProgress((p) => ({ ...p, [e.runId]: { ...e, detail: e.detail ?? p[e.runId]?.detail, receivedAt: Date.now() } }));
  });

  return { datasets, pathSets, runs, progress, loaded, error, refresh };
}

/** Import or path runs still queued or running. */
export const liveRuns = (runs: AnyRun[], kind: (typeof KINDS)[number]): AnyRun[] => runs.filter((r) => r.kind === kind && !isTerminal(r.status));
