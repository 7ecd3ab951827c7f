import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type Events } from '../../../src-shared/api/contract';
import { type AnyRun, isTerminal } from '../../../src-shared/api/runs';
import { type DatasetSummary, type PathSetSummary } from '../../../src-shared/orderbook/contract';
import { queryKeys } from '../../app/queryKeys';
import { useRpcEvent } from '../../hooks/useRpcEvent';
import { fetchRuns } from '../../hooks/useRuns';
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
const NONE: never[] = [];

/**
 * The Order books view's data — data sets, path sets and the import / path runs — from the query cache
 * (refetched on run events by app/queryInvalidation.ts), with the live progress of those runs.
 */
export function useOrderbook(_connectionOpens: number): OrderbookState {
  const client = useQueryClient();
  const datasets = useQuery({ queryKey: queryKeys.datasets, queryFn: () => call('orderbook-datasets', {}) });
  const pathSets = useQuery({ queryKey: queryKeys.pathSets, queryFn: () => call('orderbook-path-sets', {}) });
  const runs = useQuery({ queryKey: queryKeys.runs(KINDS), queryFn: () => fetchRuns(KINDS) });
  const [progress, setProgress] = useState<Record<string, ObProgress>>({});

  useRpcEvent('run-progress', (e) => {
    if (!runs.data?.some((r) => r.id === e.runId)) return;
    setProgress((p) => ({ ...p, [e.runId]: { ...e, detail: e.detail ?? p[e.runId]?.detail, receivedAt: Date.now() } }));
  });

  const failed = datasets.error ?? pathSets.error ?? runs.error;
  return {
    datasets: datasets.data ?? NONE,
    pathSets: pathSets.data ?? NONE,
    runs: runs.data ?? NONE,
    progress,
    loaded: datasets.isSuccess && pathSets.isSuccess && runs.isSuccess,
    error: failed ? appErrorOf(failed).message : null,
    refresh: () => {
      void client.invalidateQueries({ queryKey: queryKeys.orderbookAll });
      void client.invalidateQueries({ queryKey: queryKeys.runs(KINDS) });
    },
  };
}

/** Import or path runs still queued or running. */
export const liveRuns = (runs: AnyRun[], kind: (typeof KINDS)[number]): AnyRun[] => runs.filter((r) => r.kind === kind && !isTerminal(r.status));
