import { describe, expect, it } from 'vitest';
import { clockAxisName, clockLabel, tradingYearText } from '../../../../src-renderer/features/orderbook/analysisCharts';
import { openDb } from '../../../../src-main/store/db';
import { dataSessionOf, setTimeUnits, storedClockOrigin, timeUnitsOf } from '../../../../src-main/store/queries/orderbookTimeUnits';
import { clockText, hhmm } from '../../../../src-shared/orderbook/wapExport';
import { tempDir } from '../../../helpers/tmp';

describe('trading-time units of a data set', () => {
  it('default 252 x 6.5 h; the session the data names; the units set for the data set; back to the default', () => {
    const db = openDb({ dataDir: tempDir('hw-units-') });
    try {
      db.prepare(
        `INSERT INTO orderbook_datasets (id, label, source_path, format, layout, levels, bucket_seconds, content_hash, files, stocks, buckets, rows, rejected_rows,
          mapping_json, rejects_json, stats_json, created_at) VALUES ('ds-000001', 'x', '/x', 'csv', 'generic', 1, 600, 'h', 1, 1, 1, 1, 0, '{}', '{}', '{}', 0)`,
      ).run();
      expect(timeUnitsOf(db, 'ds-000001', 'generic')).toEqual({ sessionHours: 6.5, sessionsPerYear: 252, secondsPerYear: 252 * 6.5 * 3600, source: 'default', clock: 'day', sessionStartSeconds: null });
      expect(timeUnitsOf(db, 'ds-000001', 'competition').clock).toBe('bucket');
      // a LOBSTER-style session 09:30-16:00 named by the files (seconds after midnight)
      expect(timeUnitsOf(db, 'ds-000001', 'generic', { startSeconds: 34_200, endSeconds: 57_600 })).toMatchObject({ sessionHours: 6.5, source: 'data', sessionStartSeconds: 34_200 });
      setTimeUnits(db, 'ds-000001', { sessionHours: 8, sessionsPerYear: 250, sessionStartSeconds: 3600 });
      // the user's setting wins over the data's session
      expect(timeUnitsOf(db, 'ds-000001', 'generic', { startSeconds: 34_200, endSeconds: 57_600 })).toMatchObject({ sessionHours: 8, sessionsPerYear: 250, secondsPerYear: 250 * 8 * 3600, source: 'dataset', sessionStartSeconds: 3600 });
      setTimeUnits(db, 'ds-000001', { sessionHours: 6.5, sessionsPerYear: 252, sessionStartSeconds: null });
      expect(timeUnitsOf(db, 'ds-000001', 'generic').source).toBe('default');
      // deleting the data set deletes its units
      setTimeUnits(db, 'ds-000001', { sessionHours: 7, sessionsPerYear: 252 });
      db.prepare(`DELETE FROM orderbook_datasets WHERE id = 'ds-000001'`).run();
      expect(db.prepare(`SELECT COUNT(*) AS n FROM orderbook_time_units`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('a LOBSTER stock names its session (START/END from the file name); the stored clock starts there', () => {
    const db = openDb({ dataDir: tempDir('hw-units-') });
    try {
      db.prepare(
        `INSERT INTO orderbook_datasets (id, label, source_path, format, layout, levels, bucket_seconds, content_hash, files, stocks, buckets, rows, rejected_rows,
          mapping_json, rejects_json, stats_json, created_at, source) VALUES ('ds-000002', 'x', '/x', 'csv', 'generic', 1, 600, 'h', 2, 2, 1, 1, 0, '{}', '{}', '{}', 0, 'lobster')`,
      ).run();
      const stock = db.prepare(
        `INSERT INTO orderbook_stocks (dataset_id, stock_id, buckets, rows, first_time_id, last_time_id, stats_json, name, session_start_seconds, session_end_seconds)
         VALUES ('ds-000002', ?, 1, 1, 0, 0, '{}', ?, ?, ?)`,
      );
      expect(dataSessionOf(db, 'ds-000002', null)).toBeNull();
      stock.run(0, 'AAPL', 34_200, 57_600); // 09:30-16:00
      stock.run(1, 'MSFT', 36_000, 54_000); // 10:00-15:00
      expect(dataSessionOf(db, 'ds-000002', 0)).toEqual({ startSeconds: 34_200, endSeconds: 57_600 });
      expect(dataSessionOf(db, 'ds-000002', 1)).toEqual({ startSeconds: 36_000, endSeconds: 54_000 });
      // the data set as a whole: mean length (6.5 h and 5 h) from the earliest start
      expect(dataSessionOf(db, 'ds-000002', null)).toEqual({ startSeconds: 34_200, endSeconds: 34_200 + 5.75 * 3600 });
      const units = timeUnitsOf(db, 'ds-000002', 'generic', dataSessionOf(db, 'ds-000002', 1));
      expect(units).toMatchObject({ sessionHours: 5, source: 'data', sessionStartSeconds: 36_000 });
      // LOBSTER times are stored from START: the analysis clock's zero is then the stored zero
      expect((units.sessionStartSeconds ?? 0) - storedClockOrigin('lobster', dataSessionOf(db, 'ds-000002', 1))).toBe(0);
      expect(storedClockOrigin('book', { startSeconds: 36_000, endSeconds: 54_000 })).toBe(0);
    } finally {
      db.close();
    }
  });

  it('labels say which clock and which year', () => {
    const day = { sessionHours: 6.5, sessionsPerYear: 252, secondsPerYear: 1, source: 'default' as const, clock: 'day' as const, sessionStartSeconds: null };
    expect(tradingYearText(day)).toBe('252 sessions × 6.5 h a year (spec default)');
    expect(clockLabel(52_200, day)).toBe('14:30');
    expect(clockAxisName(day)).toBe('time of day (UTC)');
    const started = { ...day, source: 'dataset' as const, sessionStartSeconds: 52_200 };
    expect(tradingYearText(started)).toBe('252 sessions × 6.5 h a year (set for this data set)');
    expect(clockLabel(5400, started)).toBe('+01:30');
    expect(clockAxisName(started)).toBe('time after the session start (14:30 UTC)');
    expect(clockText(started).seconds).toBe('seconds after the session start, 14:30 UTC');
    expect(clockLabel(120, { ...day, clock: 'bucket' })).toBe('120 s');
    expect(hhmm(34_230)).toBe('09:30:30');
  });
});
