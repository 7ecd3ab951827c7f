import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type LobsterChunk, type LobsterGeneratorOptions, generateLobster } from '../../../engine/orderbook/lobsterGenerator';

/**
 * Writes a synthetic LOBSTER pair (engine/orderbook/lobsterGenerator.ts) as LOBSTER does: two headerless files
 * `<out>/<TICKER>_<DATE>_<START>_<END>_message_<L>.csv` and `..._orderbook_<L>.csv`, separated by `,` (or `;`).
 * Times are written with 9 decimals (nanoseconds); prices are dollars x 10,000. Streams chunk by chunk.
 */

export interface LobsterWriteOptions extends LobsterGeneratorOptions {
  out: string;
  ticker: string;
  date: string;
  separator: ',' | ';';
  onProgress?(messages: number): void;
}

export interface LobsterWriteResult {
  message: string;
  orderbook: string;
  messages: number;
  bytes: number;
}

function stream(file: string) {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let failed: Error | null = null;
  out.on('error', (e) => (failed = e));
  return {
    write: (s: string): Promise<void> =>
      new Promise((resolve, reject) => {
        if (failed) reject(failed);
        else if (out.write(s)) resolve();
        else out.once('drain', () => (failed ? reject(failed) : resolve()));
      }),
    end: (): Promise<void> => new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve()))),
  };
}

/** Seconds with exactly 9 decimals, from the nanosecond count (no binary rounding in the text). */
const timeText = (t: number): string => {
  const ns = Math.round(t * 1e9);
  const s = Math.floor(ns / 1e9);
  return `${s}.${String(ns - s * 1e9).padStart(9, '0')}`;
};

export async function writeLobsterPair(o: LobsterWriteOptions): Promise<LobsterWriteResult> {
  mkdirSync(o.out, { recursive: true });
  const base = `${o.ticker}_${o.date}_${o.startMs}_${o.endMs}`;
  const message = join(o.out, `${base}_message_${o.levels}.csv`);
  const orderbook = join(o.out, `${base}_orderbook_${o.levels}.csv`);
  const m = stream(message);
  const b = stream(orderbook);
  const sep = o.separator;
  let messages = 0;
  const writeChunk = async (c: LobsterChunk): Promise<void> => {
    const STEP = 20_000;
    for (let i0 = 0; i0 < c.n; i0 += STEP) {
      const i1 = Math.min(c.n, i0 + STEP);
      let mt = '';
      let bt = '';
      for (let i = i0; i < i1; i++) {
        mt += `${timeText(c.time[i])}${sep}${c.type[i]}${sep}${c.orderId[i]}${sep}${c.size[i]}${sep}${c.price[i]}${sep}${c.direction[i]}\n`;
        let row = String(c.book[0][i]);
        for (let k = 1; k < c.book.length; k++) row += sep + c.book[k][i];
        bt += `${row}\n`;
      }
      await Promise.all([m.write(mt), b.write(bt)]);
    }
    messages += c.n;
    o.onProgress?.(messages);
  };
  for (const c of generateLobster(o)) await writeChunk(c);
  await Promise.all([m.end(), b.end()]);
  return { message, orderbook, messages, bytes: statSync(message).size + statSync(orderbook).size };
}
