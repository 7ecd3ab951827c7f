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

/** A session known from the data itself (LOBSTER files name their START and END), seconds after midnight UTC. */
export interface DataSession {
  startSeconds: number;
  endSeconds: number;
}

/**
 * The units in force for a data set of `layout` (competition books run on the bucket clock, all others on the
 * day clock): the ones set for the data set; else, when the data names its session (`dataSession`, e.g. a
 * LOBSTER file's START/END for the stock), that session's start and length with 252 sessions a year; else the
 * spec's 252 sessions of 6.5 hours from midnight UTC.
 */
export function timeUnitsOf(db: Db, datasetId: string, layout: BookLayout | string, dataSession: DataSession | null = null): TimeUnits {
  const r = db.prepare(`SELECT session_hours, sessions_per_year, session_start_seconds FROM orderbook_time_units WHERE dataset_id = ?`).get(datasetId) as Row | undefined;
  const fromData = !r && dataSession !== null && dataSession.endSeconds > dataSession.startSeconds;
  const sessionHours = r?.session_hours ?? (fromData ? (dataSession!.endSeconds - dataSession!.startSeconds) / 3600 : DEFAULT_SESSION_HOURS);
  const sessionsPerYear = r?.sessions_per_year ?? DEFAULT_SESSIONS_PER_YEAR;
  return {
    sessionHours,
    sessionsPerYear,
    secondsPerYear: sessionsPerYear * sessionHours * 3600,
    source: r ? 'dataset' : fromData ? 'data' : 'default',
    clock: layout === 'competition' ? 'bucket' : 'day',
    sessionStartSeconds: r ? r.session_start_seconds : fromData ? dataSession!.startSeconds : null,
  };
}

/**
 * The session a stock's data names, or null: a LOBSTER stock's START and END from its file name (stored by the
 * LOBSTER import in `orderbook_stocks.session_start_seconds/_end_seconds`, seconds after midnight). For the
 * whole data set (`stockId` null, e.g. a path set's year fraction) the first stock's session when every stock
 * with one has the same length, else the mean length from the earliest start.
 */
export function dataSessionOf(db: Db, datasetId: string, stockId: number | null): DataSession | null {
  const rows = db
    .prepare(
      `SELECT session_start_seconds AS s, session_end_seconds AS e FROM orderbook_stocks
       WHERE dataset_id = ? AND (? IS NULL OR stock_id = ?) AND session_start_seconds IS NOT NULL AND session_end_seconds IS NOT NULL
       ORDER BY stock_id`,
    )
    .all(datasetId, stockId, stockId) as { s: number; e: number }[];
  if (rows.length === 0) return null;
  if (rows.every((r) => r.e - r.s === rows[0].e - rows[0].s)) return { startSeconds: rows[0].s, endSeconds: rows[0].e };
  const start = Math.min(...rows.map((r) => r.s));
  const length = rows.reduce((a, r) => a + (r.e - r.s), 0) / rows.length;
  return { startSeconds: start, endSeconds: start + length };
}

/**
 * Where a data set's stored clock starts, seconds after midnight: LOBSTER times are stored on the session clock
 * (seconds since the file's START), every other timestamped layout from midnight UTC (0).
 */
export function storedClockOrigin(source: string | undefined, session: DataSession | null): number {
  return source === 'lobster' && session ? session.startSeconds : 0;
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
