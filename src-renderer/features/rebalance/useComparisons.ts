import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type HedgeComparison } from '../../../src-shared/bsde/hedge';
import { queryKeys } from '../../app/queryKeys';
import { appErrorOf, call } from '../../ipc/client';

export interface Live<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  refresh(): void;
}

/**
 * Every stored comparison ('bsde-comparisons-list') from the query cache; app/queryInvalidation.ts refetches
 * it when a run is created or ends (a comparison's cells are runs).
 */
export function useComparisons(_connectionOpens: number): Live<HedgeComparison[]> {
  const client = useQueryClient();
  const q = useQuery({ queryKey: queryKeys.comparisons, queryFn: () => call('bsde-comparisons-list', {}) });
  return {
    data: q.data ?? null,
    error: q.error ? appErrorOf(q.error).message : null,
    loading: q.isFetching,
    refresh: () => void client.invalidateQueries({ queryKey: queryKeys.comparisons, exact: true }),
  };
}

/** One comparison ('bsde-compare-get'), under the comparisons key so the same run events refetch it. */
export function useComparison(_connectionOpens: number, groupId: string | null): Live<HedgeComparison> {
  const client = useQueryClient();
  const key = [...queryKeys.comparisons, groupId] as const;
  const q = useQuery({ queryKey: key, queryFn: () => call('bsde-compare-get', { groupId: groupId! }), enabled: groupId !== null });
  return {
    data: groupId === null ? null : (q.data ?? null),
    error: q.error ? appErrorOf(q.error).message : null,
    loading: q.isFetching,
    refresh: () => void client.invalidateQueries({ queryKey: key }),
  };
}
