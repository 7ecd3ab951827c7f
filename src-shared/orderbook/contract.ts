import { z } from 'zod';
import { readIdSchema } from '../api/reads';

/**
 * Order-book files: import (a job), browse (datasets, buckets, WAP series, realised-volatility histogram),
 * build hedging paths from WAP series (a job) and read them back. Spec: ../shared/spec/orderbook.md.
 *
 * Units used throughout: prices as in the file (the competition's are normalised near 1); seconds within a
 * bucket; realised volatility `rv` of a bucket = sqrt(sum (diff log WAP)^2), dimensionless; annualised
 * volatility per year of {@link TRADING_SECONDS_PER_YEAR} seconds; spreads in basis points of the mid.
 */

/** 252 trading days of 6.5 hours: the year used to annualise realised volatility and path time steps. */
export const TRADING_SECONDS_PER_YEAR = 252 * 6.5 * 3600;
/** Most book levels a generic file may map. */
export const MAX_LEVELS = 10;
/** Largest file the browser may upload (the WebSocket frame limit is 1 MB and the file travels as base64). */
export const MAX_UPLOAD_BYTES = 700_000;
/** Most files uploaded together into one upload folder (e.g. LOBSTER pairs: 10 pairs). */
export const MAX_UPLOAD_FILES = 20;
/** Most bytes of the files uploaded together into one upload folder. */
export const MAX_UPLOAD_FOLDER_BYTES = MAX_UPLOAD_FILES * MAX_UPLOAD_BYTES;

export const BOOK_LAYOUTS = ['competition', 'generic'] as const;
export type BookLayout = (typeof BOOK_LAYOUTS)[number];
export const WAP_KINDS = ['all', 'level1'] as const;
/** `all`: the source's all-level WAP (eqs. 31-33); `level1`: the competition's level-1 WAP. */
export type WapKind = (typeof WAP_KINDS)[number];
/** Numeric timestamps in seconds, milliseconds, microseconds or nanoseconds since the epoch, or ISO 8601 text. */
export const TIME_UNITS = ['s', 'ms', 'us', 'ns', 'iso'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];
export const WINDOW_MODES = ['bucket', 'rolling'] as const;
/** `bucket`: windows inside each bucket; `rolling`: windows over each stock's buckets joined in time_id order. */
export type WindowMode = (typeof WINDOW_MODES)[number];

const columnName = z.string().min(1, 'column names must not be empty').max(200, 'column names must be at most 200 characters');
const levelColumns = (what: string) =>
  z.array(columnName).min(1, `${what} must name the level-1 column`).max(MAX_LEVELS, `${what} may name at most ${MAX_LEVELS} levels`);

/**
 * Which file column plays which role. Competition layout: `timeId` + `secondsInBucket`; generic layout:
 * `timestamp` (numeric in `timestampUnit`, or ISO 8601 text) cut into buckets of `bucketSeconds`.
 * `bidPrice[k-1]` is the column of bid_price_k, and so on; all four lists have `levels` entries.
 */
export const columnMappingSchema = z
  .object({
    layout: z.enum(BOOK_LAYOUTS, { error: 'layout must be competition or generic' }),
    levels: z.number({ error: 'levels must be a number' }).int('levels must be a whole number').min(1, 'levels must be >= 1').max(MAX_LEVELS, `levels must be <= ${MAX_LEVELS}`),
    timeId: columnName.optional(),
    secondsInBucket: columnName.optional(),
    timestamp: columnName.optional(),
    timestampUnit: z.enum(TIME_UNITS, { error: 'timestampUnit must be s, ms, us, ns or iso' }).optional(),
    bucketSeconds: z.number({ error: 'bucketSeconds must be a number' }).gt(0, 'bucketSeconds must be > 0').max(86_400, 'bucketSeconds must be <= 86400 (one day)').optional(),
    stockId: columnName.optional(),
    /**
     * false: the file has no header line; its columns are named by position, `column 1` .. `column N` (spec
     * format 4). true: the first line is the header. Left out: detected (a first line of numbers only is data).
     */
    header: z.boolean({ error: 'header must be true or false' }).optional(),
    bidPrice: levelColumns('bidPrice'),
    bidSize: levelColumns('bidSize'),
    askPrice: levelColumns('askPrice'),
    askSize: levelColumns('askSize'),
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const k of ['bidPrice', 'bidSize', 'askPrice', 'askSize'] as const) {
      if (m[k].length !== m.levels) ctx.addIssue({ code: 'custom', path: [k], message: `${k} must name exactly ${m.levels} columns (levels = ${m.levels})` });
    }
    if (m.layout === 'competition') {
      if (!m.timeId) ctx.addIssue({ code: 'custom', path: ['timeId'], message: 'timeId is required for the competition layout' });
      if (!m.secondsInBucket) ctx.addIssue({ code: 'custom', path: ['secondsInBucket'], message: 'secondsInBucket is required for the competition layout' });
    } else if (!m.timestamp) {
      ctx.addIssue({ code: 'custom', path: ['timestamp'], message: 'timestamp is required for the generic layout' });
    }
  });
