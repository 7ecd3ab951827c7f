import { type QueryClient, type QueryKey } from '@tanstack/react-query';
import { type EventName, type Events } from '../../src-shared/api/contract';
import { type ConnectionState } from '../ipc/client';
import { queryKeys } from './queryKeys';

/** Minimum spacing of run-list refetches caused by progress reports (a list row shows status and progress). */
export const PROGRESS_REFETCH_MS = 2000;

/**
 * THE map from pushed run events to the queries they make stale — the one place that knows which server
 * state an event touches. A run that starts, finishes, fails, is cancelled, deleted or written by another
 * process (the CLI: the host notices and pushes runs-changed) changes the run lists, the comparisons built
 * from them (rebalancing comparisons, deep hedging experiments), the order-book path sets (a path build is a run) and the books' run counts; a finished run's
 * stored record changes too.
 */
export function invalidationsFor<E extends EventName>(event: E, payload: Events[E]): QueryKey[] {
  switch (event) {
    case 'runs-changed': {
      const ids = (payload as Events['runs-changed']).runIds;
      return [queryKeys.runsAll, queryKeys.comparisons, queryKeys.experimentsAll, queryKeys.orderbookAll, queryKeys.books, ...ids.map(queryKeys.run)];
    }
    case 'run-finished':
    case 'run-failed':
    case 'run-cancelled': {
      const { runId } = payload as Events['run-finished'];
      return [queryKeys.runsAll, queryKeys.comparisons, queryKeys.experimentsAll, queryKeys.orderbookAll, queryKeys.books, queryKeys.run(runId)];
    }
    case 'run-progress':
      return [queryKeys.runsAll];
    default:
      return [];
  }
}

/** The transport's pieces this module uses (ipc/client.ts in the app; fakes in tests). */
export interface EventSource {
  subscribe<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void;
  onConnectionState(cb: (s: ConnectionState) => void): () => void;
  getConnectionState(): ConnectionState;
}

const RUN_EVENTS = ['runs-changed', 'run-finished', 'run-failed', 'run-cancelled'] as const;

/**
 * Connects the query cache to the host's events: run events invalidate per {@link invalidationsFor}
 * (progress at most every {@link PROGRESS_REFETCH_MS}), 'system-changed' replaces the system info, 'cluster-changed'
 * the Compute control's cluster state, and each
 * (re)connection refetches everything (events may have been missed while the socket was down).
 * Returns the function that disconnects it.
 */
export function connectQueryInvalidation(client: QueryClient, source: EventSource, now: () => number = Date.now): () => void {
  const invalidate = (keys: QueryKey[]): void => {
    for (const queryKey of keys) void client.invalidateQueries({ queryKey });
  };
  let lastProgress = -Infinity;
  let opens = source.getConnectionState().opens;
  const offs = [
    ...RUN_EVENTS.map((e) => source.subscribe(e, (p) => invalidate(invalidationsFor(e, p)))),
    source.subscribe('run-progress', (p) => {
      const t = now();
      if (t - lastProgress < PROGRESS_REFETCH_MS) return;
      lastProgress = t;
      invalidate(invalidationsFor('run-progress', p));
    }),
    source.subscribe('system-changed', (info) => client.setQueryData(queryKeys.systemInfo, info)),
    source.subscribe('cluster-changed', (info) => client.setQueryData(queryKeys.cluster, info)),
    source.onConnectionState((s) => {
      if (s.status === 'open' && s.opens !== opens) {
        // The first open: queries started while connecting are waiting on it already; later opens refetch.
        if (opens > 0) void client.invalidateQueries();
        opens = s.opens;
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}
