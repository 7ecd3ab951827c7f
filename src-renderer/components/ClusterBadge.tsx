import styles from './ClusterBadge.module.css';

/** "cluster" beside a run computed by the cluster's workers (compute 'cluster'); nothing for runs computed here. */
export function ClusterBadge({ compute }: { compute: string | null | undefined }) {
  if (compute !== 'cluster') return null;
  return (
    <span className={styles.badge} data-testid="cluster-badge" title="Computed on the cluster (a worker on Redis); the result is stored here">
      cluster
    </span>
  );
}
