import { type SystemInfo } from '../../src-shared/api/contract';
import { type ConnectionState, type ConnectionStatus } from '../ipc/client';
import { useNow } from '../hooks/useNow';
import styles from './StatusBar.module.css';
import { cx } from '../styles/cx';

interface Props {
  info: SystemInfo | null;
  connection: ConnectionState;
  /** Stored runs (null until known). */
  runCount: number | null;
  activeCount: number;
}

/** The connection dot's colour per connection status. */
const CONN_CLASS: Record<ConnectionStatus, string> = {
  connecting: styles.connConnecting,
  open: styles.connOpen,
  reconnecting: styles.connReconnecting,
  'no-token': styles.connNoToken,
};

function connectionText(c: ConnectionState, now: number): string {
  switch (c.status) {
    case 'open':
      return 'connected';
    case 'connecting':
      return 'connecting…';
    case 'no-token':
      return 'no token in URL';
    case 'reconnecting': {
      const s = c.retryAt ? Math.max(0, Math.ceil((c.retryAt - now) / 1000)) : 0;
      return `disconnected · retry ${c.attempts} in ${s} s${c.queued ? ` · ${c.queued} queued` : ''}`;
    }
  }
}

/** Bottom bar: compute backend (notes in the tooltip), data directory, transport, connection, version. */
export function StatusBar({ info, connection, runCount, activeCount }: Props) {
  const now = useNow(1000, connection.status === 'reconnecting');
  const notes = info?.backendNotes?.length ? info.backendNotes.join('\n') : 'no notes';
  return (
    <footer className={styles.bar} data-testid="status-bar">
      <span className={styles.item} title={`Backend notes:\n${notes}`} data-testid="status-backend">
        <span className={styles.key}>backend</span> {info ? (info.tensorBackend ?? 'probing…') : '—'}
        {info && info.backendNotes.length > 0 && <span className={styles.info}>i</span>}
      </span>
      <span className={cx(styles.item, styles.path)} title={info?.dataDir ?? ''} data-testid="status-datadir">
        <span className={styles.key}>data</span> {info?.dataDir ?? '—'}
      </span>
      <span className={styles.item} data-testid="status-transport">
        <span className={styles.key}>transport</span> {info?.transport ?? connection.transport}
      </span>
      <span className={cx(styles.item, CONN_CLASS[connection.status])} data-testid="status-connection">
        <span className={styles.connDot} /> {connectionText(connection, now)}
      </span>
      <span className={styles.item}>
        <span className={styles.key}>runs</span> <span data-testid="status-runs">{runCount ?? '—'}</span>
        {activeCount > 0 ? ` (${activeCount} active)` : ''}
      </span>
      <span className={styles.spacer} />
      {info && (
        <span className={styles.item} title={`${info.platform}, ${info.cpus} CPUs`}>
          {info.cpus} CPU · {info.platform}
        </span>
      )}
      <span className={styles.item} data-testid="status-version">
        v{info?.appVersion ?? '—'}
      </span>
    </footer>
  );
}
