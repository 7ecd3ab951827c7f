import { useState } from 'react';
import { type ScheduleRow } from '../../../../src-shared/bsde/hedge';
import { type HestonHedgeSchedule, type HestonScheduleRow } from '../../../../src-shared/heston/hedge';
import { type HestonStrategy } from '../../../../src-shared/heston/types';
import { fmtInt, fmtSig } from '../../../app/format';
import { downloadCsv } from '../../../components/download';
import { appErrorText, call } from '../../../ipc/client';
import { pathIndexError } from '../pathIndex';
import { ScheduleGrid } from '../ScheduleGrid';
import { cashCsv, csvStem, tradesCsv } from '../scheduleCsv';
import { type HestonHedgeRun, STRATEGY_SHORT } from './hestonRuns';
import { RebalanceSelect } from './RebalanceSelect';
import styles from './hestonHedge.module.css';
import { cx } from '../../../styles/cx';

type PathArg = number | 'median' | 'worst' | 'best';

/** The variance state beside the spot in the schedule grid (a stable array: the grid's columns depend on it). */
const NU_STATE = [{ name: 'ν (1/y)', tip: 'variance state ν at this date (1/year)', get: (r: ScheduleRow) => (r as HestonScheduleRow).nu }];

/**
 * One path of one (strategy, R) cell of a finished Heston hedge run, replayed ('heston-hedge-schedule': same
 * seed, same paths, same numbers): at every rebalancing date, exercise and T the stock and instrument
 * positions, the trades, cash, the claim's value against the hedge's, and the CSV exports of the trades and
 * the cash flows (the grid and CSV of the Black–Scholes rebalancing screens; the spot column is S).
 */
export function HestonHedgeSchedulePanel({ run, maxInstruments }: { run: HestonHedgeRun; maxInstruments: number }) {
  const c = run.config;
  const m = run.metrics!;
  const [strategy, setStrategy] = useState<HestonStrategy>(c.strategies[c.strategies.length > 1 ? 1 : 0]);
  const [R, setR] = useState<number>(c.rebalance[c.rebalance.length - 1]);
  const [pathText, setPathText] = useState('');
  const [schedule, setSchedule] = useState<HestonHedgeSchedule | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (path: PathArg): Promise<void> => {
    setLoading(true);
    setError(null);
    try {
      const s = await call('heston-hedge-schedule', { runId: run.id, strategy, rebalance: R, path });
      setSchedule(s);
      setPathText(String(s.path));
    } catch (e) {
      setError(appErrorText(e));
    } finally {
      setLoading(false);
    }
  };
  const pathNumber = Number(pathText);
  const pathError = pathIndexError(pathText, c.paths);
  const ctx = schedule
    ? {
        runId: run.id,
        strategy: schedule.strategy,
        greeks: m.greeks,
        scheme: m.greeks,
        rebalance: schedule.rebalance,
        steps: m.steps,
        instruments: m.instruments.slice(0, schedule.instruments.length),
      }
    : null;

  return (
    <div className={cx('panel', styles.schedule)} data-testid="hh-schedule" data-path={schedule?.path}>
      <div className={styles.toolbar}>
        <b>Schedule of a path</b>
        <label>
          Strategy
          <select data-testid="hh-sched-strategy" value={strategy} onChange={(e) => setStrategy(e.target.value as HestonStrategy)}>
            {c.strategies.map((s) => (
              <option key={s} value={s}>
                {STRATEGY_SHORT[s]} ({s})
              </option>
            ))}
          </select>
        </label>
        <label>
          R
          <RebalanceSelect values={c.rebalance} value={R} onChange={setR} testId="hh-sched-r" />
        </label>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!pathError && pathText.trim() !== '') void load(pathNumber);
          }}
        >
          <label>
            Path
            <input data-testid="hh-path-index" value={pathText} onChange={(e) => setPathText(e.target.value)} inputMode="numeric" aria-label="path index" />
          </label>
          <button type="submit" className="small" data-testid="hh-path-load" disabled={!!pathError || pathText.trim() === '' || loading}>
            Show
          </button>
        </form>
        {(['median', 'worst', 'best'] as const).map((p) => (
          <button key={p} type="button" className="small" data-testid={`hh-path-${p}`} disabled={loading} onClick={() => void load(p)}>
            {p}
          </button>
        ))}
        <button type="button" className="small" data-testid="hh-export-trades" disabled={!schedule} onClick={() => schedule && ctx && downloadCsv(`${csvStem(schedule)}-${schedule.strategy}-R${schedule.rebalance}-trades`, tradesCsv(schedule, ctx))}>
          Trades CSV
        </button>
        <button type="button" className="small" data-testid="hh-export-cash" disabled={!schedule} onClick={() => schedule && ctx && downloadCsv(`${csvStem(schedule)}-${schedule.strategy}-R${schedule.rebalance}-cash`, cashCsv(schedule, ctx))}>
          Cash CSV
        </button>
      </div>
      {pathError && (
        <span className="inline-error" data-testid="hh-path-error">
          {pathError}
        </span>
      )}
      {error && (
        <div className="run-message error" role="alert" data-testid="hh-schedule-error">
          {error}
        </div>
      )}
      {loading && <div className="empty">Replaying the path…</div>}
      {schedule ? (
        <>
          <div className={styles.summary} data-testid="hh-schedule-summary">
            Path <b data-testid="hh-schedule-path">{schedule.path}</b> · {STRATEGY_SHORT[schedule.strategy]} · R = {schedule.rebalance} · relative PnL{' '}
            <b data-testid="hh-schedule-pnl">{fmtSig(100 * schedule.pnl, 4)}% of |V₀|</b> · {fmtInt(schedule.rows.length)} events · positions: stock S (units) and {schedule.instruments.length} of the {maxInstruments} instruments;
            money columns in currency
          </div>
          <ScheduleGrid schedule={schedule} instrumentKind="Instrument" states={NU_STATE} />
        </>
      ) : (
        !loading && <div className="empty">Pick a strategy, R and a path (median, worst, best or an index) to replay its schedule.</div>
      )}
    </div>
  );
}
