import { useCallback, useEffect, useMemo, useState } from 'react';
import { type HedgeSchedule } from '../../../src-shared/bsde/hedge';
import { fmtInt, fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { downloadCsv } from '../../components/download';
import { appErrorText, call } from '../../ipc/client';
import { pathIndexError } from './pathIndex';
import { timelineOption } from './charts';
import { type HedgeRun } from './runs';
import { ScheduleGrid } from './ScheduleGrid';
import { cashCsv, csvStem, tradesCsv } from './scheduleCsv';
import styles from './rebalance.module.css';
import { cx } from '../../styles/cx';

type Pick = 'median' | 'worst' | 'best';
type PathArg = number | Pick;

/** Finished runs never change: their schedules are cached by run and path. */
const cache = new Map<string, HedgeSchedule>();
const MAX_CACHED = 30;

/**
 * One path of a finished hedge run replayed ('bsde-hedge-schedule'): pick it by index or as the median,
 * worst or best relative PnL; see every event as a timeline (book value against hedge value, exercise
 * markers, optionally holdings) and as a grid; export the trades and the cash/payments as CSV.
 */
export function SchedulePanel({ run }: { run: HedgeRun }) {
  const [pathText, setPathText] = useState('');
  const [arg, setArg] = useState<PathArg>('median');
  const [schedule, setSchedule] = useState<HedgeSchedule | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [holdings, setHoldings] = useState(false);
  const paths = run.metrics?.paths ?? run.config.paths;

  const load = useCallback(
    async (path: PathArg): Promise<void> => {
      const key = `${run.id}|${path}`;
      setArg(path);
      setError(null);
      const hit = cache.get(key);
      if (hit) {
        setSchedule(hit);
        setPathText(String(hit.path));
        return;
      }
      setLoading(true);
      try {
        const s = await call('bsde-hedge-schedule', { runId: run.id, path });
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
        cache.set(key, s);
        setSchedule(s);
        setPathText(String(s.path));
      } catch (e) {
        setError(appErrorText(e));
      } finally {
        setLoading(false);
      }
    },
    [run.id],
  );

  useEffect(() => {
    setSchedule(null);
    void load('median');
  }, [load]);

  const option = useMemo(() => (schedule ? timelineOption(schedule, { holdings }) : null), [schedule, holdings]);
  const pathNumber = Number(pathText);
  const pathError = pathIndexError(pathText, paths);
  const ctx = {
    runId: run.id,
    strategy: run.config.strategy,
    greeks: run.config.greeks,
    scheme: run.metrics?.scheme ?? '',
    rebalance: run.config.rebalance,
    steps: run.metrics?.steps ?? run.config.steps ?? 0,
    instruments: run.metrics?.instruments ?? [],
  };
  const trades = schedule ? schedule.rows.reduce((a, r) => a + r.tradeAssets.filter((q) => Math.abs(q) > 1e-12).length + r.tradeInstruments.filter((q) => Math.abs(q) > 1e-12).length, 0) : 0;
  const exercises = schedule ? schedule.rows.reduce((a, r) => a + r.payments.filter((p) => p.early).length, 0) : 0;

  return (
    <div className={styles.schedule} data-testid="rb-schedule" data-path={schedule?.path} data-pick={schedule?.pick ?? ''}>
      <div className={cx('toolbar', styles.scheduleBar)}>
        <span className="panel-title-inline">Path</span>
        <form
          className={cx(styles.pathForm, pathError && 'field-invalid')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!pathError && pathText.trim() !== '') void load(pathNumber);
          }}
        >
          <div className={cx('field-input', styles.pathInput)}>
            <input data-testid="rb-path-index" value={pathText} onChange={(e) => setPathText(e.target.value)} inputMode="numeric" aria-label="path index" />
            <span className="field-unit">of {fmtInt(paths)}</span>
          </div>
          <button type="submit" className="small" data-testid="rb-path-load" disabled={!!pathError || pathText.trim() === '' || loading}>
            Show
          </button>
        </form>
        {(['median', 'worst', 'best'] as const).map((p) => (
          <button key={p} type="button" className={cx('small', styles.pick, arg === p && styles.active)} data-testid={`rb-path-${p}`} disabled={loading} onClick={() => void load(p)}>
            {p}
          </button>
        ))}
        {pathError && (
          <span className="inline-error" data-testid="rb-path-error">
            {pathError}
          </span>
        )}
        <span className="spacer" />
        <label className={styles.check}>
          <input type="checkbox" data-testid="rb-show-holdings" checked={holdings} onChange={(e) => setHoldings(e.target.checked)} /> holdings on the chart
        </label>
        <button type="button" className="small" data-testid="rb-export-trades" disabled={!schedule} onClick={() => schedule && downloadCsv(`${csvStem(schedule)}-trades`, tradesCsv(schedule, ctx))} title="One row per (date, instrument) trade: side, quantity, price">
          Export trades CSV
        </button>
        <button type="button" className="small" data-testid="rb-export-cash" disabled={!schedule} onClick={() => schedule && downloadCsv(`${csvStem(schedule)}-cash`, cashCsv(schedule, ctx))} title="One row per event: book value, hedge value, cash, payments">
          Export cash &amp; payments CSV
        </button>
      </div>
      {error && (
        <div className="run-message error" role="alert" data-testid="rb-schedule-error">
          {error}
        </div>
      )}
      {!schedule ? (
        !error && (
          <div className="empty" data-testid="rb-schedule-loading">
            Replaying the path…
          </div>
        )
      ) : (
        <>
          <div className={styles.scheduleSummary} data-testid="rb-schedule-summary">
            Path <b data-testid="rb-schedule-path">{schedule.path}</b>
            {schedule.pick && <> ({schedule.pick} relative PnL)</>}: relative PnL{' '}
            <b data-testid="rb-schedule-pnl">{fmtSig(100 * schedule.pnl, 4)}% of |V₀|</b> · {fmtInt(schedule.rows.length)} events · {fmtInt(trades)} trades · {exercises} early exercise
            {exercises === 1 ? '' : 's'}
            {loading && <span className="muted"> · loading…</span>}
          </div>
          <div className={styles.scheduleBody}>
            <EChart option={option!} testId="rb-timeline" className={styles.timeline} ariaLabel="Book value against hedge value over time, with exercises" seriesCount={holdings ? undefined : 3} />
            <ScheduleGrid schedule={schedule} />
          </div>
        </>
      )}
    </div>
  );
}
