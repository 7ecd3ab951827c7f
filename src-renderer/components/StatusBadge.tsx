import { type RunStatus } from '../../src-shared/api/runs';

const TEXT: Record<RunStatus, string> = {
  queued: 'queued',
  running: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/** A coloured run status pill. */
export function StatusBadge({ status, extra }: { status: RunStatus; extra?: string }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {TEXT[status] ?? status}
      {extra ? ` ${extra}` : ''}
    </span>
  );
}
