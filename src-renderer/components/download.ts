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
