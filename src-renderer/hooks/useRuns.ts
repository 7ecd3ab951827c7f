import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { type Events } from '../../src-shared/api/contract';
import { type AnyRun, isHedgeRun, type RunSummary } from '../../src-shared/api/runs';
import { queryKeys } from '../app/queryKeys';
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

export interface RunsQuery<R extends AnyRun> {
  /** Run kinds listed, newest first across kinds. */
  kinds: string[];
  /** Narrows a listed run to the view's type. */
  isOurs: (r: AnyRun) => r is R;
  /** Claims a progress report for a run not listed yet (e.g. by its detail's kind). */
  ownsProgress?: (ev: Events['run-progress']) => boolean;
}

/** Every run of `kinds`, newest first across kinds. */
export async function fetchRuns(kinds: readonly string[]): Promise<AnyRun[]> {
  const lists = await Promise.all(kinds.map((kind) => call('runs-list', { kind })));
  return lists.flat().sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * A view's runs of some kinds, through the query cache (key `['runs', ...kinds]`): fetched once, refetched
 * when app/queryInvalidation.ts maps a run event onto it. The live progress of its runs arrives as pushed
 * events, not server state, and is kept here: listed rows show it (a queued run that reports is running).
 */
export function useRunsOf<R extends AnyRun>(_connectionOpens: number, query: RunsQuery<R>): RunsState<R> {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: queryKeys.runs(query.kinds),
    queryFn: () => fetchRuns(query.kinds),
    select: (all) => all.filter(query.isOurs),
  });
  const [progress, setProgress] = useState<Record<string, ProgressInfo>>({});
  const [details, setDetails] = useState<Record<string, unknown>>({});
  const listed = list.data;

  useRpcEvent('run-progress', (ev) => {
    const known = listed?.some((r) => r.id === ev.runId) ?? false;
    if (!known && !(query.ownsProgress?.(ev) ?? true)) return;
    setProgress((p) => ({ ...p, [ev.runId]: { ...ev, receivedAt: Date.now() } }));
    if (ev.detail !== undefined) setDetails((p) => ({ ...p, [ev.runId]: ev.detail }));
  });

  const runs = useMemo(
    () =>
      (listed ?? []).map((r) => {
        const p = progress[r.id];
        if (!p || (r.status !== 'queued' && r.status !== 'running')) return r;
        return { ...r, status: 'running', progress: { done: p.done, total: p.total } } as R;
      }),
    [listed, progress],
  );

  return {
    runs,
    loaded: list.isSuccess,
    error: list.error ? appErrorOf(list.error).message : null,
    progress,
    details,
    refresh: () => void client.invalidateQueries({ queryKey: queryKeys.runs(query.kinds) }),
  };
}

const HEDGE_RUNS: RunsQuery<RunSummary> = { kinds: ['hedge'], isOurs: isHedgeRun };

/** Single-option hedging runs (kind 'hedge'). */
export const useRuns = (connectionOpens: number): RunsState<RunSummary> => useRunsOf(connectionOpens, HEDGE_RUNS);
