import { type ColumnMapping } from '../../../src-shared/orderbook/contract';
import { type HeaderMatch, absentColumns, matchHeader } from '../../engine/orderbook/columns';
import { BookInputError } from '../../engine/orderbook/errors';
import { excerptList } from '../../../src-shared/text/excerpt';
import { type CsvHead, readCsvHead } from './io/csvReader';
import { type FoundFile } from './io/discover';
import { openParquet, parquetSample } from './io/parquetReader';

/**
 * What an import will read: each file's header, its role (book / trade / unknown) and the column mapping that
 * applies to all book files. Shared by 'orderbook-inspect' (in the main process, headers only) and the import
 * job.
 */

export interface FilePlan extends FoundFile {
  /** `unknown`: the file could not be read (see `error`). */
  role: 'book' | 'trade' | 'unknown';
  columns: string[];
  sample: string[][];
  /** Rows from the Parquet footer; null for CSV. */
  rows: number | null;
  /** Rows expected (exact for Parquet, from the average line length for CSV). */
  estRows: number;
  csvHead: CsvHead | null;
  match: HeaderMatch;
  /** An empty or unreadable file. */
  error: BookInputError | null;
}

/** Read every file's header (and a few rows when `sample`). Files that cannot be read carry their error. */
/**
 * `header`: whether CSV files start with a header line (the mapping's `header`); left out, a first line of
 * numbers only is data (a headerless file, columns named by position).
 */
export async function planFiles(found: FoundFile[], opts: { sample: boolean; levelsWanted?: number; header?: boolean }): Promise<FilePlan[]> {
  const plans: FilePlan[] = [];
  for (const f of found) {
    let columns: string[] = [];
    let sample: string[][] = [];
    let rows: number | null = null;
    let estRows = 0;
    let csvHead: CsvHead | null = null;
    let error: BookInputError | null = null;
    try {
      if (f.format === 'csv') {
        csvHead = await readCsvHead(f.abs, f.rel, 5, opts.header ?? 'auto');
        columns = csvHead.columns;
        sample = csvHead.sample;
        const avgLine = csvHead.sample.length > 0 ? Math.max(8, csvHead.sample.reduce((a, r) => a + r.join(',').length + 1, 0) / csvHead.sample.length) : 60;
        estRows = Math.max(1, Math.round((f.bytes - csvHead.headerBytes) / avgLine));
      } else {
        const pq = await openParquet(f.abs, f.rel);
        try {
          columns = pq.columns;
          rows = pq.rows;
          estRows = pq.rows;
          if (opts.sample) sample = await parquetSample(pq);
        } finally {
          await pq.close();
        }
      }
    } catch (e) {
      const errno = (e as NodeJS.ErrnoException)?.code;
      if (e instanceof BookInputError) error = e;
      else if (typeof errno === 'string') {
        // An unreadable file (permissions, vanished) is that file's problem, named relative to the import.
        const why = errno === 'EACCES' || errno === 'EPERM' ? 'permission denied' : errno === 'EISDIR' ? 'it is a folder' : `it cannot be read (${errno})`;
        error = new BookInputError({ file: f.rel, row: null, line: null, column: null, code: 'UNREADABLE', problem: `the file cannot be read: ${why}` });
      } else throw e;
    }
    const tsIndex = columns.findIndex((c) => /^(timestamp|time|ts|datetime|date_time|epoch)$/i.test(c));
    const match = matchHeader(columns, { levelsWanted: opts.levelsWanted, timestampSample: tsIndex >= 0 ? sample[0]?.[tsIndex] : undefined });
    // A file whose columns are not recognised is still a book: it needs the mapping step.
    const role = error ? 'unknown' : match.kind === 'trade' ? 'trade' : 'book';
    plans.push({ ...f, role, columns, sample, rows, estRows, csvHead, match, error });
  }
  return plans;
}

/** Why a file's columns do not fit: names the file, what is missing and what it has. */
export function missingColumnsError(p: FilePlan, missing: string[], given: boolean): BookInputError {
  const how = given ? 'fix the column mapping' : 'map the columns in the import dialog (CLI: --map)';
  return new BookInputError({
    file: p.rel,
    row: null,
    line: p.format === 'csv' ? 1 : null,
    column: missing.join(', '),
    code: 'MISSING_COLUMNS',
    problem: `no column for ${missing.join(', ')} (the file has: ${p.columns.length ? excerptList(p.columns) : 'no columns'}); ${how}`,
  });
}

/**
 * The mapping for the book files: the user's, or the one matched from the first book file's header. Every book
 * file must have the mapped columns. Throws a BookInputError naming the file otherwise.
 */
export function resolveMapping(books: FilePlan[], given: ColumnMapping | undefined): ColumnMapping {
  if (books.length === 0) throw new BookInputError({ file: '(input)', row: null, line: null, column: null, code: 'NO_BOOK_FILES', problem: 'no book files to import (only trade or unreadable files)' });
  let mapping: ColumnMapping;
  if (given) mapping = given;
  else {
    const first = books[0];
    if (!first.match.mapping) throw missingColumnsError(first, first.match.missing, false);
    mapping = first.match.mapping;
  }
  for (const p of books) {
    const absent = absentColumns(mapping, p.columns);
    if (absent.length) throw missingColumnsError(p, absent, !!given);
  }
  return mapping;
}
