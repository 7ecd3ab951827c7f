import { type TimeUnits } from './contract';

/** How a data set's annualised figures name their trading year, for the screens and the CLI. */

const sig = (v: number, d = 6): string => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : '—');

/** Where the units come from, in words. */
export const unitsSourceText = (u: TimeUnits): string => (u.source === 'default' ? 'spec default' : u.source === 'data' ? 'session named by the files' : 'set for this data set');

/** `252 sessions × 6.5 h a year (spec default)`, `… (session named by the files)` or `… (set for this data set)`. */
export function tradingYearText(u: TimeUnits): string {
  return `${sig(u.sessionsPerYear)} sessions × ${sig(u.sessionHours)} h a year (${unitsSourceText(u)})`;
}

/** The trading year in a few characters, for an axis: `252 d × 6.5 h`. */
export const tradingYearShort = (u: TimeUnits): string => `${sig(u.sessionsPerYear)} d × ${sig(u.sessionHours)} h`;

/** The unit of an annualised number, short: `annualised, 252 d × 6.5 h trading time` (`LOBSTER session` / `set for this data set`). */
export function annualisedText(u: TimeUnits): string {
  const kind = u.source === 'default' ? 'trading time' : u.source === 'data' ? 'session of the files' : 'trading time set for this data set';
  return `annualised, ${sig(u.sessionsPerYear)} d × ${sig(u.sessionHours)} h ${kind}`;
}
