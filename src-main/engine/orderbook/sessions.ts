import { relativeSpreadBp } from './wap';

/**
 * Stored buckets of one stock grouped into sessions on a session clock, for the signature plot, the intraday
 * profiles and the WAP export.
 * - `bucket` clock (competition layout: each time_id is a 10-minute window of an unknown day, shuffled): every
 *   bucket is its own session and the clock is the second within the bucket.
 * - `day` clock (generic and other timestamped layouts: time_id = floor(timestamp / bucketSeconds)): a row's
 *   time is `time_id x bucketSeconds + seconds` (epoch seconds, UTC), a session is one UTC calendar day and
 *   the clock is the seconds after `startSeconds` past midnight UTC (0 = midnight when no session start is known).
 */

export type SessionClock = { kind: 'bucket' } | { kind: 'day'; startSeconds: number };

/** One stored bucket, as read from the store. */
export interface StoredBucket {
  timeId: number;
  /** Seconds within the bucket. */
  seconds: ArrayLike<number>;
  wap: ArrayLike<number>;
  wap1: ArrayLike<number>;
  bid1: ArrayLike<number>;
  ask1: ArrayLike<number>;
  depth: ArrayLike<number>;
}

/** One session's rows on the session clock. */
export interface SessionRows {
  /** time_id (bucket clock) or the UTC day number since 1970-01-01 (day clock). */
  key: number;
  /** `time_id 12` or `2024-03-01`. */
  label: string;
  /** Seconds of the session clock, non-decreasing. */
  times: Float64Array;
  wap: Float64Array;
  wap1: Float64Array;
  /** Level-1 relative spread, basis points of the mid. */
  spreadBp: Float64Array;
  /** Total displayed size, shares. */
  depth: Float64Array;
}

const DAY = 86_400;

/** `2024-03-01` for UTC day number `d` (days since 1970-01-01). */
export const utcDate = (d: number): string => new Date(d * DAY * 1000).toISOString().slice(0, 10);

class Rows {
  times: number[] = [];
  wap: number[] = [];
  wap1: number[] = [];
  spread: number[] = [];
  depth: number[] = [];
  push(t: number, b: StoredBucket, j: number): void {
    this.times.push(t);
    this.wap.push(b.wap[j]);
    this.wap1.push(b.wap1[j]);
    this.spread.push(relativeSpreadBp(b.bid1[j], b.ask1[j]));
    this.depth.push(b.depth[j]);
  }
  take(key: number, label: string): SessionRows {
    return {
      key,
      label,
      times: Float64Array.from(this.times),
      wap: Float64Array.from(this.wap),
      wap1: Float64Array.from(this.wap1),
      spreadBp: Float64Array.from(this.spread),
      depth: Float64Array.from(this.depth),
    };
  }
}

/**
 * Group a stock's buckets (ascending time_id) into sessions, streaming: a session is yielded once the next
 * one starts, so memory holds one session (one day of rows) at a time.
 *
 * @param buckets the stock's buckets in ascending time_id order
 * @param clock how sessions and their clock are defined (see the module note)
 * @param bucketSeconds the data set's bucket length, seconds
 */
export function* groupSessions(buckets: Iterable<StoredBucket>, clock: SessionClock, bucketSeconds: number): Generator<SessionRows> {
  if (clock.kind === 'bucket') {
    for (const b of buckets) {
      const r = new Rows();
      for (let j = 0; j < b.seconds.length; j++) r.push(b.seconds[j], b, j);
      yield r.take(b.timeId, `time_id ${b.timeId}`);
    }
    return;
  }
  let day = NaN;
  let rows = new Rows();
  for (const b of buckets) {
    const base = b.timeId * bucketSeconds;
    for (let j = 0; j < b.seconds.length; j++) {
      const abs = base + b.seconds[j];
      const d = Math.floor(abs / DAY);
      if (d !== day) {
        if (rows.times.length) yield rows.take(day, utcDate(day));
        rows = new Rows();
        day = d;
      }
      rows.push(abs - d * DAY - clock.startSeconds, b, j);
    }
  }
  if (rows.times.length) yield rows.take(day, utcDate(day));
}
