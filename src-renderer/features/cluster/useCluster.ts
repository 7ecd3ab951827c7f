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

/** "2 workers · 3 waiting · 1 active" beside a green dot while connected, or why the cluster is not in use (short: the header is narrow; the tooltip has the rest). */
export function clusterStateText(info: ClusterInfo): string {
  if (info.compute === 'local') return 'this machine';
  if (info.connecting) return 'connecting…';
  if (info.effective === 'local') return 'not connected: jobs run here';
  if (!info.connected) return 'connection lost';
  const n = (k: number, one: string) => `${k} ${k === 1 ? one : `${one}s`}`;
  return `${n(info.workers, 'worker')} · ${info.waiting} waiting · ${info.active} active`;
}

/** The tooltip of the state: where, TLS, and why not connected. */
export function clusterStateTitle(info: ClusterInfo | null): string {
  if (!info?.where) return 'No cluster configured: Redis… to set one';
  const where = `Redis ${info.where}${info.tls ? ' (TLS)' : ''}${info.insecure ? ' · a Redis without a password is allowed' : ''}`;
  if (info.error) return `${info.error}\n${where}`;
  return `${info.connected ? 'connected to' : 'not connected to'} ${where}`;
}