export type ColumnMapping = z.output<typeof columnMappingSchema>;

const pathText = z.string().min(1, 'path is required').max(4096, 'path must be at most 4096 characters');
const datasetId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'datasetId must be a dataset id');
const pathSetId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'pathSetId must be a path set id');
const stockId = z.number({ error: 'stockId must be a number' }).int('stockId must be a whole number').min(0, 'stockId must be >= 0').max(2 ** 31 - 1, 'stockId must be < 2^31');
const label = z.string().max(120, 'label must be at most 120 characters').optional();

export const importConfigSchema = z
  .object({
    path: pathText,
    mapping: columnMappingSchema.optional(),
    /** Import the good rows and report the dropped ones (default: any bad row fails the whole import). */
    skipBadRows: z.boolean({ error: 'skipBadRows must be true or false' }).optional(),
    /** Stock id for files whose path has no `stock_id=N` and that have no stock column (default 0). */
    stockId: stockId.optional(),
    /** LOBSTER pairs: length of a bucket on the session clock, seconds (default 600). */
    bucketSeconds: z.number({ error: 'bucketSeconds must be a number' }).gt(0, 'bucketSeconds must be > 0').max(86_400, 'bucketSeconds must be <= 86400 (one day)').optional(),
    label,
  })
  .strict();
export type ImportConfig = z.output<typeof importConfigSchema>;

export const pathsConfigSchema = z
  .object({
    datasetId,
    steps: z.number({ error: 'steps must be a number' }).int('steps must be a whole number').min(2, 'steps must be >= 2').max(2000, 'steps must be <= 2000'),
    intervalSeconds: z.number({ error: 'intervalSeconds must be a number' }).gt(0, 'intervalSeconds must be > 0').max(86_400, 'intervalSeconds must be <= 86400').optional(),
    wap: z.enum(WAP_KINDS, { error: 'wap must be all or level1' }).optional(),
    windows: z.enum(WINDOW_MODES, { error: 'windows must be bucket or rolling' }).optional(),
    stride: z.number({ error: 'stride must be a number' }).int('stride must be a whole number').min(1, 'stride must be >= 1').max(100_000, 'stride must be <= 100000').optional(),
    trainFraction: z.number({ error: 'trainFraction must be a number' }).gt(0, 'trainFraction must be > 0').lt(1, 'trainFraction must be < 1').optional(),
    stocks: z.array(stockId).min(1, 'stocks must name at least one stock (or be left out for all)').max(10_000).optional(),
    label,
    /** Start even when the estimated disk or work is over the limits (src-shared/limits). */
    allowLong: z.boolean({ error: 'allowLong must be true or false' }).optional(),
  })
  .strict();
export type PathsConfig = z.output<typeof pathsConfigSchema>;

/** The spec's default trading session: 6.5 hours, 252 sessions a year (editable per data set). */
export const DEFAULT_SESSION_HOURS = 6.5;
export const DEFAULT_SESSIONS_PER_YEAR = 252;
/** The sampling intervals a WAP export may use, seconds. */
const exportInterval = z.number({ error: 'intervalSeconds must be a number' }).gt(0, 'intervalSeconds must be > 0').max(86_400, 'intervalSeconds must be <= 86400');
const wapKind = z.enum(WAP_KINDS, { error: 'wap must be all or level1' });

