import { useState } from 'react';
import { type ComputeMode } from '../../../src-shared/cluster/contract';
import { appErrorOf, call } from '../../ipc/client';
import { cx } from '../../styles/cx';
import { ClusterDialog } from './ClusterDialog';
import { clusterStateText, clusterStateTitle, useCluster } from './useCluster';
import styles from './cluster.module.css';

/**
 * The Compute control in the app header, on every screen: "This machine" or "Cluster", the cluster's state
 * (connected, workers, waiting and active jobs, or why it is not in use) and a button for the Redis settings.
 * Choosing Cluster with a saved URL connects at once; without one it opens the dialog. A refusal shows here.
 */
export function ComputeControl({ connected }: { connected: boolean }) {
  const { info } = useCluster();
  const [dialog, setDialog] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const choose = async (compute: ComputeMode): Promise<void> => {
    if (busy) return;
    if (compute === 'cluster' && !info?.where) {
      setDialog(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call('cluster-configure', { compute });
    } catch (e) {
      setError(appErrorOf(e).message);
    } finally {
      setBusy(false);
    }
  };

  const compute = info?.compute ?? 'local';
  const state = info ? clusterStateText(info) : '';
  const tone = !info || compute === 'local' ? null : info.connecting ? styles.pending : info.effective === 'cluster' && info.connected ? styles.ok : styles.bad;
  const title = clusterStateTitle(info);

  return (
    <div className={styles.control} data-testid="compute-control">
      <span className={styles.key}>Compute</span>
      <div className={styles.segmented} role="group" aria-label="Compute">
        <button
          type="button"
          className={cx(styles.seg, compute === 'local' && styles.on)}
          aria-pressed={compute === 'local'}
          disabled={!connected || busy}
          data-testid="compute-local"
          onClick={() => void choose('local')}
        >
          This machine
        </button>
        <button
          type="button"
          className={cx(styles.seg, compute === 'cluster' && styles.on)}
          aria-pressed={compute === 'cluster'}
          disabled={!connected || busy}
          data-testid="compute-cluster"
          onClick={() => void choose('cluster')}
        >
          Cluster
        </button>
      </div>
      {compute === 'cluster' && (
        <span className={cx(styles.state, tone)} title={title} data-testid="compute-state" data-connected={info?.connected && info.effective === 'cluster' ? 'true' : 'false'}>
          <span className={styles.dot} />
          {busy ? 'connecting…' : state}
        </span>
      )}
      <button type="button" className={styles.gear} title="Cluster settings (Redis URL, password, TLS)…" disabled={!connected} data-testid="compute-settings" onClick={() => setDialog(true)}>
        Redis…
      </button>
      {error && (
        <div className={styles.popError} role="alert" data-testid="compute-error">
          {error}
          <button type="button" className={styles.dismiss} aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      {dialog && (
        <ClusterDialog
          info={info}
          onClose={() => {
            setDialog(false);
            setError(null);
          }}
        />
      )}
    </div>
  );
}
