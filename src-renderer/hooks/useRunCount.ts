import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../app/queryKeys';
import { call } from '../ipc/client';

export interface RunCount {
  /** Runs in the store, every kind and status (null until the first answer). */
  runs: number | null;
  /** Of which queued or running. */
  active: number;
}

/**
 * The number of stored runs, from the store's own count ('runs-count'), not from the length of whichever
 * lists the open tabs happen to hold. In the query cache under the run lists' prefix, so every event that can
 * change it (created, deleted, finished, failed, cancelled, a reconnect) refetches it (app/queryInvalidation.ts).
 */
export function useRunCount(): RunCount {
  const q = useQuery({ queryKey: queryKeys.runCount, queryFn: () => call('runs-count', {}) });
  return q.data ?? { runs: null, active: 0 };
}