export const orderbookSchemas = {
  'orderbook-inspect': z.object({ path: pathText }).strict(),
  'orderbook-upload': z
    .object({
      name: z
        .string()
        .min(1, 'name is required')
        .max(200, 'name must be at most 200 characters')
        .regex(/^[^/\\]+$/, 'name must be a file name without folders')
        // eslint-disable-next-line no-control-regex
        .regex(/^[^\u0000-\u001f\u007f]+$/, 'name must not contain control characters (NUL, line breaks)')
        .refine((n) => n !== '.' && n !== '..', 'name must be a file name, not . or ..'),
      dataBase64: z.string().max(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4 + 4, `the file must be at most ${MAX_UPLOAD_BYTES / 1000} kB; import bigger files by path`),
      /** Add the file to the upload folder an earlier upload returned (files uploaded together, e.g. a LOBSTER pair). */
      folder: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'folder must be the folder id an earlier upload returned').optional(),
    })
    .strict(),
  'orderbook-import': importConfigSchema,
  'orderbook-datasets': z.object({}).strict(),
  'orderbook-dataset-get': z.object({ datasetId }).strict(),
  'orderbook-dataset-delete': z.object({ datasetId }).strict(),
  'orderbook-buckets': z.object({ datasetId, stockId }).strict(),
  'orderbook-series': z
    .object({
      datasetId,
      stockId,
      /** Window on the joined time axis (bucket index x bucketSeconds + second); whole stock when left out. */
      from: z.number({ error: 'from must be a number' }).optional(),
      to: z.number({ error: 'to must be a number' }).optional(),
      maxPoints: z.number({ error: 'maxPoints must be a number' }).int('maxPoints must be a whole number').min(10, 'maxPoints must be >= 10').max(50_000, 'maxPoints must be <= 50000').optional(),
    })
    .strict(),
  'orderbook-rv-histogram': z
    .object({
      datasetId,
      stockId: stockId.optional(),
      wap: z.enum(WAP_KINDS, { error: 'wap must be all or level1' }).optional(),
      bins: z.number({ error: 'bins must be a number' }).int('bins must be a whole number').min(5, 'bins must be >= 5').max(200, 'bins must be <= 200').optional(),
    })
    .strict(),
  /** Signature plot of one stock: realised variance against the sampling interval (1 s .. 10 min). */
  'orderbook-signature': z.object({ datasetId, stockId, wap: wapKind.optional(), readId: readIdSchema.optional() }).strict(),
  /** Intraday profiles of one stock: spread, depth and realised volatility per bin of the session clock. */
  'orderbook-profile': z
    .object({
      datasetId,
      stockId,
      wap: wapKind.optional(),
      binSeconds: z.number({ error: 'binSeconds must be a number' }).gt(0, 'binSeconds must be > 0').max(86_400, 'binSeconds must be <= 86400').optional(),
      rvIntervalSeconds: z.number({ error: 'rvIntervalSeconds must be a number' }).gt(0, 'rvIntervalSeconds must be > 0').max(3600, 'rvIntervalSeconds must be <= 3600').optional(),
      /** Name of this read for 'reads-cancel' (src-shared/api/reads.ts). */
      readId: readIdSchema.optional(),
    })
    .strict(),
  /** The previous-tick WAP of one stock on a grid of intervalSeconds (one row per grid time of each session). */
  'orderbook-wap-export': z.object({ datasetId, stockId, intervalSeconds: exportInterval, wap: wapKind.optional() }).strict(),
  /** Set a data set's trading-time units (session length, sessions per year, session start). */
  'orderbook-time-units-set': z
    .object({
      datasetId,
      sessionHours: z.number({ error: 'sessionHours must be a number' }).gt(0, 'sessionHours must be > 0').max(24, 'sessionHours must be <= 24'),
      sessionsPerYear: z.number({ error: 'sessionsPerYear must be a number' }).gt(0, 'sessionsPerYear must be > 0').max(366, 'sessionsPerYear must be <= 366'),
      /** Seconds after midnight UTC at which the session clock starts (null: midnight). */
      sessionStartSeconds: z.number({ error: 'sessionStartSeconds must be a number' }).min(0, 'sessionStartSeconds must be >= 0').lt(86_400, 'sessionStartSeconds must be < 86400').nullable().optional(),
    })
    .strict(),
  'orderbook-build-paths': pathsConfigSchema,
  'orderbook-path-sets': z.object({ datasetId: datasetId.optional() }).strict(),
  'orderbook-paths-get': z
    .object({
      pathSetId,
      split: z.enum(['train', 'test'], { error: 'split must be train or test' }),
      offset: z.number({ error: 'offset must be a number' }).int('offset must be a whole number').min(0, 'offset must be >= 0').optional(),
      limit: z.number({ error: 'limit must be a number' }).int('limit must be a whole number').min(1, 'limit must be >= 1').max(200_000, 'limit must be <= 200000').optional(),
    })
    .strict(),
  'orderbook-path-set-delete': z.object({ pathSetId }).strict(),
} as const;

