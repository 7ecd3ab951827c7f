import { type ReactNode } from 'react';
import { fmtDuration, fmtInt } from '../app/format';

interface Props {
  done: number;
  total: number;
  elapsedMs: number | null;
  etaMs: number | null;
  testId?: string;
  /** What `done` and `total` count (default 'paths'). */
  unit?: string;
}

/** Work done / total (paths unless `unit` says otherwise), percentage, elapsed and estimated time left. */
export function ProgressBar({ done, total, elapsedMs, etaMs, testId, unit = 'paths' }: Props) {
  return (
    <ProgressLine done={done} total={total} elapsedMs={elapsedMs} etaMs={etaMs} testId={testId}>
      <span data-testid="progress-count">
        {fmtInt(done)} / {fmtInt(total)} {unit}
      </span>
    </ProgressLine>
  );
}

/**
 * A live run's progress line: the bar (ProgressTrack), then the run's own text (`children`: what is being done)
 * followed by elapsed and estimated time left. `pctTestId` / `etaTestId` name the percentage and time-left labels.
 */
export function ProgressLine(props: {
  done: number;
  total: number;
  elapsedMs: number | null;
  etaMs: number | null;
  testId?: string;
  pctTestId?: string;
  etaTestId?: string;
  /** Extra class of the block (its place in the panel's layout). */
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={props.className ? `progress ${props.className}` : 'progress'} data-testid={props.testId}>
      <ProgressTrack done={props.done} total={props.total} pctTestId={props.pctTestId} />
      <div className="progress-text">
        {props.children}
        <ProgressTimes elapsedMs={props.elapsedMs} etaMs={props.etaMs} etaTestId={props.etaTestId} />
      </div>
    </div>
  );
}

/**
 * The bar itself: fill and percentage of `done / total` (clamped to 0..100 %), with the progressbar role.
 * `pctTestId` names the percentage label (default 'progress-percent').
 */
export function ProgressTrack({ done, total, pctTestId = 'progress-percent' }: { done: number; total: number; pctTestId?: string }) {
  const frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const pct = (frac * 100).toFixed(1);
  return (
    <div className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} aria-valuetext={`${pct}%`}>
      <div className="progress-fill" style={{ width: `${frac * 100}%` }} />
      <span className="progress-pct" data-testid={pctTestId}>
        {pct}%
      </span>
    </div>
  );
}

/** The time spans of a progress line: elapsed and estimated time left (ms; null while unknown). */
export function ProgressTimes({ elapsedMs, etaMs, etaTestId }: { elapsedMs: number | null; etaMs: number | null; etaTestId?: string }) {
  return (
    <>
      <span>elapsed {fmtDuration(elapsedMs)}</span>
      <span data-testid={etaTestId}>left ≈ {etaMs === null ? 'estimating…' : fmtDuration(etaMs)}</span>
    </>
  );
}
