import { type ReactNode, useState } from 'react';
import { type RunStatus } from '../../src-shared/api/runs';
import { useNow } from '../hooks/useNow';
import { type ProgressInfo } from '../hooks/useRuns';
import { appErrorOf, call } from '../ipc/client';
import { ProgressBar } from './ProgressBar';

/** A run's latest 'run-progress' report and when it arrived (ms). */
type LiveReport = Pick<ProgressInfo, 'done' | 'total' | 'elapsedMs' | 'etaMs' | 'receivedAt'>;

interface Props {
  runId: string;
  status: RunStatus;
  /** Latest 'run-progress' of the run (live elapsed and ETA), if one arrived. */
  progress: LiveReport | undefined;
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
 * Work done / total, elapsed and time left of a live run at `now` (ms): the latest report's figures with the time
 * since it arrived added to elapsed and taken off the time left; before any report, the stored progress and the
 * time since the run started (null when it has not started).
 */
export function liveTiming(progress: LiveReport | undefined, stored: { done: number; total: number }, startedAt: number | null, now: number): RunTiming {
  const since = progress ? now - progress.receivedAt : 0;
  return {
    done: progress?.done ?? stored.done,
    total: progress?.total ?? stored.total,
    elapsedMs: progress ? progress.elapsedMs + since : startedAt ? now - startedAt : null,
    etaMs: progress && progress.etaMs !== null ? Math.max(0, progress.etaMs - since) : null,
  };
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
  const { done, total, elapsedMs, etaMs } = liveTiming(progress, stored, startedAt, now);
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