/** Name of the column at 1-based position k of a headerless file. */
export const positionalColumn = (k: number): string => `column ${k}`;

/** A LOBSTER pair found under the imported path (spec orderbook.md, format 3). */
export interface LobsterPairInfo {
  ticker: string;
  date: string;
  /** Session start and end, seconds after midnight (START / 1000, END / 1000 of the file name). */
  startSeconds: number;
  endSeconds: number;
  levels: number;
  messageFile: string;
  orderbookFile: string;
  bytes: number;
  /** What the stock will be called: the ticker, with the date when the ticker has several days. */
  stockName: string;
}

/** One file found under the imported path. */
export interface InspectedFile {
  /** Relative to the inspected folder (the file name for a single file). */
  path: string;
  format: 'parquet' | 'csv';
  bytes: number;
  /** From a `stock_id=N` folder or file name; null when the path has none. */
  stockId: number | null;
  /** Known for Parquet (footer); null for CSV. */
  rows: number | null;
  /** `trade` files (price, size, order_count) are listed but not imported; `unknown` could not be read. */
  role: 'book' | 'trade' | 'unknown';
}

export interface InspectResult {
  path: string;
  kind: 'file' | 'folder';
  files: InspectedFile[];
  bookFiles: number;
  totalBytes: number;
  /** Columns of the first book file, as written in it. */
  columns: string[];
  /** First rows of that file as text (for the mapping step). */
  sample: string[][];
  /** The mapping found by matching names case-insensitively, or null when required columns are missing. */
  mapping: ColumnMapping | null;
  /** Best guess even when incomplete (unmatched roles left empty), for the mapping form. */
  suggested: ColumnMapping;
  /** Roles with no matching column, e.g. `ask_size2`. */
  missing: string[];
  /** Things the user should know (trade files skipped, mixed formats, unreadable files). */
  notes: string[];
  /** A stored dataset with the same content, if this exact input was imported before. */
  duplicateOf: { datasetId: string; label: string } | null;
  /**
   * Whether the first line of the first CSV book file is taken as a header: false when every cell of it is a
   * number (then `columns` are `column 1` .. `column N` and `sample` starts with that line). Parquet: true.
   */
  hasHeader: boolean;
  /** The first line's cells as written (the header, or the first data row). */
  firstRow: string[];
  /** LOBSTER pairs found (the import then reads them as pairs; no mapping step), null when none. */
  lobster: LobsterPairInfo[] | null;
}

/** Why rows were dropped (skip-bad-rows mode) or the first reason an import failed. */
export type RejectCode =
  | 'non-numeric'
  | 'missing-value'
  | 'wrong-cell-count'
  | 'price-not-positive'
  | 'size-not-positive'
  | 'crossed-book'
  | 'unsorted-time'
  | 'wap-not-positive';

export interface RejectExample {
  file: string;
  /** 1-based data row (header excluded). */
  row: number;
  /** CSV line number (header = line 1); null for Parquet. */
  line: number | null;
  column: string;
  code: RejectCode;
  message: string;
}

