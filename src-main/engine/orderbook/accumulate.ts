import { type DuplicateTimeExample, type RejectCode, type RejectExample } from '../../../src-shared/orderbook/contract';
import { type BookBatch, type RolePlan, type RowProblem } from './batch';
import { BookInputError } from './errors';
import { rowProblem } from './validate';

/**
 * Turns a stream of book rows into per-bucket WAP series and statistics, one bucket at a time, so memory
 * stays at one open bucket per stock whatever the file size.
 *
 * Rows are validated (validate.ts) and their buckets must come in time order per stock within a file: time_id
 * never decreases. Within a bucket, a time equal to or before the previous row's is kept (in file order) and
 * counted (`duplicateTimes`, `backwardTimes`, with the first example of each). A bucket closes when
 * its stock moves to a later time_id or the file ends; a time_id already read for the same stock (in this or
 * an earlier file) is refused.
 * By default the first bad row throws a {@link BookInputError} naming file, row and column; with
 * `skipBadRows` the row is dropped and counted by reason.
 */

/** One finished bucket: the series (one entry per kept row, in time order) and its statistics. */
export interface BucketResult {
  stockId: number;
  timeId: number;
  rows: number;
  /** Seconds within the bucket (competition: seconds_in_bucket; generic: timestamp - timeId x bucketSeconds). */
  seconds: Float64Array;
  /** All-level WAP, eqs. (31)-(33). */
  wap: Float64Array;
  /** Level-1 WAP. */
  wap1: Float64Array;
  bid1: Float32Array;
  ask1: Float32Array;
  /** Total displayed size, both sides, all levels present. */
  depth: Float32Array;
  /** sqrt(sum (diff log WAP)^2) over the bucket, all-level and level-1 WAP (NaN with one row). */
  rv: number;
  rv1: number;
  firstSecond: number;
  lastSecond: number;
  /** Mean relative spread of level 1, basis points of the mid. */
  spreadBp: number;
  /** Mean depth per row. */
  depthMean: number;
  wapOpen: number;
  wapClose: number;
  wapMin: number;
  wapMax: number;
}

export interface AccumulatorOptions {
  skipBadRows: boolean;
  onBucket(b: BucketResult): void;
  /** Examples of dropped rows kept for the report (default 20, plus the first of every reason). */
  maxExamples?: number;
}

class GrowF64 {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

interface StockState {
  stockId: number;
  /** time_id of the open (or last closed) bucket; -Infinity before the first row. */
  timeId: number;
  /** Time of the last accepted row: seconds in bucket (competition) or absolute seconds (generic). */
  lastTime: number;
  open: boolean;
  closed: Set<number>;
  seconds: GrowF64;
  wap: GrowF64;
  wap1: GrowF64;
  bid1: GrowF64;
  ask1: GrowF64;
  depth: GrowF64;
  spreadSum: number;
  /**
   * Realised volatility of the open bucket as it grows (realisedVol.ts, same operations in the same order):
   * sums of squared log returns of the all-level and level-1 WAP, and the last log of each.
   */
  ss: number;
  ss1: number;
  lastLog: number;
  lastLog1: number;
}

/**
 * Rows already converted and checked (a LOBSTER chunk compacted on a parser thread, lobsterRows.ts: every row
 * is a proper book with positive finite WAPs), for {@link BookAccumulator.addPrepared}. Arrays of length >= n.
 */
export interface PreparedRows {
  /** Generic time (seconds) of each row. */
  time: Float64Array;
  wap: Float64Array;
  wap1: Float64Array;
  /** Math.log of wap and wap1. */
  logWap: Float64Array;
  logWap1: Float64Array;
  bid1: Float64Array;
  ask1: Float64Array;
  /** Total displayed size (both sides, all levels present). */
  depth: Float64Array;
  /** Relative spread of level 1, basis points of the mid: 2e4 (ask1 - bid1) / (ask1 + bid1). */
  spreadBp: Float64Array;
  /** Data row number of each row in its file (for messages). */
  rows: Int32Array;
}

export class BookAccumulator {
  rows = 0;
  accepted = 0;
  rejected = 0;
  buckets = 0;
  readonly reasons: Partial<Record<RejectCode, number>> = {};
  readonly examples: RejectExample[] = [];
  /** Rows whose time equals the previous accepted row's (same stock): kept, in file order, and reported. */
  duplicateTimes = 0;
  /** The first such row. */
  firstDuplicate: DuplicateTimeExample | null = null;
  /** Rows whose time is before the previous accepted row's in the same bucket (same stock): kept, in file order, and reported. */
  backwardTimes = 0;
  firstBackward: DuplicateTimeExample | null = null;
  private readonly stocks = new Map<number, StockState>();
  private file = '';
  private plan: RolePlan | null = null;
  private defaultStock = 0;
  private readonly maxExamples: number;

