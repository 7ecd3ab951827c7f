import {
  DEFAULT_SESSION_HOURS,
  DEFAULT_SESSIONS_PER_YEAR,
  type BookLayout,
  type TimeUnits,
} from '../../../src-shared/orderbook/contract';
import { type Db } from '../db';

/**
 * A data set's trading-time units (resources/migrations/1796668300000_orderbook_time_units.sql): the session
 * length and sessions per year that annualise its intraday figures, and where its session clock starts.
 * Without a row: the spec's 252 sessions of 6.5 hours, clock from midnight UTC.
 */

interface Row {
  session_hours: number;
  sessions_per_year: number;
  session_start_seconds: number | null;
}

/** The units in force for a data set of `layout` (competition books run on the bucket clock, all others on the day clock). */
export function timeUnitsOf(db: Db, datasetId: string, layout: BookLayout | string): TimeUnits {
  const r = db.prepare(`SELECT session_hours, sessions_per_year, session_start_seconds FROM orderbook_time_units WHERE dataset_id = ?`).get(datasetId) as Row | undefined;
  const sessionHours = r?.session_hours ?? DEFAULT_SESSION_HOURS;
  const sessionsPerYear = r?.sessions_per_year ?? DEFAULT_SESSIONS_PER_YEAR;
  return {
    sessionHours,
    sessionsPerYear,
    secondsPerYear: sessionsPerYear * sessionHours * 3600,
    source: r ? 'dataset' : 'default',
    clock: layout === 'competition' ? 'bucket' : 'day',
    sessionStartSeconds: r?.session_start_seconds ?? null,
  };
}

/** Store a data set's units (replacing any earlier ones); the spec's defaults with no session start remove the row. */
export function setTimeUnits(db: Db, datasetId: string, u: { sessionHours: number; sessionsPerYear: number; sessionStartSeconds?: number | null }): void {
  if (u.sessionHours === DEFAULT_SESSION_HOURS && u.sessionsPerYear === DEFAULT_SESSIONS_PER_YEAR && (u.sessionStartSeconds ?? null) === null) {
    db.prepare(`DELETE FROM orderbook_time_units WHERE dataset_id = ?`).run(datasetId);
    return;
  }
  db.prepare(
    `INSERT INTO orderbook_time_units (dataset_id, session_hours, sessions_per_year, session_start_seconds, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (dataset_id) DO UPDATE SET session_hours = excluded.session_hours, sessions_per_year = excluded.sessions_per_year,
       session_start_seconds = excluded.session_start_seconds, updated_at = excluded.updated_at`,
  ).run(datasetId, u.sessionHours, u.sessionsPerYear, u.sessionStartSeconds ?? null, Date.now());
}