/** The first row whose time equals the previous row's (same stock, same file). */
export interface DuplicateTimeExample {
  file: string;
  /** 1-based data row (header excluded). */
  row: number;
  /** CSV line number (header = line 1); null for Parquet. */
  line: number | null;
  stockId: number;
  timeId: number;
  /** The repeated time: seconds in the bucket (competition layout) or epoch seconds (generic layout). */
  time: number;
  /** The previous row's time (same units). */
  previous?: number;
}

/** What a LOBSTER import read beyond the book rows. */
export interface LobsterImportReport {
  pairs: number;
  /** Messages read (= orderbook rows). */
  messages: number;
  /** Rows left out because level 1 of one side was empty outside a halt (no WAP). */
  oneSidedRows: number;
  /** Rows inside halts, and those of them left out (crossed or one-sided during the halt). */
  haltedRows: number;
  haltedDropped: number;
  halts: number;
  bucketSeconds: number;
}

/** Metrics of a finished 'orderbook-import' run. */
export interface ImportMetrics {
  datasetId: string;
  /** Set when the same content was imported before: nothing new was written and `datasetId` is the old one. */
  duplicateOf: string | null;
  files: number;
  format: 'parquet' | 'csv' | 'mixed';
  bytes: number;
  /** Book rows read from the files. */
  rows: number;
  /** Rows stored (rows - rejectedRows). */
  acceptedRows: number;
  rejectedRows: number;
  rejectReasons: Partial<Record<RejectCode, number>>;
  rejectExamples: RejectExample[];
  /**
   * Rows that repeat the previous row's timestamp (same stock): kept in file order, both enter the WAP series;
   * `first` locates the first one. Absent on runs recorded before this was counted.
   */
  duplicateTimes?: { count: number; first: DuplicateTimeExample | null };
  /** Rows whose time is before the previous row's in the same bucket: kept in file order, reported. */
  backwardTimes?: { count: number; first: DuplicateTimeExample | null };
  /** LOBSTER imports only. */
  lobster?: LobsterImportReport;
  /** Files left out (trade files; empty files when skipping bad rows), with the reason. */
  skippedFiles: Array<{ path: string; reason: string }>;
  stocks: number;
  buckets: number;
  /** Wall time of the whole import (hashing, reading, computing, storing), seconds. */
  seconds: number;
  rowsPerSec: number;
  /** How the files were read: `udsv x2 workers` for CSV (a file with quoted fields goes through one csv-parse stream), `hyparquet` for Parquet. */
  reader: string;
  /** Time of the one transaction that moved the staged data into the store, seconds (absent for a duplicate). */
  storeSeconds?: number;
}

/**
 * Summary of per-bucket realised volatility, annualised per year of trading time: the `timeUnits` given beside
 * it (the data set's or stock's; the spec's default is TRADING_SECONDS_PER_YEAR).
 */
export interface RvStats {
  count: number;
  mean: number | null;
  median: number | null;
  p05: number | null;
  p95: number | null;
  min: number | null;
  max: number | null;
}

export interface DatasetSummary {
  id: string;
  label: string;
  /** `lobster`: LOBSTER pairs (time = seconds since each session's START, prices in dollars). */
  source: 'book' | 'lobster';
  sourcePath: string;
  format: 'parquet' | 'csv' | 'mixed';
  layout: BookLayout;
  levels: number;
  bucketSeconds: number;
  contentHash: string;
  files: number;
  stocks: number;
  buckets: number;
  rows: number;
  rejectedRows: number;
  createdAt: number;
  importRunId: string | null;
  importSeconds: number | null;
  /** Per-bucket realised volatility of the all-level WAP, annualised. */
  rv: RvStats;
  /** The same from the level-1 WAP. */
  rv1: RvStats;
  /** Mean relative spread (ask1 - bid1) / mid1 over all rows, basis points. */
  spreadBp: number | null;
  /**
   * The trading year `rv` / `rv1` are annualised in, and how intraday figures of this data set are put in trading
   * time (orderbook-time-units-set edits it). LOBSTER sets whose stocks have sessions of different lengths: the
   * mean length (each stock's own figures use its own session).
   */
  timeUnits: TimeUnits;
}