  constructor(private readonly opts: AccumulatorOptions) {
    this.maxExamples = opts.maxExamples ?? 20;
  }

  /** Start a file: its display name, role plan and the stock id for rows without a stock column. */
  beginFile(file: string, plan: RolePlan, defaultStock: number): void {
    this.file = file;
    this.plan = plan;
    this.defaultStock = defaultStock;
  }

  /**
   * Close every open bucket (call at the end of each file). Time order is checked within a file: the next
   * file of a stock may cover earlier buckets, but never one already read.
   */
  endFile(): void {
    for (const st of this.stocks.values()) {
      if (st.open) this.close(st);
      st.timeId = -Infinity;
      st.lastTime = -Infinity;
    }
  }

  /** Stocks seen so far with at least one stored bucket. */
  stockIds(): number[] {
    return [...this.stocks.values()].filter((s) => s.closed.size > 0).map((s) => s.stockId);
  }

  /** Validate and absorb one batch. Throws BookInputError on the first bad row unless skipping. */
  add(batch: BookBatch): void {
    const plan = this.plan;
    if (!plan) throw new Error('beginFile must be called before add');
    const { cols, n, flags, issues } = batch;
    const B = plan.bucketSeconds;
    const competition = plan.seconds >= 0;
    const tCol = cols[plan.time];
    const sCol = competition ? cols[plan.seconds] : null;
    const stockCol = plan.stock >= 0 ? cols[plan.stock] : null;
    const L = plan.levels;
    const bp = plan.bidPrice.map((r) => cols[r]);
    const bs = plan.bidSize.map((r) => cols[r]);
    const ap = plan.askPrice.map((r) => cols[r]);
    const as = plan.askSize.map((r) => cols[r]);
    const bp1 = bp[0];
    const bs1 = bs[0];
    const ap1 = ap[0];
    const as1 = as[0];
    let issueAt = 0;
    let st: StockState | null = null;
    for (let i = 0; i < n; i++) {
      this.rows++;
      let issue;
      if (flags !== null && flags[i] !== 0) {
        while (issueAt < issues.length && issues[issueAt].row < i) issueAt++;
        if (issueAt < issues.length && issues[issueAt].row === i) issue = issues[issueAt];
      }
      // The common case first: a row every check of validate.ts passes (NaN fails every comparison below, so an
      // empty or missing cell also takes the full check). Only rows this does not clear go to rowProblem,
      // which finds the first problem, or none.
      let plain = flags === null || flags[i] === 0;
      if (plain) {
        const t = tCol[i];
        plain = competition ? Number.isInteger(t) && sCol![i] === sCol![i] : t === t;
        if (plain && stockCol !== null) plain = Number.isInteger(stockCol[i]) && stockCol[i] >= 0;
        if (plain) plain = bp1[i] > 0 && bs1[i] > 0 && ap1[i] > 0 && as1[i] > 0 && bp1[i] < ap1[i];
        for (let k = 1; plain && k < L; k++) {
          const p = bp[k][i];
          const s = bs[k][i];
          const q = ap[k][i];
          const z = as[k][i];
          plain = ((p > 0 && s > 0) || (p !== p && s !== s)) && ((q > 0 && z > 0) || (q !== q && z !== z));
        }
      }
      const problem = plain ? null : rowProblem(batch, plan, i, issue);
      if (problem !== null) {
        this.reject(batch, i, problem);
        continue;
      }
      const stockId = stockCol !== null ? stockCol[i] : this.defaultStock;
      if (st === null || st.stockId !== stockId) st = this.stateOf(stockId);
      let timeId: number;
      let sec: number;
      let order: number;
      if (competition) {
        timeId = tCol[i];
        sec = sCol![i];
        order = sec;
      } else {
        const ts = tCol[i];
        timeId = Math.floor(ts / B);
        sec = ts - timeId * B;
        order = ts;
      }
      if (!this.enter(st, batch, i, timeId, order, stockCol !== null)) continue;
      // WAPs (eqs. 31-33 and the level-1 formula), inlined for speed.
      const b1 = bp1[i];
      const a1 = ap1[i];
      const sb1 = bs1[i];
      const sa1 = as1[i];
      let bv = b1 * sb1;
      let bsum = sb1;
      let av = a1 * sa1;
      let asum = sa1;
      for (let k = 1; k < L; k++) {
        const p = bp[k][i];
        if (p === p) {
          const s = bs[k][i];
          bv += p * s;
          bsum += s;
        }
        const q = ap[k][i];
        if (q === q) {
          const s = as[k][i];
          av += q * s;
          asum += s;
        }
      }
      const wap = 0.5 * (bv / bsum + av / asum);
      const wap1 = (b1 * sa1 + a1 * sb1) / (sb1 + sa1);
      if (!(wap > 0 && wap < Infinity && wap1 > 0 && wap1 < Infinity)) {
        this.reject(batch, i, { code: 'wap-not-positive', role: -1, message: `the WAP is not a positive finite number (${wap}, level 1: ${wap1})` });
        continue;
      }
      this.push(st, batch, i, sec, order, wap, wap1, Math.log(wap), Math.log(wap1), b1, a1, bsum + asum, (2e4 * (a1 - b1)) / (a1 + b1));
    }
  }

