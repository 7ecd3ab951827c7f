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
  progress: Pick<ProgressInfo, 'done' | 'total' | 'elapsedMs' | 'etaMs' | 'receivedAt'> | undefined;
  /** The stored progress, used until a live report arrives. */
  stored: { done: number; total: number };
  startedAt: number | null;
  /** What the work units are ('paths', 'dates', ...). */
  unit?: string;
  /** data-testid prefix (`<p>-progress`, `<p>-cancel`), or the two ids themselves. */
  testId: string | { progress: string; cancel: string };
  /** The line shown while queued; null for none. */
  queued?: string | null;
  /** Extra class of the block. */
  className?: string;
  /** A bar of the job's own in place of the standard one, from the live figures and the progress test id. */
  bar?: (t: RunTiming, testId: string) => ReactNode;
  /** A line under the bar (the job's own live detail). */
  children?: ReactNode;
}

/** Work done / total and the elapsed and remaining time (ms, null while unknown) of a live run. */
export interface RunTiming {
  done: number;
  total: number;
  elapsedMs: number | null;
  etaMs: number | null;
}

/**
 * A queued or running run: progress bar (the standard one, or the job's own from `bar`) with elapsed time and
 * ETA (ticking between reports), and Cancel
 * ('runs-cancel'; the run ends as 'cancelled' with nothing stored).
 */
export function RunProgress({
  runId,
  status,
  progress,
  stored,
  startedAt,
  unit,
  testId,
  queued = 'Queued: waiting for a worker (or for the runs it depends on).',
  className,
  bar,
  children,
}: Props) {
  const now = useNow(250, true);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const done = progress?.done ?? stored.done;
  const total = progress?.total ?? stored.total;
  const since = progress ? now - progress.receivedAt : 0;
  const elapsedMs = progress ? progress.elapsedMs + since : startedAt ? now - startedAt : null;
  const etaMs = progress && progress.etaMs !== null ? Math.max(0, progress.etaMs - since) : null;
  const ids = typeof testId === 'string' ? { progress: `${testId}-progress`, cancel: `${testId}-cancel` } : testId;

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
    <div className={className ? `live ${className}` : 'live'}>
      <div className="live-row">
        {bar ? (
          bar({ done, total, elapsedMs, etaMs }, ids.progress)
        ) : (
          <ProgressBar testId={ids.progress} done={done} total={total} elapsedMs={elapsedMs} etaMs={etaMs} unit={unit} />
        )}
        <button type="button" className="danger" data-testid={ids.cancel} disabled={cancelling} onClick={() => void cancel()}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      {status === 'queued' && queued !== null && <div className="run-message">{queued}</div>}
      {children}
      {error && (
        <div className="run-message error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
