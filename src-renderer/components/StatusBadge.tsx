import { type RunStatus } from '../../src-shared/api/runs';
import { cx } from '../styles/cx';
import styles from './StatusBadge.module.css';

const TEXT: Record<RunStatus, string> = {
  queued: 'queued',
  running: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/** The pill's colour per status. */
const STATUS_CLASS: Record<RunStatus, string> = {
  queued: styles.queued,
  running: styles.running,
  done: styles.done,
  failed: styles.failed,
  cancelled: styles.cancelled,
  interrupted: styles.interrupted,
};

/** A coloured run status pill. */
export function StatusBadge({ status, extra }: { status: RunStatus; extra?: string }) {
  return (
    <span className={cx(styles.badge, STATUS_CLASS[status])} data-testid="status-badge" data-status={status}>
      {TEXT[status] ?? status}
      {extra ? ` ${extra}` : ''}
    </span>
  );
}
