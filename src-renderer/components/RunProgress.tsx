import { type ReactNode, useState } from 'react';
import { type RunStatus } from '../../src-shared/api/runs';
import { useNow } from '../hooks/useNow';
import { type ProgressInfo } from '../hooks/useRuns';
import { appErrorOf, call } from '../ipc/client';
import { ProgressBar } from './ProgressBar';

interface Props {
  runId: string;
  status: RunStatus;
  /** Latest 'run-progress' of the run (live elapsed and ETA), if one arrived. */
  progress: ProgressInfo | undefined;
  /** The stored progress, used until a live report arrives. */
  stored: { done: number; total: number };
  startedAt: number | null;
  /** What the work units are ('paths', 'dates', ...). */
  unit?: string;
  /** data-testid prefix: `<p>-progress`, `<p>-cancel`. */
  testId: string;
  /** A line under the bar (the job's own live detail). */
  children?: ReactNode;
}

/**
 * A queued or running run: progress bar with elapsed time and ETA (ticking between reports), and Cancel
 * ('runs-cancel'; the run ends as 'cancelled' with nothing stored).
 */
export function RunProgress({ runId, status, progress, stored, startedAt, unit, testId, children }: Props) {
  const now = useNow(250, true);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const done = progress?.done ?? stored.done;
  const total = progress?.total ?? stored.total;
  const since = progress ? now - progress.receivedAt : 0;
  const elapsedMs = progress ? progress.elapsedMs + since : startedAt ? now - startedAt : null;
  const etaMs = progress && progress.etaMs !== null ? Math.max(0, progress.etaMs - since) : null;

  const cancel = async (): Promise<void> => {
    setCancelling(true);
    setError(null);
    try {
      await call('runs-cancel', { runId });
    } catch (e) {
      setError(appErrorOf(e).message);
      setCancelling(false);
    }
  };

  return (
    <div className="live">
      <div className="live-row">
        <ProgressBar testId={`${testId}-progress`} done={done} total={total} elapsedMs={elapsedMs} etaMs={etaMs} unit={unit} />
        <button type="button" className="danger" data-testid={`${testId}-cancel`} disabled={cancelling} onClick={() => void cancel()}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      {status === 'queued' && <div className="run-message">Queued: waiting for a worker (or for the runs it depends on).</div>}
      {children}
      {error && (
        <div className="run-message error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