  /**
   * Absorb `n` rows already converted and checked, with the file's default stock (a LOBSTER pair: see
   * {@link PreparedRows}): the same bucketing, time-order checks, reports and results as {@link add} gives for
   * the same rows.
   */
  addPrepared(p: PreparedRows, n: number): void {
    const plan = this.plan;
    if (!plan) throw new Error('beginFile must be called before addPrepared');
    if (plan.seconds >= 0 || plan.stock >= 0) throw new Error('addPrepared takes generic rows of one stock');
    const B = plan.bucketSeconds;
    // Where a row sits, for reject and the time examples (the LOBSTER converter's batches: lines = rows).
    const at: BookBatch = { n, firstRow: n > 0 ? p.rows[0] : 1, lineOffset: 0, cols: [], flags: null, issues: [], rowNumbers: p.rows };
    const st = this.stateOf(this.defaultStock);
    const { time, wap, wap1, logWap, logWap1, bid1, ask1, depth, spreadBp } = p;
    for (let i = 0; i < n; i++) {
      this.rows++;
      const ts = time[i];
      const timeId = Math.floor(ts / B);
      if (timeId !== st.timeId && !this.enter(st, at, i, timeId, ts, false)) continue;
      this.push(st, at, i, ts - timeId * B, ts, wap[i], wap1[i], logWap[i], logWap1[i], bid1[i], ask1[i], depth[i], spreadBp[i]);
    }
  }

  /**
   * Move the stock to bucket `timeId` for row i (closing the open bucket when it changes); false when the row is
   * refused (time order), after rejecting it.
   */
  private enter(st: StockState, batch: BookBatch, i: number, timeId: number, order: number, stockCol: boolean): boolean {
    const plan = this.plan!;
    const competition = plan.seconds >= 0;
    if (timeId < st.timeId) {
      const what = competition ? `time_id ${timeId} comes after time_id ${st.timeId}` : `timestamp ${order} (bucket ${timeId}) comes after bucket ${st.timeId}`;
      this.reject(batch, i, { code: 'unsorted-time', role: plan.time, message: `rows are not in time order: ${what}${stockCol ? ` (stock ${st.stockId})` : ''}; sort the file by time` }, plan.names[plan.time]);
      return false;
    }
    if (timeId !== st.timeId) {
      if (st.open) this.close(st);
      if (st.closed.has(timeId)) {
        this.reject(batch, i, { code: 'unsorted-time', role: plan.time, message: `bucket ${timeId} of stock ${st.stockId} was already read (from an earlier file or earlier rows); every bucket must be in one place` });
        return false;
      }
      st.timeId = timeId;
      st.open = true;
      st.lastTime = -Infinity;
    }
    return true;
  }

