import { useQuery } from '@tanstack/react-query';
import { type ClusterInfo } from '../../../src-shared/cluster/contract';
import { queryKeys } from '../../app/queryKeys';
import { appErrorOf, call } from '../../ipc/client';

/** While the cluster is chosen, re-read its state this often (workers come and go without telling the app). */
export const CLUSTER_POLL_MS = 5000;

/** The cluster state from 'cluster-status' in the query cache; 'cluster-changed' replaces it (app/queryInvalidation.ts). */
export function useCluster(): { info: ClusterInfo | null; error: string | null } {
  const q = useQuery({
    queryKey: queryKeys.cluster,
    queryFn: () => call('cluster-status', {}),
    refetchInterval: (query) => (query.state.data?.compute === 'cluster' ? CLUSTER_POLL_MS : false),
  });
  return { info: q.data ?? null, error: q.error ? appErrorOf(q.error).message : null };
}

/** "connected · 2 workers · 3 waiting · 1 active", or why the cluster is not in use. */
export function clusterStateText(info: ClusterInfo): string {
  if (info.compute === 'local') return 'this machine';
  if (info.connecting) return 'connecting…';
  if (info.effective === 'local') return 'not connected: jobs run on this machine';
  if (!info.connected) return 'connection lost';
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  return `connected · ${n(info.workers, 'worker')} · ${info.waiting} waiting · ${info.active} active`;
}
