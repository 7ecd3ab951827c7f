import { closeSync, openSync } from 'node:fs';
import { type BookBatch } from '../../../engine/orderbook/batch';
import { BookInputError } from '../../../engine/orderbook/errors';
import { LOBSTER_MESSAGE_COLUMNS, type LobsterSlice, lobsterBookColumns } from '../../../engine/orderbook/lobster';
import { type CompactBook, compactColumns } from '../../../engine/orderbook/lobsterRows';
import { parseNumericChunk } from './csvBytes';
import { type ConvertSpec } from './csvConvert';
import { type CsvParsePool } from './csvPool';
import { readFully } from './lineRanges';
import { type CsvHead, parallelWindows, readCsvBatches, readCsvHead, toBatch } from './csvReader';
import { type LobsterPair } from './lobsterPairs';

/**
 * Reading one LOBSTER pair: both headerless files stream through the project's CSV readers (csvReader.ts: the
 * byte-level numeric parser csvBytes.ts on the parser threads, uDSV / csv-parse for chunks that are not a plain
 * grid), each cut into ~1 MB chunks independently (with a pool, each parser thread reads its own chunks:
 * lineRanges.ts), and the two
 * streams of parsed rows are zipped row by row into aligned {@link LobsterSlice}s. Memory stays at a few
 * chunks per file. A pair whose files end at different rows fails with both files named and the row where they
 * part. The orderbook file's chunks are compacted on the parser threads (engine/orderbook/lobsterRows.ts: per-row
 * WAPs and checks instead of 4L columns); a slice of such a chunk carries the compact columns and can give the full
 * columns back (its chunk parsed again, once) when it has to take the reference path.
 */

export interface LobsterHeads {
  message: CsvHead;
  orderbook: CsvHead;
}

/** Both files' first lines, checked: a message row has at least 6 cells, an orderbook row 4L. */
export async function readLobsterHeads(pair: LobsterPair): Promise<LobsterHeads> {
  const message = await readCsvHead(pair.message.abs, pair.message.rel, 5, false);
  const orderbook = await readCsvHead(pair.orderbook.abs, pair.orderbook.rel, 5, false);
  const L = pair.name.levels;
  if (message.columns.length < 6) {
    throw new BookInputError({
      file: pair.message.rel, row: 1, line: 1, column: null, code: 'wrong-cell-count',
      problem: `the row has ${message.columns.length} cells; a LOBSTER message row has 6 (time, type, order id, size, price, direction)${message.delimiter === ',' ? '' : ` (read with the separator ${JSON.stringify(message.delimiter)})`}`,
    });
  }
  if (orderbook.columns.length !== 4 * L) {
    throw new BookInputError({
      file: pair.orderbook.rel, row: 1, line: 1, column: null, code: 'wrong-cell-count',
      problem: `the row has ${orderbook.columns.length} cells; a LOBSTER orderbook file with ${L} level${L === 1 ? '' : 's'} (the _${L} in its name) has ${4 * L}: ask price, ask size, bid price, bid size per level`,
    });
  }
  return { message, orderbook };
}

/** A batch of the orderbook file; `compact` set when the parser thread compacted it (then `cols` is empty). */
type BookPart = BookBatch & { compact?: CompactBook; expand?: () => Float64Array[] };

/** The orderbook file's batches: compacted on the parser threads when a pool is given. */
async function* bookParts(path: string, display: string, head: CsvHead, spec: ConvertSpec, L: number, pool: CsvParsePool | null, onBytes: (b: number) => void): AsyncGenerator<BookPart> {
  if (!pool) {
    yield* readCsvBatches(path, display, head, spec, { pool, hasQuotes: false, onBytes });
    return;
  }
  const roles = spec.columns.length;
  for await (const c of parallelWindows(path, head, (w) => pool.parseWindow(w, spec, head.delimiter, L), pool.size)) {
    onBytes(c.end);
    if (c.chunk.n === 0) continue;
    const part: BookPart = toBatch(c.chunk, roles, c.firstRow, c.lineOffset);
    const { compact } = c.chunk;
    if (compact) {
      part.compact = compact;
      let full: Float64Array[] | null = null;
      const { start, end } = c;
      part.expand = () => {
        if (full === null) {
          // Rare (a message row the fast path does not take): read the chunk's bytes again and parse them here.
          const source = new Uint8Array(end - start);
          const fd = openSync(path, 'r');
          try {
            if (readFully(fd, source, source.length, start) !== source.length) throw new Error(`${display} became shorter while it was being imported; import it again once it is complete`);
          } finally {
            closeSync(fd);
          }
          const again = parseNumericChunk(source, spec, head.delimiter);
          if (!again || again.n !== compact.n || again.flags !== null) throw new Error(`${display}: a chunk parsed differently the second time (internal error)`);
          full = toBatch(again, roles, c.firstRow, c.lineOffset).cols;
        }
        return full;
      };
    }
    yield part;
  }
}

