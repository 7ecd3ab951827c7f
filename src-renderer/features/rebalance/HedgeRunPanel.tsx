import { useState } from 'react';
import { fmtDuration, fmtInt, fmtPlain, fmtSig } from '../../app/format';
import { RunProgress } from '../../components/RunProgress';
import { RunTitle } from '../../components/RunTitle';
import { type ProgressInfo } from '../../hooks/useRuns';
import { HedgeResults } from './HedgeResults';
import { type HedgeRun, type SolveRun, hedgeTitle, solveScheme } from './runs';
import { SchedulePanel } from './SchedulePanel';
import styles from './rebalance.module.css';
import { cx } from '../../styles/cx';

interface Props {
  run: HedgeRun | null;
  /** The run was just started and is not listed yet. */
  starting: boolean;
  solve: SolveRun | undefined;
  progress: ProgressInfo | undefined;
  detail: unknown;
  /** All hedge runs (the convergence chart picks the comparable ones). */
  siblings: HedgeRun[];
}

/** One line of a hedge job's live detail, whatever it reports ({ phase, message, date, dates, ... }). */
function detailText(d: unknown): string | null {
  if (!d || typeof d !== 'object') return null;
  const o = d as Record<string, unknown>;
  if (typeof o.message === 'string') return o.message;
  const parts: string[] = [];
  if (typeof o.phase === 'string') parts.push(o.phase);
  if (typeof o.date === 'number' && typeof o.dates === 'number') parts.push(`date ${o.date} of ${o.dates}`);
  if (typeof o.t === 'number') parts.push(`t = ${fmtSig(o.t, 3)} y`);
  return parts.length ? parts.join(' · ') : null;
}

/** The selected hedge run: live progress and Cancel while it runs; statistics or one path's schedule when done. */
export function HedgeRunPanel({ run, starting, solve, progress, detail, siblings }: Props) {
  const [tab, setTab] = useState<'stats' | 'schedule'>('stats');
  if (!run) {
    return (
      <section className={cx('panel', styles.runPanel)} data-testid="rb-run-panel">
        <div className="empty" data-testid="rb-run-empty">
          {starting ? 'Starting the hedge run…' : 'No hedge run selected: start one with the form on the left, or click a run in the list above.'}
        </div>
      </section>
    );
  }
  const c = run.config;
  const m = run.metrics;
  const dt = detailText(detail);
  return (
    <section className={cx('panel', styles.runPanel)} data-testid="rb-run-panel" data-run-id={run.id} data-status={run.status}>
      <header className="run-header">
        <RunTitle status={run.status} compute={run.compute} title={hedgeTitle(run, solveScheme(solve))} titleTestId="rb-run-title" runId={run.id}>
          {run.status === 'done' && (
            <div className={styles.tabs} role="tablist">
              <button type="button" role="tab" aria-selected={tab === 'stats'} className={cx('small', styles.tab, tab === 'stats' && styles.active)} data-testid="rb-tab-stats" onClick={() => setTab('stats')}>
                Statistics
              </button>
              <button type="button" role="tab" aria-selected={tab === 'schedule'} className={cx('small', styles.tab, tab === 'schedule' && styles.active)} data-testid="rb-tab-schedule" onClick={() => setTab('schedule')}>
                Schedule of a path
              </button>
            </div>
          )}
        </RunTitle>
        <div className="run-config" data-testid="rb-run-config">
          {solve ? `${solve.config.book.name} · ` : ''}grid N = {m?.steps ?? c.steps ?? '—'}
          {m ? ` (T = ${fmtPlain(m.horizon)} y)` : ''} · seed {c.seed}
          {c.strategy === 'delta-gamma' ? ` · instruments T̃ = ${c.instruments.maturity} y, put K = ${c.instruments.putMoneyness}·S₀, exchange k = ${c.instruments.exchangeRatio}` : ''}
          {run.wallMs ? ` · ${fmtDuration(run.wallMs)}` : ''}
          {run.backend ? ` · ${run.backend}` : ''}
          {run.label && !run.label.includes(` · R=${c.rebalance} · `) ? ` · ${run.label}` : ''}
        </div>
      </header>
      {run.status === 'queued' || run.status === 'running' ? (
        <RunProgress testId="rb-hedge" runId={run.id} status={run.status} progress={progress} stored={run.progress} startedAt={run.startedAt} unit="chunk-dates">
          <div className={cx('muted', styles.liveDetail)} data-testid="rb-hedge-detail">
            {dt ?? `Simulating ${fmtInt(c.paths)} paths in chunks of up to 1,024 over every grid date, rebalancing ${c.rebalance} times${c.strategy === 'delta-gamma' ? ' with an LSQR solve per path and date' : ''}.`}
          </div>
          <div className="live-placeholder">The relative-PnL histogram, the statistics and the schedules appear here when the run finishes.</div>
        </RunProgress>
      ) : run.status === 'done' && m ? (
        tab === 'stats' ? (
          <HedgeResults run={run} siblings={siblings} />
        ) : (
          <SchedulePanel run={run} />
        )
      ) : run.status === 'failed' || (run.status === 'done' && !m) ? (
        <div className="run-message error" role="alert" data-testid="rb-run-failed">
          <b>Hedge run failed.</b> {run.error?.message ?? 'No results were recorded.'} {run.error?.code && <span className="code">[{run.error.code}]</span>}
        </div>
      ) : (
        <div className="run-message warn" data-testid="rb-run-stopped">
          <b>Run {run.status}</b> after {fmtInt(run.progress.done)} / {fmtInt(run.progress.total)} chunk-dates of work; nothing was stored. Start it again from the form.
        </div>
      )}
    </section>
  );
}
