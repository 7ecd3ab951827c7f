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
 * The session a stock's data names, or null. Today no stored layout records one; the LOBSTER import (which
 * stores each stock's START/END) answers here, and every analysis and path set then uses it by default.
 */
export function dataSessionOf(_db: Db, _datasetId: string, _stockId: number | null): DataSession | null {
  return null;
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
