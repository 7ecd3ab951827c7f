import { type BookLayout, type RejectCode } from '../../../src-shared/orderbook/contract';

/**
 * The columnar form every reader (CSV, Parquet) hands to the engine: one Float64Array per role, in the
 * order given by a {@link RolePlan}. An empty cell (or a Parquet null) is NaN; a cell that held text that is
 * not a number is NaN too, with bit {@link FLAG_NON_NUMERIC} set on its row and the text in `issues`.
 */

/** A cell of the row was text that is not a finite number (or not a date/time for ISO timestamps). */
export const FLAG_NON_NUMERIC = 1;
/** The row had a different number of cells than the header. */
export const FLAG_CELL_COUNT = 2;

/** Where each role's values sit in `BookBatch.cols`, and the file's name for it (for messages). */
export interface RolePlan {
  layout: BookLayout;
  levels: number;
  /** time_id (competition) or the timestamp converted to seconds (generic). */
  time: number;
  /** seconds_in_bucket (competition), -1 for generic. */
  seconds: number;
  /** stock id column, -1 when the stock comes from the file path. */
  stock: number;
  bidPrice: number[];
  bidSize: number[];
  askPrice: number[];
  askSize: number[];
  /** File column name of each role index. */
  names: string[];
  /** Bucket length in seconds (the competition's buckets are 600 s). */
  bucketSeconds: number;
}

export interface CellIssue {
  /** Row index within the batch. */
  row: number;
  /** Role index of the offending cell (or -1 for a wrong cell count). */
  role: number;
  /** The cell as written, or `got/expected` cell counts for FLAG_CELL_COUNT. */
  text: string;
}

export interface BookBatch {
  /** Rows in the batch. */
  n: number;
  /** 1-based data row number (header excluded) of row 0 within its file. */
  firstRow: number;
  /** CSV: line of data row r is r + lineOffset (header = line 1, so 1); null for Parquet. */
  lineOffset: number | null;
  /** One array per role (RolePlan order), each of length >= n. */
  cols: Float64Array[];
  /** Per-row FLAG_* bits, or null when no row has any. */
  flags: Uint8Array | null;
  /** Details of flagged rows (the first flagged cell of each flagged row), sorted by row. */
  issues: CellIssue[];
  /** Data row number of each row when they are not consecutive (CSV blank lines skipped), else null. */
  rowNumbers?: Int32Array | null;
}

/** A problem with one row, located in its file. */
export interface RowProblem {
  code: RejectCode;
  /** Role index of the offending cell, -1 when the whole row is at fault. */
  role: number;
  message: string;
}

/**
 * Build the role plan for a mapping: roles in the order time, seconds (competition), stock (when mapped),
 * bid prices, bid sizes, ask prices, ask sizes.
 */
export function rolePlan(m: {
  layout: BookLayout;
  levels: number;
  timeId?: string;
  secondsInBucket?: string;
  timestamp?: string;
  stockId?: string;
  bidPrice: string[];
  bidSize: string[];
  askPrice: string[];
  askSize: string[];
  bucketSeconds?: number;
}): RolePlan {
  const names: string[] = [];
  const add = (name: string): number => names.push(name) - 1;
  const time = add(m.layout === 'competition' ? m.timeId! : m.timestamp!);
  const seconds = m.layout === 'competition' ? add(m.secondsInBucket!) : -1;
  const stock = m.stockId ? add(m.stockId) : -1;
  const levels = (cols: string[]) => cols.slice(0, m.levels).map(add);
  const bidPrice = levels(m.bidPrice);
  const bidSize = levels(m.bidSize);
  const askPrice = levels(m.askPrice);
  const askSize = levels(m.askSize);
  return {
    layout: m.layout,
    levels: m.levels,
    time,
    seconds,
    stock,
    bidPrice,
    bidSize,
    askPrice,
    askSize,
    names,
    bucketSeconds: m.bucketSeconds ?? 600,
  };
}
