import { type HandlerTable } from '../../../src-shared/api/handlers';
import { type ClusterControl } from './control';

type ClusterHandlers = Pick<HandlerTable, 'cluster-status' | 'cluster-configure'>;

/** The Compute setting: read the cluster's state, and choose this machine or a cluster (connecting first). */
export function clusterHandlers(deps: { cluster: ClusterControl }): ClusterHandlers {
  const { cluster } = deps;
  return {
    'cluster-status': () => cluster.status(),
    'cluster-configure': (req) => cluster.configure(req),
  };
}