  /** Keep row i (its WAPs and logs, level-1 prices, depth and spread) in the stock's open bucket. */
  private push(st: StockState, batch: BookBatch, i: number, sec: number, order: number, wap: number, wap1: number, lw: number, lw1: number, b1: number, a1: number, depth: number, spread: number): void {
    if (order <= st.lastTime) {
      // Non-increasing time inside the bucket: kept, in file order, and reported (spec orderbook.md).
      const back = order < st.lastTime;
      if (back) this.backwardTimes++;
      else this.duplicateTimes++;
      if (back ? this.firstBackward === null : this.firstDuplicate === null) {
        const row = batch.rowNumbers ? batch.rowNumbers[i] : batch.firstRow + i;
        const ex = { file: this.file, row, line: batch.lineOffset === null ? null : row + batch.lineOffset, stockId: st.stockId, timeId: st.timeId, time: order, previous: st.lastTime };
        if (back) this.firstBackward = ex;
        else this.firstDuplicate = ex;
      }
    }
    if (st.wap.n === 0) {
      st.lastLog = lw;
      st.lastLog1 = lw1;
    } else {
      const r = lw - st.lastLog;
      st.ss += r * r;
      st.lastLog = lw;
      const r1 = lw1 - st.lastLog1;
      st.ss1 += r1 * r1;
      st.lastLog1 = lw1;
    }
    st.lastTime = order;
    st.seconds.push(sec);
    st.wap.push(wap);
    st.wap1.push(wap1);
    st.bid1.push(b1);
    st.ask1.push(a1);
    st.depth.push(depth);
    st.spreadSum += spread;
    this.accepted++;
  }

  private stateOf(stockId: number): StockState {
    let st = this.stocks.get(stockId);
    if (!st) {
      st = {
        stockId,
        timeId: -Infinity,
        lastTime: -Infinity,
        open: false,
        closed: new Set(),
        seconds: new GrowF64(),
        wap: new GrowF64(),
        wap1: new GrowF64(),
        bid1: new GrowF64(),
        ask1: new GrowF64(),
        depth: new GrowF64(),
        spreadSum: 0,
        ss: 0,
        ss1: 0,
        lastLog: NaN,
        lastLog1: NaN,
      };
      this.stocks.set(stockId, st);
    }
    return st;
  }

  private close(st: StockState): void {
    const n = st.wap.n;
    st.open = false;
    if (n > 0) {
      const wap = st.wap.a.slice(0, n);
      const wap1 = st.wap1.a.slice(0, n);
      const seconds = st.seconds.a.slice(0, n);
      const depth = new Float32Array(st.depth.a.subarray(0, n));
      let depthSum = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        depthSum += st.depth.a[i];
        if (wap[i] < lo) lo = wap[i];
        if (wap[i] > hi) hi = wap[i];
      }
      st.closed.add(st.timeId);
      this.buckets++;
      this.opts.onBucket({
        stockId: st.stockId,
        timeId: st.timeId,
        rows: n,
        seconds,
        wap,
        wap1,
        bid1: new Float32Array(st.bid1.a.subarray(0, n)),
        ask1: new Float32Array(st.ask1.a.subarray(0, n)),
        depth,
        // realisedVol(wap), realisedVol(wap1), summed as the rows came.
        rv: n < 2 ? NaN : Math.sqrt(st.ss),
        rv1: n < 2 ? NaN : Math.sqrt(st.ss1),
        firstSecond: seconds[0],
        lastSecond: seconds[n - 1],
        spreadBp: st.spreadSum / n,
        depthMean: depthSum / n,
        wapOpen: wap[0],
        wapClose: wap[n - 1],
        wapMin: lo,
        wapMax: hi,
      });
    }
    st.seconds.n = st.wap.n = st.wap1.n = st.bid1.n = st.ask1.n = st.depth.n = 0;
    st.spreadSum = 0;
    st.ss = st.ss1 = 0;
  }

  private reject(batch: BookBatch, i: number, p: RowProblem, columnOverride?: string): void {
    const plan = this.plan!;
    const row = batch.rowNumbers ? batch.rowNumbers[i] : batch.firstRow + i;
    const line = batch.lineOffset === null ? null : row + batch.lineOffset;
    const column = columnOverride ?? (p.role >= 0 ? plan.names[p.role] : null);
    if (!this.opts.skipBadRows) {
      throw new BookInputError({
        file: this.file,
        row,
        line,
        column,
        code: p.code,
        problem: `${p.message}. Fix the file, or import with "skip bad rows" to leave such rows out.`,
      });
    }
    this.rejected++;
    const seen = this.reasons[p.code] ?? 0;
    this.reasons[p.code] = seen + 1;
    if (this.examples.length < this.maxExamples || seen === 0) {
      this.examples.push({ file: this.file, row, line, column: column ?? '(row)', code: p.code, message: p.message });
    }
  }
}
