/**
 * Files made in the renderer and handed to the browser as downloads (no server round trip), and the CSV
 * cell quoting every export uses.
 */

/**
 * One CSV field (RFC 4180): quoted when it contains a comma, a quote, CR or LF, or leading/trailing spaces,
 * with quotes doubled; null/undefined is an empty field. Numbers are written as JavaScript prints them.
 * A string that a spreadsheet would run as a formula (starting with =, +, - or @) gets a leading apostrophe,
 * so a label can never execute: pass numbers as numbers, not as formatted strings.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of fields to CSV text with CRLF line ends (what spreadsheets and RFC 4180 expect). */
export function toCsv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * A table export: plain CSV (one header row of column names, then data; no comment lines, so any
 * spreadsheet or `pandas.read_csv` opens it as is) and its metadata — what the file is, units, notes,
 * the meaning of each column — in a sidecar JSON file of the same stem.
 */
export interface CsvExport {
  csv: string;
  meta: CsvMeta;
}

export interface CsvMeta {
  /** What the file holds, e.g. "Trades of hedge run 1a2b…, path 17". */
  title: string;
  /** Further facts and units, one sentence each. */
  notes: string[];
  /** Column name -> meaning and unit. */
  columns: Record<string, string>;
  /** Anything else that identifies the data (run id, settings). */
  source?: Record<string, unknown>;
}

/** The one CSV writer of the app: the header row and rows as plain CSV, the metadata kept apart. */
export function csvExport(columns: readonly string[], rows: unknown[][], meta: CsvMeta): CsvExport {
  return { csv: toCsv([[...columns], ...rows]), meta };
}

/** The sidecar's text: the metadata plus the file it describes. */
export const metaJson = (stem: string, meta: CsvMeta): string => `${JSON.stringify({ file: `${stem}.csv`, ...meta }, null, 2)}\n`;

/** Download `<stem>.csv` and its sidecar `<stem>.csv.json` (the CSV first). */
export function downloadCsv(stem: string, x: CsvExport): void {
  download(`${stem}.csv`, x.csv, 'text/csv');
  download(`${stem}.csv.json`, metaJson(stem, x.meta), 'application/json');
}

/** Offer `data` as a file download. */
export function download(name: string, data: Blob | string, type = 'text/csv'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 2000);
}
