import { MAX_LEVELS, type ColumnMapping, type TimeUnit } from '../../../src-shared/orderbook/contract';

/**
 * Matching a file's header to book roles (spec orderbook.md "Input formats"). Names are compared
 * case-insensitively and without separators, so `bid_price1`, `bid_price_1`, `BidPrice1` and `BID-PRICE-1`
 * all name level-1 bid prices. The competition layout is recognised by `time_id` + `seconds_in_bucket`; a
 * generic book by a timestamp column (`timestamp`, `time`, `ts`, `datetime`, `date_time`).
 */

export const normaliseName = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

const TIMESTAMP_NAMES = ['timestamp', 'time', 'ts', 'datetime', 'date_time', 'epoch'];

export interface HeaderMatch {
  kind: 'competition' | 'generic' | 'trade' | 'unknown';
  /** Complete mapping, or null when a required role has no column. */
  mapping: ColumnMapping | null;
  /** Best effort (unmatched roles are ''), for the mapping form. */
  suggested: ColumnMapping;
  /** Roles without a column, named as in the competition layout (e.g. `ask_size2`) or `timestamp`. */
  missing: string[];
}

/**
 * Match a header. `levelsWanted` forces the number of levels (the competition layout has 2); otherwise the
 * deepest level k for which all four columns exist at every level 1..k.
 */
export function matchHeader(columns: string[], opts: { levelsWanted?: number; timestampSample?: string } = {}): HeaderMatch {
  const byKey = new Map<string, string>();
  for (const c of columns) if (!byKey.has(normaliseName(c))) byKey.set(normaliseName(c), c);
  const find = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const hit = byKey.get(normaliseName(k));
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
  const hasTimeId = find('time_id') !== undefined;
  const hasSeconds = find('seconds_in_bucket') !== undefined;
  const timestamp = find(...TIMESTAMP_NAMES);
  const isTrade = find('price') !== undefined && find('size') !== undefined && find('order_count') !== undefined && find('bid_price1') === undefined;

  let deepest = 0;
  for (let k = 1; k <= MAX_LEVELS; k++) {
    if ([`bid_price${k}`, `bid_size${k}`, `ask_price${k}`, `ask_size${k}`].every((n) => find(n) !== undefined)) deepest = k;
    else break;
  }
  const competition = hasTimeId && hasSeconds;
  const levels = opts.levelsWanted ?? (competition ? Math.max(2, deepest) : Math.max(1, deepest));
  const missing: string[] = [];
  const level = (side: string, what: string): string[] =>
    Array.from({ length: levels }, (_, j) => {
      const hit = find(`${side}_${what}${j + 1}`);
      if (hit === undefined) missing.push(`${side}_${what}${j + 1}`);
      return hit ?? '';
    });
  const layout = competition ? 'competition' : 'generic';
  const suggested: ColumnMapping = { layout, levels, bidPrice: level('bid', 'price'), bidSize: level('bid', 'size'), askPrice: level('ask', 'price'), askSize: level('ask', 'size') };
  const stock = find('stock_id');
  if (stock) suggested.stockId = stock;
  if (competition) {
    suggested.timeId = find('time_id')!;
    suggested.secondsInBucket = find('seconds_in_bucket')!;
  } else {
    if (timestamp) suggested.timestamp = timestamp;
    else missing.unshift(hasTimeId ? 'seconds_in_bucket' : 'timestamp');
    suggested.timestampUnit = guessTimeUnit(opts.timestampSample);
    suggested.bucketSeconds = 600;
  }
  const kind = isTrade ? 'trade' : competition ? 'competition' : timestamp ? 'generic' : deepest > 0 ? 'generic' : 'unknown';
  return { kind, mapping: missing.length === 0 && !isTrade ? suggested : null, suggested, missing };
}

/**
 * Guess the unit of a timestamp from one value: ISO text -> `iso`; numbers by magnitude (epoch seconds are
 * about 1.7e9 today): > 1e17 ns, > 1e14 us, > 1e11 ms, else s.
 */
export function guessTimeUnit(sample: string | undefined): TimeUnit {
  if (sample === undefined || sample.trim() === '') return 's';
  const v = Number(sample);
  if (!Number.isFinite(v)) return Number.isFinite(Date.parse(sample)) ? 'iso' : 's';
  const a = Math.abs(v);
  if (a > 1e17) return 'ns';
  if (a > 1e14) return 'us';
  if (a > 1e11) return 'ms';
  return 's';
}

/** Seconds per unit of a numeric timestamp. */
export const TIME_UNIT_SECONDS: Record<Exclude<TimeUnit, 'iso'>, number> = { s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 };

/** Every column the mapping uses, in role order (see batch.ts rolePlan). */
export function mappedColumns(m: ColumnMapping): string[] {
  const out = [m.layout === 'competition' ? m.timeId! : m.timestamp!];
  if (m.layout === 'competition') out.push(m.secondsInBucket!);
  if (m.stockId) out.push(m.stockId);
  for (const list of [m.bidPrice, m.bidSize, m.askPrice, m.askSize]) out.push(...list.slice(0, m.levels));
  return out;
}

/** Columns the mapping names that the header lacks (exact names, as the user gave them). */
export function absentColumns(m: ColumnMapping, header: string[]): string[] {
  const have = new Set(header);
  return [...new Set(mappedColumns(m).filter((c) => !have.has(c)))];
}
