import { type QueryClient, useQuery } from '@tanstack/react-query';
import { type PnlDistribution } from '../../src-shared/api/runs';
import { appErrorOf, call } from '../ipc/client';

export interface DistributionState {
  data: PnlDistribution | null;
  loading: boolean;
  error: string | null;
}

const distributionKey = (runIds: string[], bins: number | undefined) => ['distribution', runIds.join(','), bins ?? null] as const;

/**
 * 'runs-distribution' for `runIds` (null = nothing to fetch), in the query cache. Finished runs' samples never
 * change, so an answer stays fresh until the runs are deleted ({@link forgetDistributions}); the cache keeps
 * unused answers 10 minutes.
 */
export function useDistribution(runIds: string[] | null, bins?: number): DistributionState {
  const ids = runIds ?? [];
  const q = useQuery({
    queryKey: distributionKey(ids, bins),
    queryFn: () => call('runs-distribution', bins ? { runIds: ids, bins } : { runIds: ids }),
    enabled: ids.length > 0,
    gcTime: 10 * 60_000,
  });
  if (ids.length === 0) return { data: null, loading: false, error: null };
  return { data: q.data ?? null, loading: q.isFetching, error: q.error ? appErrorOf(q.error).message : null };
}

/** Forget cached distributions of deleted runs. */
export function forgetDistributions(client: QueryClient, runIds: string[]): void {
  client.removeQueries({
    queryKey: ['distribution'],
    predicate: (q) => runIds.some((id) => String(q.queryKey[1]).split(',').includes(id)),
  });
}
