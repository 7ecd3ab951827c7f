import { type BookAccumulator, type PreparedRows } from './accumulate';
import { type BookBatch, type RolePlan, FLAG_NON_NUMERIC, rolePlan } from './batch';
import { BookInputError } from './errors';
import { type CompactColumns, ROW_OK } from './lobsterRows';

/**
 * LOBSTER order-book pairs (spec orderbook.md, format 3): the academic NASDAQ reconstruction ships, per ticker
 * and day, a headerless message file and a headerless orderbook file with one row per message:
 *
 * - `TICKER_DATE_START_END_message_L.csv`: time (seconds after midnight, up to nanosecond decimals), event type
 *   (1 new limit order, 2 partial cancellation, 3 deletion, 4 visible execution, 5 hidden execution, 6 cross
 *   trade, 7 trading halt), order id, size (shares), price (dollars x 10,000), direction (-1 sell, 1 buy);
 * - `TICKER_DATE_START_END_orderbook_L.csv`: row i is the book after message i; for k = 1..L the columns
 *   `ask price k, ask size k, bid price k, bid size k`; empty levels carry the dummy prices 9999999999 (ask) and
 *   -9999999999 (bid) with size 0.
 *
 * START and END are milliseconds after midnight: the session. The session clock (seconds since START) is cut
 * into buckets of `bucketSeconds`; bucket b covers [START + b B, START + (b + 1) B). This module turns an
 * aligned slice of both files (already parsed to numbers by the CSV readers) into the engine's {@link BookBatch}
 * (generic layout, prices in dollars, empty levels as NaN) and keeps, per bucket, the message statistics
 * (events by type, visible / hidden traded volume, trades) and the halts.
 *
 * Halts (type 7; LOBSTER puts -1 in the price column when trading halts, 0 when quoting resumes and 1 when
 * trading resumes): from the halt message to the resume-trading message the book is flagged as halted. A halted
 * book row is kept in the WAP series when it is a proper two-sided book, and left out (counted, no error)
 * otherwise: crossed or one-sided books are expected during a halt. Outside halts a crossed book is an error
 * (the accumulator's); a book with an empty side at level 1 has no WAP and is left out and counted.
 */

/** LOBSTER prices are dollars x 10,000. */
export const LOBSTER_PRICE_SCALE = 10_000;
/** Price of an empty ask level. */
export const LOBSTER_DUMMY_ASK = 9_999_999_999;
/** Price of an empty bid level. */
export const LOBSTER_DUMMY_BID = -9_999_999_999;
/** Event types 1..7. */
export const LOBSTER_EVENT_TYPES = 7;

export interface LobsterName {
  ticker: string;
  /** `YYYY-MM-DD`, as in the file name. */
  date: string;
  /** Session start and end, milliseconds after midnight. */
  startMs: number;
  endMs: number;
  kind: 'message' | 'orderbook';
  levels: number;
}

const NAME_RE = /^(.+?)_(\d{4}-\d{2}-\d{2})_(\d+)_(\d+)_(message|orderbook)_(\d+)\.(csv|txt)$/i;

/** Parse a LOBSTER file name (`AAPL_2012-06-21_34200000_57600000_orderbook_10.csv`), or null when it is not one. */
export function parseLobsterName(fileName: string): LobsterName | null {
  const m = NAME_RE.exec(fileName);
  if (!m) return null;
  const levels = Number(m[6]);
  if (!(levels >= 1)) return null;
  return { ticker: m[1], date: m[2], startMs: Number(m[3]), endMs: Number(m[4]), kind: m[5].toLowerCase() as 'message' | 'orderbook', levels };
}

/** The partner file's name: message <-> orderbook, same ticker, date, session and levels. */
export function lobsterPartnerName(fileName: string): string {
  return fileName.replace(/_(message|orderbook)_(\d+)\.(csv|txt)$/i, (_, kind: string, l: string, ext: string) => `_${kind.toLowerCase() === 'message' ? 'orderbook' : 'message'}_${l}.${ext}`);
}

/** 0-based column of each orderbook role in a LOBSTER orderbook row (k = 0-based level). */
export const lobsterBookColumn = {
  askPrice: (k: number): number => 4 * k,
  askSize: (k: number): number => 4 * k + 1,
  bidPrice: (k: number): number => 4 * k + 2,
  bidSize: (k: number): number => 4 * k + 3,
};

