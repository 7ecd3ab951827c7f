import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A small LOBSTER pair for tests (spec orderbook.md, format 3), written by hand: 11 messages over three 600 s
 * buckets with an execution, a deletion that empties bid level 2, a hidden execution, a halt (crossed book inside
 * it), equal and backward times, and a one-sided book. Used by test/integration/orderbook-lobster.test.ts and
 * test/e2e/orderbook-lobster.test.ts.
 */

export const START = 34_200_000; // 09:30:00 in ms after midnight
export const END = 57_600_000;
export const ASK = 9999999999;
export const BID = -9999999999;

/** 11 messages and the book after each (2 levels: ask p, ask s, bid p, bid s per level; prices x 10,000). */
export const MESSAGES: Array<[number, number, number, number, number, number]> = [
  [34200.000000001, 1, 1, 100, 1000000, 1], //   row 1, bucket 0: new bid
  [34200.5, 4, 2, 20, 1001000, -1], //           row 2: visible execution of 20 at the ask
  [34250.25, 3, 3, 40, 999000, 1], //            row 3: bid level 2 deleted -> empty level
  [34800.0, 5, 4, 7, 1000500, 1], //             row 4, bucket 1: hidden execution of 7
  [34900.0, 7, 0, 0, -1, 0], //                  row 5: trading halt (book crossed: dropped, no error)
  [34950.0, 7, 0, 0, 0, 0], //                   row 6: quoting resumes, still halted (book kept)
  [35000.0, 7, 0, 0, 1, 0], //                   row 7: trading resumes
  [35000.0, 1, 5, 10, 1001000, -1], //           row 8: same time as row 7
  [35500.0, 2, 5, 10, 1001000, -1], //           row 9, bucket 2: ask level 2 empty
  [35450.0, 1, 6, 30, 1001500, -1], //           row 10: time before row 9 (kept, reported)
  [35460.123456789, 6, 7, 50, 1000800, 1], //    row 11: cross trade; ask side empty (one-sided, left out)
];
export const BOOKS: number[][] = [
  [1001000, 50, 1000000, 100, 1002000, 30, 999000, 40],
  [1001000, 30, 1000000, 100, 1002000, 30, 999000, 40],
  [1001000, 30, 1000000, 100, 1002000, 30, BID, 0],
  [1001000, 30, 1000000, 100, 1002000, 30, BID, 0],
  [999500, 30, 1000000, 100, 1002000, 30, BID, 0],
  [1001000, 30, 1000000, 60, 1002000, 30, BID, 0],
  [1001000, 30, 1000000, 60, 1002000, 30, BID, 0],
  [1001000, 40, 1000000, 60, 1002000, 30, BID, 0],
  [1001000, 30, 1000000, 60, ASK, 0, BID, 0],
  [1001500, 30, 1000000, 60, ASK, 0, BID, 0],
  [ASK, 0, 1000000, 10, ASK, 0, BID, 0],
];

/** Write a pair into `folder`; `levels` 1 keeps the first level of BOOKS. */
export function writePair(folder: string, o: { ticker?: string; date?: string; sep?: string; levels?: number; messages?: string[]; books?: string[] } = {}): { message: string; orderbook: string } {
  const { ticker = 'AAPL', date = '2012-06-21', sep = ',', levels = 2 } = o;
  mkdirSync(folder, { recursive: true });
  const base = `${ticker}_${date}_${START}_${END}`;
  const message = join(folder, `${base}_message_${levels}.csv`);
  const orderbook = join(folder, `${base}_orderbook_${levels}.csv`);
  writeFileSync(message, `${(o.messages ?? MESSAGES.map((m) => m.join(sep))).join('\n')}\n`);
  writeFileSync(orderbook, `${(o.books ?? BOOKS.map((b) => b.slice(0, 4 * levels).join(sep))).join('\n')}\n`);
  return { message, orderbook };
}