/** The trading session of a stock (LOBSTER: START and END of the file name), for trading-time annualisation. */
export interface StockSession {
  /** `YYYY-MM-DD`, null when unknown. */
  date: string | null;
  /** Seconds after midnight on the clock of the file (LOBSTER: the exchange's local time). */
  startSeconds: number;
  endSeconds: number;
}

/** A trading halt of a stock (LOBSTER type-7 messages), seconds since the session start. */
export interface HaltInfo {
  startSecond: number;
  /** null: still halted when the file ends. */
  endSecond: number | null;
}

export interface StockSummary {
  stockId: number;
  /** The stock's name (LOBSTER: the ticker, with the date when a ticker has several days), null when only an id. */
  name: string | null;
  session: StockSession | null;
  halts: HaltInfo[];
  buckets: number;
  rows: number;
  firstTimeId: number;
  lastTimeId: number;
  rv: RvStats;
  rv1: RvStats;
  spreadBp: number | null;
  /** Mean total displayed size (both sides, all levels) per row. */
  depth: number | null;
  /** The trading year `rv` / `rv1` are annualised in (the stock's session when its file names one). */
  timeUnits: TimeUnits;
}

export interface DatasetDetail extends DatasetSummary {
  stocksTable: StockSummary[];
  mapping: ColumnMapping;
  fileList: Array<{ path: string; format: 'parquet' | 'csv'; stockId: number; rows: number; rejected: number; bytes: number }>;
  rejectReasons: Partial<Record<RejectCode, number>>;
  rejectExamples: RejectExample[];
}

/** Per-bucket figures of one stock, column-wise (index i = i-th bucket in time_id order). */
export interface BucketTable {
  datasetId: string;
  stockId: number;
  bucketSeconds: number;
  timeId: number[];
  rows: number[];
  /** Realised volatility, not annualised: sqrt(sum (diff log WAP)^2) over the bucket. */
  rv: Array<number | null>;
  rv1: Array<number | null>;
  /** Annualised: rv / sqrt(span / timeUnits.secondsPerYear), span = last - first observation time in the bucket. */
  rvAnnual: Array<number | null>;
  rv1Annual: Array<number | null>;
  /** The stock's trading-time units `rvAnnual` / `rv1Annual` are annualised in. */
  timeUnits: TimeUnits;
  spreadBp: number[];
  depth: number[];
  wapOpen: number[];
  wapClose: number[];
  /** Message statistics per bucket (LOBSTER), null for other sources. */
  messages: BucketMessages | null;
}

/** Per-bucket message statistics of one stock, column-wise (index i = i-th bucket in time_id order). */
export interface BucketMessages {
  timeId: number[];
  /** events[t - 1][i]: messages of type t (1 new, 2 partial cancel, 3 delete, 4 visible exec., 5 hidden exec., 6 cross, 7 halt). */
  events: number[][];
  /** Shares executed: visible (type 4), hidden (type 5). */
  visibleVolume: number[];
  hiddenVolume: number[];
  /** Executions (type 4 or 5 messages). */
  trades: number[];
  /** Messages inside a halt. */
  haltedRows: number[];
}

/**
 * WAP series of one stock on the joined time axis x = (bucket index) x bucketSeconds + seconds in bucket,
 * reduced to at most `maxPoints` bins (per bin: last WAP, lowest bid1, highest ask1) when longer.
 */
export interface SeriesData {
  datasetId: string;
  stockId: number;
  bucketSeconds: number;
  /** time_id of each bucket in axis order (bucket i covers x in [i B, (i+1) B)). */
  timeIds: number[];
  /** Full extent of the axis. */
  xMin: number;
  xMax: number;
  /** The window returned. */
  from: number;
  to: number;
  x: number[];
  wap: number[];
  wap1: number[];
  bid: number[];
  ask: number[];
  /** Book rows in the window, and whether they were reduced to bins. */
  rows: number;
  decimated: boolean;
  /** Time spent loading and reducing, ms. */
  loadMs: number;
}

export interface Histogram {
  /** Bin edges (annualised volatility, fraction per year of `timeUnits`' trading time), length bins + 1. */
  edges: number[];
  counts: number[];
  n: number;
  stats: RvStats;
  wap: WapKind;
  stockId: number | null;
  /** The trading year the volatilities are annualised in: the stock's, or the data set's for all stocks. */
  timeUnits: TimeUnits;
}