/** Message columns read: time, type, size, price, direction (0-based positions in the message file). */
export const LOBSTER_MESSAGE_COLUMNS = [0, 1, 3, 4, 5] as const;
export const LOBSTER_MESSAGE_NAMES = ['time (column 1)', 'event type (column 2)', 'size (column 4)', 'price (column 5)', 'direction (column 6)'];

/** Orderbook columns read, in role-plan order after the time: bid prices, bid sizes, ask prices, ask sizes. */
export function lobsterBookColumns(levels: number): number[] {
  const out: number[] = [];
  for (const f of [lobsterBookColumn.bidPrice, lobsterBookColumn.bidSize, lobsterBookColumn.askPrice, lobsterBookColumn.askSize]) {
    for (let k = 0; k < levels; k++) out.push(f(k));
  }
  return out;
}

/**
 * The role plan of a LOBSTER pair (generic layout: the time is seconds since the session start), with names that
 * say where each value sits: `bid price 1 (column 3)`; the time is `time (message column 1)`.
 */
export function lobsterPlan(levels: number, bucketSeconds: number): RolePlan {
  const name = (what: string, f: (k: number) => number) => Array.from({ length: levels }, (_, k) => `${what} ${k + 1} (column ${f(k) + 1})`);
  return rolePlan({
    layout: 'generic',
    levels,
    timestamp: 'time (message column 1)',
    bidPrice: name('bid price', lobsterBookColumn.bidPrice),
    bidSize: name('bid size', lobsterBookColumn.bidSize),
    askPrice: name('ask price', lobsterBookColumn.askPrice),
    askSize: name('ask size', lobsterBookColumn.askSize),
    bucketSeconds,
  });
}

/** Message statistics of one bucket. */
export interface BucketEvents {
  /** Bucket index on the session clock. */
  timeId: number;
  /** Messages of type 1..7 at index 0..6. */
  events: Float64Array;
  /** Shares executed visibly (type 4) and against hidden orders (type 5). */
  visibleVolume: number;
  hiddenVolume: number;
  /** Executions (messages of type 4 or 5): one trade each. */
  trades: number;
  /** Book rows (= messages) inside a halt. */
  haltedRows: number;
}

/** A trading halt on the session clock (seconds since START); `endSecond` null when the file ends halted. */
export interface LobsterHalt {
  startSecond: number;
  endSecond: number | null;
  /** Where the halt started: 1-based row of the pair. */
  row: number;
}

/** Aligned rows of the two files, already parsed (see LOBSTER_MESSAGE_COLUMNS and lobsterBookColumns). */
export interface LobsterSlice {
  n: number;
  /** 1-based row (= line: the files are headerless) of each row in both files. */
  rows: Int32Array;
  /** 5 arrays (time, type, size, price, direction), each of length >= n. */
  message: Float64Array[];
  /**
   * 4L arrays in lobsterBookColumns order, raw (price x 10,000, dummy prices for empty levels); null when the
   * rows come compacted (`compact`, `fullBook`).
   */
  book: Float64Array[] | null;
  /** The orderbook rows compacted on a parser thread (lobsterRows.ts: no row has ROW_OTHER), or null. */
  compact?: CompactColumns | null;
  /** The 4L raw arrays of a compacted slice (its chunk parsed again), for the reference path. */
  fullBook?: (() => Float64Array[]) | null;
  /** Per-row non-numeric flags of each file (FLAG_* bits), null when clean, with the first bad cell of each flagged row. */
  messageFlags: Uint8Array | null;
  messageIssues: Array<{ row: number; role: number; text: string }>;
  bookFlags: Uint8Array | null;
  bookIssues: Array<{ row: number; role: number; text: string }>;
}

export interface LobsterConverterOptions {
  levels: number;
  bucketSeconds: number;
  /** Session start, seconds after midnight (START / 1000). */
  startSecond: number;
  messageFile: string;
  bookFile: string;
  /** Drop bad rows (the accumulator counts them) instead of failing. */
  skipBadRows: boolean;
  /** Take the reference path (convert + BookAccumulator.add) for compacted slices too (tests compare the two). */
  referencePath?: boolean;
}

