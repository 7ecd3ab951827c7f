import { type SystemInfo } from '../../src-shared/api/contract';
import { type ConnectionState } from '../ipc/client';
import { useNow } from '../hooks/useNow';

interface Props {
  info: SystemInfo | null;
  connection: ConnectionState;
  /** Stored runs (null until known). */
  runCount: number | null;
  activeCount: number;
}

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
    <footer className="status-bar" data-testid="status-bar">
      <span className="status-item" title={`Backend notes:\n${notes}`} data-testid="status-backend">
        <span className="status-key">backend</span> {info ? (info.tensorBackend ?? 'probing…') : '—'}
        {info && info.backendNotes.length > 0 && <span className="status-info">i</span>}
      </span>
      <span className="status-item status-path" title={info?.dataDir ?? ''} data-testid="status-datadir">
        <span className="status-key">data</span> {info?.dataDir ?? '—'}
      </span>
      <span className="status-item" data-testid="status-transport">
        <span className="status-key">transport</span> {info?.transport ?? connection.transport}
      </span>
      <span className={`status-item conn conn-${connection.status}`} data-testid="status-connection">
        <span className="conn-dot" /> {connectionText(connection, now)}
      </span>
      <span className="status-item">
        <span className="status-key">runs</span> <span data-testid="status-runs">{runCount ?? "—"}</span>
        {activeCount > 0 ? ` (${activeCount} active)` : ''}
      </span>
      <span className="status-spacer" />
      {info && (
        <span className="status-item" title={`${info.platform}, ${info.cpus} CPUs`}>
          {info.cpus} CPU · {info.platform}
        </span>
      )}
      <span className="status-item" data-testid="status-version">
        v{info?.appVersion ?? '—'}
      </span>
    </footer>
  );
}