/**
 * How a data set's intraday figures are put in trading time (spec orderbook.md "Time units"). The year has
 * `sessionsPerYear x sessionHours x 3600` trading seconds; `source` says whether that is the spec's default
 * (252 x 6.5 h), the session the files name, or was set for this data set. `clock`: `bucket` (competition layout: each bucket is a session of
 * unknown date, times are seconds in the bucket) or `day` (timestamped layouts: one UTC day is a session, times
 * are seconds after `sessionStartSeconds` past midnight UTC, or after midnight when that is null).
 */
export interface TimeUnits {
  sessionHours: number;
  sessionsPerYear: number;
  secondsPerYear: number;
  /** `dataset`: set by the user; `data`: the session the files name (LOBSTER START/END); `default`: 252 x 6.5 h. */
  source: 'default' | 'dataset' | 'data';
  clock: 'bucket' | 'day';
  sessionStartSeconds: number | null;
}

/** One point of a signature plot. */
export interface SignaturePoint {
  /** Sampling interval, seconds. */
  intervalSeconds: number;
  /** Sessions with at least one return at this interval. */
  sessions: number;
  /** Grid returns over all sessions. */
  returns: number;
  /** Mean over sessions of the session's realised variance sum r^2 (dimensionless, per session). */
  rvMean: number | null;
  /** Its standard error (sample standard deviation across sessions / sqrt(sessions)); NaN with one session. */
  rvSe: number | null;
  /** Mean over sessions of RV / covered span x secondsPerYear: realised variance per year of trading time. */
  annualVariance: number | null;
  /** Its standard error across sessions. */
  annualVarianceSe: number | null;
}

/** Microstructure noise read off the signature plot's small intervals. */
export interface NoiseEstimate {
  /** Noise variance per observation of log WAP, eta^2 (dimensionless): half the mean per-session slope of RV on the tick count. */
  variance: number;
  /** Standard error of `variance` (spread of the per-session slopes / sqrt(sessions) / 2); null with one session. */
  se: number | null;
  /** Sessions whose slope entered. */
  sessions: number;
  /** The intervals used, seconds. */
  intervals: number[];
}

export interface SignatureData {
  datasetId: string;
  stockId: number;
  wap: WapKind;
  timeUnits: TimeUnits;
  /** Sessions read (buckets, or UTC days). */
  sessions: number;
  points: SignaturePoint[];
  noise: NoiseEstimate | null;
  loadMs: number;
}

/** Per-bin profiles of one stock on the session clock. */
export interface IntradayProfile {
  /** Start of each bin, seconds of the session clock; bin i covers [binStart[i], binStart[i] + binSeconds). */
  binStart: number[];
  binSeconds: number;
  /** Book rows in each bin (all sessions). */
  rows: number[];
  /** Mean level-1 spread over the bin's rows, basis points of the mid (null for an empty bin). */
  spreadBp: Array<number | null>;
  /** Mean displayed depth (both sides, all levels) over the bin's rows, shares (null for an empty bin). */
  depth: Array<number | null>;
  /** Realised volatility of the returns starting in the bin, annualised in trading time (fraction per year). */
  rvAnnual: Array<number | null>;
  /** Returns in each bin (all sessions). */
  returns: number[];
  rvIntervalSeconds: number;
}

export interface ProfileData extends IntradayProfile {
  datasetId: string;
  stockId: number;
  wap: WapKind;
  timeUnits: TimeUnits;
  sessions: number;
  loadMs: number;
}

/** The previous-tick WAP of one stock, one entry per grid time of each session. */
export interface WapExport {
  datasetId: string;
  datasetLabel: string;
  stockId: number;
  wap: WapKind;
  intervalSeconds: number;
  timeUnits: TimeUnits;
  /** Session of each row: time_id (bucket clock) or the UTC date `YYYY-MM-DD` (day clock). */
  session: Array<number | string>;
  /** Seconds of the session clock (multiples of intervalSeconds). */
  seconds: number[];
  /** WAP, price units (the file's). */
  value: number[];
}

