import { seeded } from '../stochastic/rng';
import { DEFAULT_GENERATOR, GENERIC_EPOCH, generateStock } from './generator';
import { LOBSTER_DUMMY_ASK, LOBSTER_DUMMY_BID } from './lobster';

/**
 * Synthetic LOBSTER pairs (spec orderbook.md "Data sets to test with"), built on the competition-style generator
 * (generator.ts: stochastic-volatility mid, U-shaped intraday spread and volatility, lognormal sizes, occasional
 * missing levels) run as one continuous generic book over the session:
 *
 * - the generator's book rows (about 0.6-1 a second) set the state of the book; its price grid (ticks of
 *   0.5-2 x 1e-4 around 1) is read as cents, so prices are tick index x 1 cent (tens of dollars), written as
 *   dollars x 10,000 like LOBSTER's;
 * - each book row is reached through a burst of messages (mean `events / rows`, geometric) spread uniformly
 *   over the time since the previous row, in time order, with nanosecond decimals; each message touches one
 *   level of one side (level k with probability 2^-k): in the book row after it, type 1 adds its size there,
 *   types 2-5 take it away (at least 1 share is left), type 6 (rare) leaves the book as it is; the last
 *   message of a burst shows the generator's book exactly;
 * - event types: 1 new 45%, 2 partial cancel 3%, 3 delete 41.9%, 4 visible execution 8%, 5 hidden 2%,
 *   6 cross 0.1%; sizes lognormal around 100 shares; direction 1 (buy, bid side) or -1 (sell, ask side);
 *   order ids count up; empty levels carry LOBSTER's dummy prices with size 0.
 * Deterministic for a seed.
 */

export interface LobsterGeneratorOptions {
  seed: number;
  levels: number;
  /** Messages wanted (the result is within about 10%: bursts are random). */
  events: number;
  /** Session in milliseconds after midnight (default 09:30 to 16:00). */
  startMs: number;
  endMs: number;
  missingLevelProb: number;
}

export const DEFAULT_LOBSTER_GENERATOR: LobsterGeneratorOptions = { seed: 1, levels: 10, events: 100_000, startMs: 34_200_000, endMs: 57_600_000, missingLevelProb: 0.002 };

/** One chunk of messages and the book after each: message columns and 4L book columns (LOBSTER order), length n. */
export interface LobsterChunk {
  n: number;
  time: Float64Array;
  type: Int8Array;
  orderId: Float64Array;
  size: Float64Array;
  price: Float64Array;
  direction: Int8Array;
  /** book[c][i]: column c (ask price 1, ask size 1, bid price 1, bid size 1, ask price 2, ...) after message i. */
  book: Float64Array[];
}

const TYPES = [1, 2, 3, 4, 5, 6];
const TYPE_CDF = [0.45, 0.48, 0.899, 0.979, 0.999, 1];

/** Generate the pair chunk by chunk (about 100,000 messages each). */
export function* generateLobster(o: LobsterGeneratorOptions): Generator<LobsterChunk> {
  const session = (o.endMs - o.startMs) / 1000;
  const B = 600;
  const buckets = Math.ceil(session / B);
  // The base generator with intensity 1 updates on about 95% of seconds (min(1, 0.6 + 0.4 vol / sigmaBar), measured).
  const rowsEst = session * 0.95;
  const burst = Math.max(1, o.events / rowsEst);
  const rng = seeded((o.seed * 2654435761 + 99) >>> 0);
  const L = o.levels;
  const start = o.startMs / 1000;
  let orderId = 10_000_000;
  let prevTime = start;
  const cap = 1 << 17;
  let out = newChunk(cap, L);
  const flush = function* (): Generator<LobsterChunk> {
    if (out.n > 0) yield out;
    out = newChunk(cap, L);
  };
  for (const c of generateStock({ ...DEFAULT_GENERATOR, stocks: 1, buckets, seed: o.seed, layout: 'generic', levels: L, intensity: 1, missingLevelProb: o.missingLevelProb, bucketSeconds: B, chunkBuckets: 20 }, 0)) {
    const tick = c.priceDecimals === 6 ? 0.5e-4 : undefined;
    for (let i = 0; i < c.n; i++) {
      const t = start + (c.timestamp[i] - GENERIC_EPOCH);
      if (t - start >= session) break;
      // Burst size: 1 + geometric with mean burst - 1.
      let k = 1;
      if (burst > 1) k += Math.floor(Math.log(1 - rng.uniform()) / Math.log(1 - 1 / burst));
      const lo = Math.min(prevTime, t);
      const times: number[] = [];
      for (let j = 0; j < k - 1; j++) times.push(lo + (t - lo) * rng.uniform());
      times.sort((a, b) => a - b);
      times.push(t);
      for (let j = 0; j < k; j++) {
        if (out.n === cap) yield* flush();
        const m = out.n++;
        out.time[m] = Math.round(times[j] * 1e9) / 1e9;
        const u = rng.uniform();
        let ti = 0;
        while (u > TYPE_CDF[ti]) ti++;
        const type = TYPES[ti];
        const dir = rng.uniform() < 0.5 ? 1 : -1;
        let level = 0;
        while (level < L - 1 && rng.uniform() < 0.5) level++;
        const size = Math.max(1, Math.round(100 * Math.exp(0.7 * rng.normal())));
        out.type[m] = type;
        out.orderId[m] = orderId++;
        out.size[m] = size;
        out.direction[m] = dir;
        for (let q = 0; q < L; q++) {
          const ap = c.askPrice[q][i];
          const bp = c.bidPrice[q][i];
          out.book[4 * q][m] = ap === ap ? toLobsterPrice(ap, tick) : LOBSTER_DUMMY_ASK;
          out.book[4 * q + 1][m] = ap === ap ? c.askSize[q][i] : 0;
          out.book[4 * q + 2][m] = bp === bp ? toLobsterPrice(bp, tick) : LOBSTER_DUMMY_BID;
          out.book[4 * q + 3][m] = bp === bp ? c.bidSize[q][i] : 0;
        }
        const col = dir === 1 ? 4 * level + 2 : 4 * level;
        const p = out.book[col][m];
        out.price[m] = p === LOBSTER_DUMMY_ASK || p === LOBSTER_DUMMY_BID ? out.book[dir === 1 ? 2 : 0][m] : p;
        if (j < k - 1 && type !== 6 && out.book[col + 1][m] > 0) {
          // Not the burst's last message: the touched level's size moves by the message's size (up for a new order).
          const s = out.book[col + 1][m];
          out.book[col + 1][m] = type === 1 ? s + size : Math.max(1, s - size);
        }
      }
      prevTime = t;
    }
  }
  yield* flush();
}

/** A generator price (tick index x tick, near 1) as LOBSTER's dollars x 10,000, reading one tick as one cent. */
function toLobsterPrice(p: number, tick: number | undefined): number {
  const t = tick ?? 1e-4;
  return Math.round(p / t) * 100;
}

function newChunk(cap: number, L: number): LobsterChunk {
  return {
    n: 0,
    time: new Float64Array(cap),
    type: new Int8Array(cap),
    orderId: new Float64Array(cap),
    size: new Float64Array(cap),
    price: new Float64Array(cap),
    direction: new Int8Array(cap),
    book: Array.from({ length: 4 * L }, () => new Float64Array(cap)),
  };
}
