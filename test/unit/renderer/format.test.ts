import { describe, expect, it } from 'vitest';
import { fmtDate, fmtDateTime, fmtDateTimeSec } from '../../../src-renderer/app/format';

describe('one date format: ISO YYYY-MM-DD HH:mm', () => {
  const t = new Date(2025, 10, 21, 9, 5, 3).getTime(); // local time, like the screens

  it('formats a date-time to the minute', () => {
    expect(fmtDateTime(t)).toBe('2025-11-21 09:05');
    expect(fmtDateTime(t)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('has a date-only and a to-the-second variant in the same order', () => {
    expect(fmtDate(t)).toBe('2025-11-21');
    expect(fmtDateTimeSec(t)).toBe('2025-11-21 09:05:03');
  });

  it('a missing or invalid time is a dash, not "NaN-NaN"', () => {
    expect(fmtDateTime(null)).toBe('—');
    expect(fmtDateTime(Number.NaN)).toBe('—');
  });
});