/**
 * Converts aligned slices of one LOBSTER pair, in file order, to book batches, and gathers message statistics
 * per bucket and the halts. State (halt in force, the open bucket's statistics) carries across slices.
 */
export class LobsterConverter {
  readonly plan: RolePlan;
  readonly buckets = new Map<number, BucketEvents>();
  readonly halts: LobsterHalt[] = [];
  /** Rows left out because their book has an empty side at level 1 outside a halt. */
  oneSidedRows = 0;
  /** Halted rows left out (not a proper two-sided book). */
  haltedDropped = 0;
  /** First and last message time, seconds after midnight. */
  firstTime = NaN;
  lastTime = NaN;
  messages = 0;
  private halted = false;
  private readonly bookNames: string[];
  private prep: PreparedRows | null = null;

  constructor(private readonly o: LobsterConverterOptions) {
    this.plan = lobsterPlan(o.levels, o.bucketSeconds);
    this.bookNames = this.plan.names.slice(1);
  }

  /** True while a halt is in force (after the last slice: the file ended halted). */
  get inHalt(): boolean {
    return this.halted;
  }

  private bucket(timeId: number): BucketEvents {
    let b = this.buckets.get(timeId);
    if (!b) {
      b = { timeId, events: new Float64Array(LOBSTER_EVENT_TYPES), visibleVolume: 0, hiddenVolume: 0, trades: 0, haltedRows: 0 };
      this.buckets.set(timeId, b);
    }
    return b;
  }

  private fail(file: string, row: number, column: string | null, code: string, problem: string, value?: string): never {
    throw new BookInputError({ file, row, line: row, column, code, problem, value });
  }

  /**
   * One slice into the accumulator. A compacted slice whose message rows are all well formed (numbers, finite
   * times, types 1..7) takes the fast path: per row only the message statistics, the halts and the bucket
   * (the book's per-row work was done on the parser thread); any other slice takes the reference path,
   * {@link convert} then BookAccumulator.add. Both give the same statistics, rows, errors and results.
   */
  feed(s: LobsterSlice, acc: BookAccumulator): void {
    const c = s.compact;
    if (c && !this.o.referencePath && s.messageFlags === null && wellFormedMessages(s, this.o.startSecond)) this.feedCompact(s, c, acc);
    else acc.add(this.convert(s));
  }

  private prepared(n: number): PreparedRows {
    if (this.prep === null || this.prep.time.length < n) {
      const cap = Math.max(n, 4096);
      const f = (): Float64Array => new Float64Array(cap);
      this.prep = { time: f(), wap: f(), wap1: f(), logWap: f(), logWap1: f(), bid1: f(), ask1: f(), depth: f(), spreadBp: f(), rows: new Int32Array(cap) };
    }
    return this.prep;
  }

  /** The fast path of {@link feed}: {@link convert}'s per-row logic for rows whose book is already compacted. */
  private feedCompact(s: LobsterSlice, c: CompactColumns, acc: BookAccumulator): void {
    const { bucketSeconds: B, startSecond } = this.o;
    const [time, type, size, price] = s.message;
    const p = this.prepared(s.n);
    const { status, wap, wap1, logWap, logWap1, bid1, ask1, depth, spreadBp } = c;
    let m = 0;
    let cur: BucketEvents | null = null;
    let curId = NaN;
    for (let i = 0; i < s.n; i++) {
      const t = time[i];
      const sessionSec = t - startSecond;
      const ty = type[i];
      if (this.messages === 0) this.firstTime = t;
      this.lastTime = t;
      this.messages++;
      if (ty === 7) {
        const pr = price[i];
        if (pr === -1 && !this.halted) {
          this.halted = true;
          this.halts.push({ startSecond: sessionSec, endSecond: null, row: s.rows[i] });
        } else if (pr === 1 && this.halted) {
          this.halted = false;
          this.halts[this.halts.length - 1].endSecond = sessionSec;
        }
      }
      const id = Math.floor(sessionSec / B);
      if (id !== curId || cur === null) {
        cur = this.bucket(id);
        curId = id;
      }
      cur.events[ty - 1]++;
      if (ty === 4) {
        cur.visibleVolume += size[i];
        cur.trades++;
      } else if (ty === 5) {
        cur.hiddenVolume += size[i];
        cur.trades++;
      }
      const halted = this.halted;
      if (halted) cur.haltedRows++;
      if (status[i] !== ROW_OK) {
        // ROW_ONE_SIDED (a compacted slice has no ROW_OTHER): an empty side at level 1.
        if (halted) this.haltedDropped++;
        else this.oneSidedRows++;
        continue;
      }
      p.time[m] = sessionSec;
      p.wap[m] = wap[i];
      p.wap1[m] = wap1[i];
      p.logWap[m] = logWap[i];
      p.logWap1[m] = logWap1[i];
      p.bid1[m] = bid1[i];
      p.ask1[m] = ask1[i];
      p.depth[m] = depth[i];
      p.spreadBp[m] = spreadBp[i];
      p.rows[m] = s.rows[i];
      m++;
    }
    acc.addPrepared(p, m);
  }

