/**
 * A problem with the input files, located as precisely as the format allows: the file, the row (1-based data
 * row, header excluded) and, for CSV, the line; the column as the file names it. `message` is written for the
 * person who has to fix the file.
 */
export interface BookInputLocation {
  file: string;
  row: number | null;
  line: number | null;
  column: string | null;
  /** Stable code: a RejectCode for row problems, or e.g. MISSING_COLUMNS, EMPTY_FILE, CORRUPT_PARQUET. */
  code: string;
  /** What is wrong and what is expected, without the location. */
  problem: string;
  /** The offending cell as written, when there is one. */
  value?: string;
}

/** Describe a location: `book.csv, row 12 (line 13), column ask_price1`. */
export function formatLocation(l: Pick<BookInputLocation, 'file' | 'row' | 'line' | 'column'>): string {
  const parts = [l.file];
  if (l.row !== null) parts.push(l.line !== null ? `row ${l.row} (line ${l.line})` : `row ${l.row}`);
  else if (l.line === 1) parts.push('line 1 (header)');
  else if (l.line !== null) parts.push(`line ${l.line}`);
  if (l.column) parts.push(`column ${l.column}`);
  return parts.join(', ');
}

/** Thrown by readers and the accumulator for bad input; the import turns it into a failed run. */
export class BookInputError extends Error {
  readonly location: BookInputLocation;
  constructor(location: BookInputLocation) {
    super(`${formatLocation(location)}: ${location.problem}`);
    this.name = 'BookInputError';
    this.location = location;
  }
}