/** The message file's batches, each chunk read and parsed on a parser thread when a pool is given. */
async function* messageBatches(path: string, display: string, head: CsvHead, spec: ConvertSpec, pool: CsvParsePool | null): AsyncGenerator<BookBatch> {
  if (!pool) {
    yield* readCsvBatches(path, display, head, spec, { pool, hasQuotes: false, onBytes: () => {} });
    return;
  }
  for await (const c of parallelWindows(path, head, (w) => pool.parseWindow(w, spec, head.delimiter), pool.size)) {
    if (c.chunk.n > 0) yield toBatch(c.chunk, spec.columns.length, c.firstRow, c.lineOffset);
  }
}

interface Cursor {
  it: AsyncIterator<BookPart>;
  batch: BookPart | null;
  at: number;
  done: boolean;
  rows: number;
}

const rowOf = (b: BookBatch, i: number): number => (b.rowNumbers ? b.rowNumbers[i] : b.firstRow + i);

function sliceFlags(b: BookBatch, from: number, n: number): { flags: Uint8Array | null; issues: BookBatch['issues'] } {
  if (b.flags === null) return { flags: null, issues: [] };
  const flags = b.flags.subarray(from, from + n);
  if (!flags.some((f) => f !== 0)) return { flags: null, issues: [] };
  return { flags, issues: b.issues.filter((x) => x.row >= from && x.row < from + n).map((x) => ({ ...x, row: x.row - from })) };
}

/**
 * Aligned slices of a pair, in file order. `onBytes` gets the bytes of the orderbook file consumed so far
 * (it is the larger file, so the better measure of progress).
 */
export async function* readLobsterSlices(pair: LobsterPair, heads: LobsterHeads, pool: CsvParsePool | null, onBytes: (bytes: number) => void): AsyncGenerator<LobsterSlice> {
  const L = pair.name.levels;
  const msgSpec = { columns: [...LOBSTER_MESSAGE_COLUMNS], width: heads.message.columns.length, timestampRole: -1, timestampScale: 1, numericGrid: true };
  const bookSpec = { columns: lobsterBookColumns(L), width: 4 * L, timestampRole: -1, timestampScale: 1, numericGrid: true };
  const open = (it: AsyncIterator<BookPart>): Cursor => ({ it, batch: null, at: 0, done: false, rows: 0 });
  const msg = open(messageBatches(pair.message.abs, pair.message.rel, heads.message, msgSpec, pool)[Symbol.asyncIterator]());
  const book = open(bookParts(pair.orderbook.abs, pair.orderbook.rel, heads.orderbook, bookSpec, L, pool, onBytes)[Symbol.asyncIterator]());
  const fill = async (c: Cursor): Promise<void> => {
    while (!c.done && (c.batch === null || c.at >= c.batch.n)) {
      const r = await c.it.next();
      if (r.done) c.done = true;
      else {
        c.batch = r.value;
        c.at = 0;
      }
    }
  };
  try {
    for (;;) {
      await Promise.all([fill(msg), fill(book)]);
      if (msg.done && book.done) return;
      if (msg.done || book.done) {
        const [longer, shorter] = msg.done ? [pair.orderbook, pair.message] : [pair.message, pair.orderbook];
        const c = msg.done ? book : msg;
        const row = rowOf(c.batch!, c.at);
        throw new BookInputError({
          file: longer.rel, row, line: row, column: null, code: 'LOBSTER_ROW_COUNT',
          problem: `${shorter.rel} ends after ${(msg.done ? msg : book).rows} rows but this file goes on: a LOBSTER pair has exactly one orderbook row per message; are both files from the same download, complete?`,
        });
      }
      const a = msg.batch!;
      const b = book.batch!;
      const n = Math.min(a.n - msg.at, b.n - book.at);
      const rows = new Int32Array(n);
      for (let i = 0; i < n; i++) rows[i] = rowOf(a, msg.at + i);
      const mf = sliceFlags(a, msg.at, n);
      const bf = sliceFlags(b, book.at, n);
      const from = book.at;
      const expand = b.expand;
      const slice: LobsterSlice = {
        n,
        rows,
        message: a.cols.map((c) => c.subarray(msg.at, msg.at + n)),
        book: b.compact ? null : b.cols.map((c) => c.subarray(from, from + n)),
        compact: b.compact ? compactColumns(b.compact, from, n) : null,
        fullBook: expand ? () => expand().map((c) => c.subarray(from, from + n)) : null,
        messageFlags: mf.flags,
        messageIssues: mf.issues,
        bookFlags: bf.flags,
        bookIssues: bf.issues,
      };
      msg.at += n;
      book.at += n;
      msg.rows += n;
      book.rows += n;
      yield slice;
    }
  } finally {
    await Promise.allSettled([msg.it.return?.(), book.it.return?.()]);
  }
}
