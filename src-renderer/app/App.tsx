import { useCallback, useEffect, useState } from 'react';
import { StatusBar } from '../components/StatusBar';
import { ComputeControl } from '../features/cluster/ComputeControl';
import { useConnection } from '../hooks/useConnection';
import { useRunCount } from '../hooks/useRunCount';
import { useSystemInfo } from '../hooks/useSystemInfo';
import { VIEWS } from './views';
import styles from './App.module.css';
import { cx } from '../styles/cx';

const viewFromHash = (): string => {
  const id = window.location.hash.replace(/^#/, '');
  return VIEWS.some((v) => v.id === id) ? id : VIEWS[0].id;
};

/**
 * The shell: header with one tab per view and the Compute control (this machine or the cluster), the views (each stays mounted once opened, so a running job's
 * live state survives switching tabs), and the status bar. The open view is kept in the address hash.
 */
export function App() {
  const connection = useConnection();
  const { info } = useSystemInfo(connection.opens);
  const [viewId, setViewId] = useState(viewFromHash);
  const [visited, setVisited] = useState<Set<string>>(() => new Set([viewFromHash()]));

  /** Show a view; once shown it stays mounted. */
  const show = useCallback((id: string): void => {
    setViewId(id);
    setVisited((v) => (v.has(id) ? v : new Set([...v, id])));
  }, []);
  useEffect(() => {
    const onHash = (): void => show(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [show]);
  const open = (id: string): void => {
    // Keep the query string (the browser-mode token) and change only the hash.
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${id}`);
    show(id);
  };
  const total = useRunCount();

  return (
    <div className={styles.app}>
      <header className={styles.appHeader}>
        <span className={styles.appName}>Hedge Workstation</span>
        <nav className={styles.appNav} role="tablist">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              aria-selected={v.id === viewId}
              className={cx(styles.navTab, v.id === viewId && styles.active)}
              data-testid={`nav-${v.id}`}
              onClick={() => open(v.id)}
            >
              {v.title}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <ComputeControl connected={connection.status === 'open'} />
        {connection.status !== 'open' && (
          <span className={styles.connBanner} data-testid="connection-banner">
            {connection.status === 'no-token'
              ? 'No access token in the address: open the URL the host printed.'
              : 'Not connected to the host; calls wait until it is back.'}
          </span>
        )}
      </header>
      {VIEWS.filter((v) => visited.has(v.id)).map((v) => (
        <div key={v.id} className={styles.view} hidden={v.id !== viewId} data-testid={`view-${v.id}`}>
          <v.component connection={connection} />
        </div>
      ))}
      <StatusBar info={info} connection={connection} runCount={total.runs} activeCount={total.active} />
    </div>
  );
}
