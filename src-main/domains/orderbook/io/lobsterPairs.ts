import { basename, dirname } from 'node:path';
import { type LobsterPairInfo } from '../../../../src-shared/orderbook/contract';
import { type LobsterName, lobsterPartnerName, parseLobsterName } from '../../../engine/orderbook/lobster';
import { BookInputError } from '../../../engine/orderbook/errors';
import { type FoundFile } from './discover';

/**
 * Finding LOBSTER pairs among the files of an import (spec orderbook.md, format 3): files named
 * `TICKER_DATE_START_END_message_L.csv` and `..._orderbook_L.csv` in the same folder form a pair. A message
 * file without its orderbook file (or the reverse) is an error naming the file and the partner it needs.
 * Each pair is one stock: named by its ticker, or `TICKER DATE` when the import holds several days of a ticker;
 * stock ids 0, 1, ... in ticker and date order.
 */

export interface LobsterPair {
  name: LobsterName;
  message: FoundFile;
  orderbook: FoundFile;
  stockId: number;
  stockName: string;
}

/**
 * The LOBSTER pairs among `files`, or null when no file has a LOBSTER name. `others` are the files that are not
 * LOBSTER files (the import leaves them out and says so).
 */
export function findLobsterPairs(files: FoundFile[]): { pairs: LobsterPair[]; others: FoundFile[] } | null {
  const named = files.map((f) => ({ f, name: parseLobsterName(basename(f.rel)) }));
  if (!named.some((x) => x.name !== null)) return null;
  const others = named.filter((x) => x.name === null).map((x) => x.f);
  const byKey = new Map<string, { f: FoundFile; name: LobsterName }>();
  for (const x of named) if (x.name) byKey.set(x.f.rel, { f: x.f, name: x.name });
  const pairs: Array<Omit<LobsterPair, 'stockId' | 'stockName'>> = [];
  for (const { f, name } of byKey.values()) {
    const dir = dirname(f.rel);
    const partnerBase = lobsterPartnerName(basename(f.rel));
    const partnerRel = dir === '.' ? partnerBase : `${dir}/${partnerBase}`;
    const partner = byKey.get(partnerRel);
    if (!partner) {
      throw new BookInputError({
        file: f.rel,
        row: null,
        line: null,
        column: null,
        code: 'LOBSTER_UNPAIRED',
        problem: `no ${name.kind === 'message' ? 'orderbook' : 'message'} file for this LOBSTER ${name.kind} file: its pair ${partnerBase} must sit beside it (same ticker, date, START, END and levels); put the two files of the pair in the same folder, or upload them together`,
      });
    }
    if (name.kind === 'message') pairs.push({ name, message: f, orderbook: partner.f });
  }
  pairs.sort((a, b) => a.name.ticker.localeCompare(b.name.ticker) || a.name.date.localeCompare(b.name.date) || a.name.startMs - b.name.startMs || a.message.rel.localeCompare(b.message.rel));
  const days = new Map<string, Set<string>>();
  for (const p of pairs) days.set(p.name.ticker, (days.get(p.name.ticker) ?? new Set()).add(p.name.date));
  return {
    pairs: pairs.map((p, i) => ({ ...p, stockId: i, stockName: days.get(p.name.ticker)!.size > 1 ? `${p.name.ticker} ${p.name.date}` : p.name.ticker })),
    others,
  };
}

/** What the inspect step shows of a pair. */
export function pairInfo(p: LobsterPair): LobsterPairInfo {
  return {
    ticker: p.name.ticker,
    date: p.name.date,
    startSeconds: p.name.startMs / 1000,
    endSeconds: p.name.endMs / 1000,
    levels: p.name.levels,
    messageFile: p.message.rel,
    orderbookFile: p.orderbook.rel,
    bytes: p.message.bytes + p.orderbook.bytes,
    stockName: p.stockName,
  };
}
