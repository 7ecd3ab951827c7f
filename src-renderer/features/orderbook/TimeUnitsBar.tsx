import { useState } from 'react';
import { DEFAULT_SESSION_HOURS, DEFAULT_SESSIONS_PER_YEAR, type TimeUnits } from '../../../src-shared/orderbook/contract';
import { hhmm } from '../../../src-shared/orderbook/wapExport';
import { appErrorOf, call } from '../../ipc/client';
import { clockAxisName, tradingYearText } from './analysisCharts';
import styles from './orderbook.module.css';
import { cx } from '../../styles/cx';

/** `14:30` -> 52,200 s; empty -> null; anything else -> NaN. */
function parseClock(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (!m) return NaN;
  const s = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
  return s < 86_400 && Number(m[2]) < 60 ? s : NaN;
}

/**
 * The data set's trading time (sessions a year x hours a session, and the session start on timestamped layouts):
 * shown above the analyses, editable. Intraday figures and new path sets of this data set use it.
 */
export function TimeUnitsBar({ datasetId, units, onSaved }: { datasetId: string; units: TimeUnits; onSaved(u: TimeUnits): void }) {
  const [editing, setEditing] = useState(false);
  const [hours, setHours] = useState(String(units.sessionHours));
  const [perYear, setPerYear] = useState(String(units.sessionsPerYear));
  const [start, setStart] = useState(units.sessionStartSeconds === null ? '' : hhmm(units.sessionStartSeconds));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const open = (): void => {
    setHours(String(units.sessionHours));
    setPerYear(String(units.sessionsPerYear));
    setStart(units.sessionStartSeconds === null ? '' : hhmm(units.sessionStartSeconds));
    setError(null);
    setEditing(true);
  };
  const save = async (reset = false): Promise<void> => {
    const startSeconds = reset ? null : parseClock(start);
    if (Number.isNaN(startSeconds)) {
      setError(`session start must be a UTC time such as 14:30 (or empty for midnight); got “${start}”`);
      return;
    }
    setBusy(true);
    try {
      const u = await call('orderbook-time-units-set', {
        datasetId,
        sessionHours: reset ? DEFAULT_SESSION_HOURS : Number(hours),
        sessionsPerYear: reset ? DEFAULT_SESSIONS_PER_YEAR : Number(perYear),
        ...(units.clock === 'day' ? { sessionStartSeconds: startSeconds } : {}),
      });
      setError(null);
      setEditing(false);
      onSaved(u);
    } catch (e) {
      setError(appErrorOf(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={cx('muted', styles.unitsBar)} data-testid="ob-time-units">
      <span data-testid="ob-time-units-text">
        Trading time: {tradingYearText(units)} · clock: {clockAxisName(units)}
      </span>
      {!editing && (
        <button type="button" className="link-button" data-testid="ob-time-units-edit" onClick={open}>
          edit
        </button>
      )}
      {editing && (
        <>
          <label>
            hours a session
            <input className={styles.smallInput} data-testid="ob-time-units-hours" inputMode="decimal" value={hours} onChange={(e) => setHours(e.target.value)} />
          </label>
          <label>
            sessions a year
            <input className={styles.smallInput} data-testid="ob-time-units-sessions" inputMode="decimal" value={perYear} onChange={(e) => setPerYear(e.target.value)} />
          </label>
          {units.clock === 'day' && (
            <label title="The session clock counts from this UTC time; empty: from midnight UTC">
              session start (UTC)
              <input className={styles.smallInput} data-testid="ob-time-units-start" placeholder="hh:mm" value={start} onChange={(e) => setStart(e.target.value)} />
            </label>
          )}
          <button type="button" className="small" data-testid="ob-time-units-save" disabled={busy} onClick={() => void save()}>
            Save
          </button>
          <button type="button" className="small" disabled={busy} onClick={() => void save(true)} title="252 sessions of 6.5 h, clock from midnight UTC">
            Spec default
          </button>
          <button type="button" className="link-button" onClick={() => setEditing(false)}>
            cancel
          </button>
        </>
      )}
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