/** Metrics of a finished 'orderbook-paths' run. */
export interface PathsMetrics {
  pathSetId: string;
  datasetId: string;
  steps: number;
  intervalSeconds: number;
  /** Time step of a path in years of the data set's trading time (intervalSeconds / its secondsPerYear; default TRADING_SECONDS_PER_YEAR). */
  dtYears: number;
  train: number;
  test: number;
  /** Windows dropped because they straddle the train/test cut. */
  dropped: number;
  /** Buckets skipped because their series was too short for one window. */
  shortBuckets: number;
  /** Annualised realised volatility of the training windows (the sigma the hedgers use). */
  sigmaTrain: number;
  sigmaTest: number;
  /** First time_id of the test period. */
  cutTimeId: number;
  seconds: number;
}

export interface PathSetSummary {
  id: string;
  datasetId: string | null;
  datasetLabel: string | null;
  label: string;
  config: PathsConfig;
  steps: number;
  intervalSeconds: number;
  dtYears: number;
  wap: WapKind;
  windows: WindowMode;
  train: number;
  test: number;
  dropped: number;
  sigmaTrain: number;
  sigmaTest: number;
  cutTimeId: number;
  createdAt: number;
  buildRunId: string | null;
}

/** Windows of a path set, each of steps + 1 prices starting at 1, oldest first. */
/**
 * Most points (cells) one orderbook-paths-get page may hold: windows x (steps + 1) <= this. A million
 * float64 values encode to at most ~24 MB of JSON, under the host's 32 MiB reply budget. Ask for at most
 * `pageLimit` windows (given in every page) and page on with offset.
 */
export const PATHS_PAGE_MAX_CELLS = 1_000_000;

/** Windows of `steps` steps that fit in one page. */
export const pathsPageLimit = (steps: number): number => Math.max(1, Math.floor(PATHS_PAGE_MAX_CELLS / (steps + 1)));

export interface PathsPage {
  pathSetId: string;
  split: 'train' | 'test';
  steps: number;
  dtYears: number;
  sigmaTrain: number;
  /** Windows in this split. */
  count: number;
  offset: number;
  /** Most windows one page of this set may hold (PATHS_PAGE_MAX_CELLS / (steps + 1)). */
  pageLimit: number;
  paths: number[][];
  /** Where each window came from: stock, time_id and the second its first point sits at. */
  stockId: number[];
  timeId: number[];
  startSecond: number[];
}

export interface OrderbookResponses {
  'orderbook-inspect': InspectResult;
  /**
   * `path`: the saved file; `folder` / `folderPath`: its upload folder (name it in the next upload to add files;
   * inspect and import `folderPath` when several files were uploaded together); `files` / `folderBytes` in it.
   */
  'orderbook-upload': { path: string; bytes: number; folder: string; folderPath: string; files: number; folderBytes: number };
  'orderbook-import': { runId: string };
  'orderbook-datasets': DatasetSummary[];
  'orderbook-dataset-get': DatasetDetail;
  'orderbook-dataset-delete': { deleted: number; pathSets: number };
  'orderbook-buckets': BucketTable;
  'orderbook-series': SeriesData;
  'orderbook-rv-histogram': Histogram;
  'orderbook-signature': SignatureData;
  'orderbook-profile': ProfileData;
  'orderbook-wap-export': WapExport;
  'orderbook-time-units-set': TimeUnits;
  'orderbook-build-paths': { runId: string };
  'orderbook-path-sets': PathSetSummary[];
  'orderbook-paths-get': PathsPage;
  'orderbook-path-set-delete': { deleted: number };
}

/** Live detail of an import's 'run-progress' events. */
export interface ImportProgressDetail {
  stage: 'hashing' | 'reading' | 'storing';
  rowsRead: number;
  /** Estimated rows in all files (exact for Parquet, from bytes for CSV). */
  rowsTotal: number;
  rowsPerSec: number;
  /** Seconds left at the current rate, null while unknown. */
  secondsLeft: number | null;
  file: string;
  fileIndex: number;
  files: number;
  rejectedRows: number;
  /** While hashing: bytes hashed so far and in all files. */
  bytesHashed?: number;
  bytesTotal?: number;
}
