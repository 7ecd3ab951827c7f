import { type TimeUnits, type WapExport, type WapKind } from './contract';

/**
 * The columns and metadata of a previous-tick WAP export, shared by the CLI (`orderbook wap`) and the WAP
 * chart's "download CSV" (which writes the CSV plus its `.csv.json` sidecar, src-renderer/components/download.ts).
 */

export const WAP_EXPORT_COLUMNS = ['session', 'seconds', 'wap'] as const;

/** What the session column and the clock mean for these units. */
export function clockText(u: TimeUnits): { session: string; seconds: string } {
  if (u.clock === 'bucket') return { session: 'time_id of the bucket (each bucket is a session of unknown date)', seconds: 'seconds in the bucket' };
  const start = u.sessionStartSeconds;
  return {
    session: 'UTC date (YYYY-MM-DD) of the session',
    seconds: start === null ? 'seconds after midnight UTC' : `seconds after the session start, ${hhmm(start)} UTC`,
  };
}

/** `14:30` for 52,200 seconds after midnight. */
export const hhmm = (s: number): string => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}${s % 60 ? `:${String(Math.round(s % 60)).padStart(2, '0')}` : ''}`;

export const wapName = (w: WapKind): string => (w === 'all' ? 'all-level WAP (source eqs. 31-33)' : 'level-1 WAP (competition definition)');

/** The file's metadata: title, notes, column meanings and the request that made it. */
export function wapExportMeta(x: Pick<WapExport, 'datasetId' | 'datasetLabel' | 'stockId' | 'wap' | 'intervalSeconds' | 'timeUnits'>, rows: number) {
  const clock = clockText(x.timeUnits);
  return {
    title: `Previous-tick ${wapName(x.wap)} of stock ${x.stockId} in data set ${x.datasetLabel}, every ${x.intervalSeconds} s`,
    notes: [
      `One row per grid time k x ${x.intervalSeconds} s of each session, from its first to its last book row: the WAP of the last row at or before that time (previous tick); only positive, finite WAP values are used (source eq. 34).`,
      `Sessions: ${clock.session}; time: ${clock.seconds}.`,
      `Prices in the file's units.`,
      `${rows} rows.`,
    ],
    columns: { session: clock.session, seconds: `${clock.seconds} (s)`, wap: `${wapName(x.wap)}, price units` },
    source: { datasetId: x.datasetId, stockId: x.stockId, wap: x.wap, intervalSeconds: x.intervalSeconds },
  };
}

/** The rows of an export as [session, seconds, wap] triples. */
export const wapExportRows = (x: Pick<WapExport, 'session' | 'seconds' | 'value'>): Array<[number | string, number, number]> =>
  x.session.map((k, i) => [k, x.seconds[i], x.value[i]]);