  /**
   * One slice to a book batch (generic plan: time = seconds since START; prices in dollars; empty levels NaN).
   * Throws a BookInputError naming file, row and column for a non-numeric cell (unless skipping: then the row is
   * passed on flagged, and the accumulator drops and counts it) or an unknown event type.
   */
  convert(s: LobsterSlice): BookBatch {
    const { levels: L, bucketSeconds: B, startSecond } = this.o;
    const [time, type, size, price] = s.message;
    const book = s.book ?? s.fullBook?.();
    if (!book) throw new Error('a LOBSTER slice without its book columns (internal error)');
    const out = Array.from({ length: 1 + 4 * L }, () => new Float64Array(s.n));
    const keep = new Int32Array(s.n);
    let flags: Uint8Array | null = null;
    const issues: BookBatch['issues'] = [];
    let m = 0;
    let mi = 0;
    let bi = 0;
    for (let i = 0; i < s.n; i++) {
      const row = s.rows[i];
      let bad: { role: number; text: string } | null = null;
      if (s.messageFlags !== null && s.messageFlags[i] !== 0) {
        while (mi < s.messageIssues.length && s.messageIssues[mi].row < i) mi++;
        const is = s.messageIssues[mi]?.row === i ? s.messageIssues[mi] : null;
        if (!this.o.skipBadRows) {
          if (s.messageFlags[i] & FLAG_NON_NUMERIC) this.fail(this.o.messageFile, row, LOBSTER_MESSAGE_NAMES[is?.role ?? 0], 'non-numeric', `expected a number, found ${JSON.stringify(is?.text ?? '?')}; a LOBSTER message row is time, type, order id, size, price, direction`, is?.text);
          this.fail(this.o.messageFile, row, null, 'wrong-cell-count', `the row has ${is?.text.split('/')[0] ?? '?'} cells; a LOBSTER message row has ${is?.text.split('/')[1] ?? 6}`);
        }
        bad = { role: is?.role === 0 ? 0 : -1, text: is?.text ?? '?' };
      }
      if (bad === null && s.bookFlags !== null && s.bookFlags[i] !== 0) {
        while (bi < s.bookIssues.length && s.bookIssues[bi].row < i) bi++;
        const is = s.bookIssues[bi]?.row === i ? s.bookIssues[bi] : null;
        if (!this.o.skipBadRows) {
          if (s.bookFlags[i] & FLAG_NON_NUMERIC) this.fail(this.o.bookFile, row, is && is.role >= 0 ? this.bookNames[is.role] : null, 'non-numeric', `expected a number, found ${JSON.stringify(is?.text ?? '?')}`, is?.text);
          this.fail(this.o.bookFile, row, null, 'wrong-cell-count', `the row has ${is?.text.split('/')[0] ?? '?'} cells; a LOBSTER orderbook file with ${L} levels has ${4 * L} (ask price, ask size, bid price, bid size per level)`);
        }
        bad = { role: is && is.role >= 0 ? is.role + 1 : -1, text: is?.text ?? '?' };
      }
      const t = time[i];
      const sessionSec = t - startSecond;
      if (bad !== null) {
        // Skip mode: hand the row on flagged; the accumulator drops it and counts it as non-numeric.
        flags ??= new Uint8Array(s.n);
        flags[m] = FLAG_NON_NUMERIC;
        issues.push({ row: m, role: bad.role, text: bad.text });
        out[0][m] = NaN;
        keep[m++] = row;
        continue;
      }
      const ty = type[i];
      if (!(ty >= 1 && ty <= LOBSTER_EVENT_TYPES && Number.isInteger(ty))) {
        if (!this.o.skipBadRows) this.fail(this.o.messageFile, row, LOBSTER_MESSAGE_NAMES[1], 'bad-event-type', `event types are 1 to 7 (1 new order, 2 partial cancel, 3 delete, 4 visible execution, 5 hidden execution, 6 cross trade, 7 halt), found ${ty}`, String(ty));
        flags ??= new Uint8Array(s.n);
        flags[m] = FLAG_NON_NUMERIC;
        issues.push({ row: m, role: -1, text: String(ty) });
        out[0][m] = NaN;
        keep[m++] = row;
        continue;
      }
      if (this.messages === 0) this.firstTime = t;
      this.lastTime = t;
      this.messages++;
      if (ty === 7) {
        const p = price[i];
        if (p === -1 && !this.halted) {
          this.halted = true;
          this.halts.push({ startSecond: sessionSec, endSecond: null, row });
        } else if (p === 1 && this.halted) {
          this.halted = false;
          this.halts[this.halts.length - 1].endSecond = sessionSec;
        }
      }
      const b = this.bucket(Math.floor(sessionSec / B));
      b.events[ty - 1]++;
      if (ty === 4) {
        b.visibleVolume += size[i];
        b.trades++;
      } else if (ty === 5) {
        b.hiddenVolume += size[i];
        b.trades++;
      }
      // A halt starts with its message and ends with the resume-trading message (which is not halted).
      const halted = this.halted;
      if (halted) b.haltedRows++;

      let oneSided = false;
      for (let k = 0; k < L; k++) {
        const bp = book[k][i];
        const bs = book[L + k][i];
        const ap = book[2 * L + k][i];
        const as = book[3 * L + k][i];
        const bidEmpty = bp === LOBSTER_DUMMY_BID || (bs === 0 && bp <= 0);
        const askEmpty = ap === LOBSTER_DUMMY_ASK || (as === 0 && ap >= LOBSTER_DUMMY_ASK);
        if (k === 0 && (bidEmpty || askEmpty)) oneSided = true;
        out[1 + k][m] = bidEmpty ? NaN : bp / LOBSTER_PRICE_SCALE;
        out[1 + L + k][m] = bidEmpty ? NaN : bs;
        out[1 + 2 * L + k][m] = askEmpty ? NaN : ap / LOBSTER_PRICE_SCALE;
        out[1 + 3 * L + k][m] = askEmpty ? NaN : as;
      }
      if (halted && (oneSided || !(out[1][m] < out[1 + 2 * L][m]) || !(out[1 + L][m] > 0) || !(out[1 + 3 * L][m] > 0))) {
        this.haltedDropped++;
        continue;
      }
      if (oneSided) {
        this.oneSidedRows++;
        continue;
      }
      out[0][m] = sessionSec;
      keep[m++] = row;
    }
    const cols = out.map((c) => c.subarray(0, m));
    const rowNumbers = keep.slice(0, m);
    return { n: m, firstRow: m > 0 ? rowNumbers[0] : s.rows[0] ?? 1, lineOffset: 0, cols, flags: flags ? flags.slice(0, m) : null, issues, rowNumbers };
  }

  /** Bucket statistics in time order. */
  bucketList(): BucketEvents[] {
    return [...this.buckets.values()].sort((a, b) => a.timeId - b.timeId);
  }
}

/** Every message row of the slice has a finite time and an event type 1..7 (so the fast path raises nothing). */
function wellFormedMessages(s: LobsterSlice, startSecond: number): boolean {
  const [time, type] = s.message;
  for (let i = 0; i < s.n; i++) {
    const ty = type[i];
    const d = time[i] - startSecond;
    if (!(ty >= 1 && ty <= LOBSTER_EVENT_TYPES && (ty | 0) === ty) || d - d !== 0) return false;
  }
  return true;
}
