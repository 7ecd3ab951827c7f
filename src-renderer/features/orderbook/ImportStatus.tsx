import { useState } from 'react';
import { type AnyRun } from '../../../src-shared/api/runs';
import { type ImportMetrics, type ImportProgressDetail } from '../../../src-shared/orderbook/contract';
import { fmtInt } from '../../app/format';
import { ProgressLine } from '../../components/ProgressBar';
import { liveTiming } from '../../components/RunProgress';
import { useNow } from '../../hooks/useNow';
import { appErrorOf, call } from '../../ipc/client';
import { type ObProgress } from './useOrderbook';
import styles from './orderbook.module.css';
import { cx } from '../../styles/cx';

const REASON_LABELS: Record<string, string> = {
  'non-numeric': 'not a number',
  'missing-value': 'empty cell',
  'wrong-cell-count': 'wrong number of cells',
  'price-not-positive': 'price <= 0',
  'size-not-positive': 'size <= 0',
  'crossed-book': 'crossed book (bid >= ask)',
  'unsorted-time': 'out of time order',
  'wap-not-positive': 'WAP not positive',
};

/** Rows read, rows per second, elapsed and time left of a running import, with Cancel. */
export function ImportProgress({ run, progress }: { run: AnyRun; progress: ObProgress | undefined }) {
  const now = useNow(250, true);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const d = progress?.detail as ImportProgressDetail | undefined;
  const { elapsedMs } = liveTiming(progress, run.progress, run.startedAt, now);
  const since = progress ? now - progress.receivedAt : 0;
  const rowsRead = d?.rowsRead ?? 0;
  const rowsTotal = d?.rowsTotal ?? run.progress.total;
  const hashing = d?.stage === 'hashing';
  // The bar shows the percentage of rows read (the row total is an estimate); the content check before it is
  // reported in words only.
  const percent = hashing || rowsTotal <= 0 ? 0 : Math.min(100, Math.round((1000 * rowsRead) / rowsTotal) / 10);
  // The job's own estimate (from its reading rate), run down between reports.
  const left = d?.secondsLeft ?? null;
  const etaMs = left === null ? null : Math.max(0, left * 1000 - since);
  const cancel = async (): Promise<void> => {
    setCancelling(true);
    setError(null);
    try {
      await call('runs-cancel', { runId: run.id });
    } catch (e) {
      setError(appErrorOf(e).message);
      setCancelling(false);
    }
  };
  return (
    <div className={styles.progress} data-testid="ob-import-progress" data-run-id={run.id}>
      <div className="live-row">
        <ProgressLine done={percent} total={100} elapsedMs={elapsedMs} etaMs={etaMs} pctTestId="ob-import-percent" etaTestId="ob-time-left" className={styles.importLine}>
          {run.status === 'queued' ? (
            <span>Queued: waiting for a worker…</span>
          ) : hashing ? (
            <span data-testid="ob-import-stage">
              Checking content (sha256): {((d?.bytesHashed ?? 0) / 1e6).toFixed(1)} / {((d?.bytesTotal ?? 0) / 1e6).toFixed(1)} MB
            </span>
          ) : (
            <>
              <span data-testid="ob-rows-read">
                {fmtInt(rowsRead)} / ≈{fmtInt(rowsTotal)} rows read
              </span>
              <span data-testid="ob-rows-per-sec">{fmtInt(d?.rowsPerSec ?? 0)} rows/s</span>
            </>
          )}
        </ProgressLine>
        <button type="button" className="danger small" data-testid="ob-import-cancel" disabled={cancelling} onClick={() => void cancel()}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      {d && d.files > 1 && (
        <div className={cx('muted', styles.block)}>
          file {d.fileIndex + 1} of {d.files}: {d.file}
        </div>
      )}
      {d && d.rejectedRows > 0 && <div className={cx('muted', styles.block)}>{fmtInt(d.rejectedRows)} bad rows left out so far</div>}
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** How an import ended: stored (with rejected rows by reason), already imported, failed or cancelled. */
export function ImportResult({ run, datasetLabel }: { run: AnyRun; datasetLabel: (id: string) => string | null }) {
  if (run.status === 'failed') {
    return (
      <div className={cx('run-message', 'error', styles.result)} data-testid="ob-import-error" role="alert">
        <b>Import failed.</b> {run.error?.message ?? 'No error message was recorded.'}
        <div className="muted">Nothing was stored.</div>
      </div>
    );
  }
  if (run.status === 'cancelled' || run.status === 'interrupted') {
    return (
      <div className={cx('run-message', 'warn', styles.result)} data-testid="ob-import-cancelled">
        <b>Import {run.status}.</b> Nothing was stored.
      </div>
    );
  }
  const m = run.metrics as ImportMetrics | null;
  if (!m) return null;
  if (m.duplicateOf) {
    return (
      <div className={cx('run-message', 'warn', styles.result)} data-testid="ob-import-duplicate">
        <b>Already imported</b> as “{datasetLabel(m.duplicateOf) ?? m.duplicateOf}” (same content): nothing new was stored. It is selected below.
      </div>
    );
  }
  return (
    <div className={cx('run-message', styles.result)} data-testid="ob-import-result">
      <b>Imported {fmtInt(m.acceptedRows)} rows</b> · {m.stocks} stock{m.stocks === 1 ? '' : 's'} · {fmtInt(m.buckets)} buckets · {m.files} {m.format} file
      {m.files === 1 ? '' : 's'} in {m.seconds.toFixed(2)} s ({fmtInt(m.rowsPerSec)} rows/s).
      {m.rejectedRows > 0 && (
        <div className={styles.rejects} data-testid="ob-import-rejects">
          {fmtInt(m.rejectedRows)} bad rows left out:{' '}
          {Object.entries(m.rejectReasons)
            .map(([k, v]) => `${REASON_LABELS[k] ?? k} ${fmtInt(v)}`)
            .join(', ')}
          <ul>
            {m.rejectExamples.slice(0, 4).map((e, i) => (
              <li key={i}>
                {e.file}, row {e.row}
                {e.line !== null ? ` (line ${e.line})` : ''}, {e.column}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {(m.duplicateTimes?.count ?? 0) > 0 && m.duplicateTimes?.first && (
        <div className="muted" data-testid="ob-import-duplicate-times">
          {fmtInt(m.duplicateTimes.count)} row{m.duplicateTimes.count === 1 ? '' : 's'} repeat the previous row's timestamp (kept, in file order); first: {m.duplicateTimes.first.file}, row{' '}
          {m.duplicateTimes.first.row}
          {m.duplicateTimes.first.line !== null ? ` (line ${m.duplicateTimes.first.line})` : ''}, stock {m.duplicateTimes.first.stockId}, time_id {m.duplicateTimes.first.timeId}
        </div>
      )}
      {(m.backwardTimes?.count ?? 0) > 0 && m.backwardTimes?.first && (
        <div className="muted" data-testid="ob-import-backward-times">
          {fmtInt(m.backwardTimes.count)} row{m.backwardTimes.count === 1 ? '' : 's'} go back in time inside a bucket (kept, in file order); first: {m.backwardTimes.first.file}, row{' '}
          {m.backwardTimes.first.row}
          {m.backwardTimes.first.line !== null ? ` (line ${m.backwardTimes.first.line})` : ''}: {m.backwardTimes.first.time} after {m.backwardTimes.first.previous}
        </div>
      )}
      {m.lobster && (
        <div className="muted" data-testid="ob-import-lobster">
          LOBSTER: {m.lobster.pairs} pair{m.lobster.pairs === 1 ? '' : 's'}, {fmtInt(m.lobster.messages)} messages, {m.lobster.bucketSeconds} s buckets; {m.lobster.halts} halt
          {m.lobster.halts === 1 ? '' : 's'} ({fmtInt(m.lobster.haltedRows)} messages inside, {fmtInt(m.lobster.haltedDropped)} of their books left out); {fmtInt(m.lobster.oneSidedRows)} one-sided books
          left out (no WAP)
        </div>
      )}
      {m.skippedFiles.length > 0 && (
        <div className="muted">
          Left out: {m.skippedFiles.map((s) => `${s.path} (${s.reason})`).join('; ')}
        </div>
      )}
    </div>
  );
}
