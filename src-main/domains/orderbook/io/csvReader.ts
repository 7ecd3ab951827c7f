import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { parse as parseStream } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { type BookBatch } from '../../../engine/orderbook/batch';
import { BookInputError } from '../../../engine/orderbook/errors';
import { type ConvertSpec, type ConvertedChunk, makeRecordConverter } from './csvConvert';
import { type CsvParsePool } from './csvPool';
import { type LineWindow, lineWindows } from './lineRanges';
import { positionalColumn } from '../../../../src-shared/orderbook/contract';

/**
 * Streaming CSV book reader. Files without a `"` are cut into ~1 MB chunks at line ends and parsed in parallel
 * by a {@link CsvParsePool} (uDSV, with csv-parse for chunks that are not a plain grid); files with quoted
 * fields go through one csv-parse stream (correct for quoted line breaks, about 4x slower per row than the
 * pool's threads together). Either way memory stays at a few chunks, whatever the file size.
 */

const CHUNK_BYTES = 1 << 20;
const HEAD_BYTES = 256 << 10;
const SEQUENTIAL_BATCH = 65_536;

export interface CsvHead {
  /** The header's names, or `column 1` .. `column N` for a headerless file. */
  columns: string[];
  delimiter: string;
  /** Bytes before the first data line (BOM and header line). */
  headerBytes: number;
  /** The first data rows as text. */
  sample: string[][];
  /** False for a headerless file (spec format 4): data starts on line 1. */
  hasHeader: boolean;
  /** The first line's cells as written (the header, or the first data row). */
  firstRow: string[];
}

/** A line of numbers only (every cell a finite number, none empty) is data, not a header. */
export const looksNumeric = (cells: string[]): boolean => cells.length > 0 && cells.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));

/**
 * Read the header (and a few rows) of a CSV file; throws a BookInputError for an empty file. `header`: true, the
 * first line is the header; false, the file has none (columns are named by position); 'auto' (default), no
 * header when every cell of the first line is a number.
 */
export async function readCsvHead(path: string, display: string, sampleRows = 5, header: boolean | 'auto' = 'auto'): Promise<CsvHead> {
  const fh = await open(path, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    buf = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const nl = buf.indexOf(10, bom);
  if (nl < 0 && buf.length === HEAD_BYTES) {
    throw new BookInputError({
      file: display, row: null, line: 1, column: null, code: 'HEADER_TOO_LONG',
      problem: `the header line is longer than ${HEAD_BYTES / 1024} KiB (no line break in the first ${HEAD_BYTES} bytes); a book file's header names its columns in one short line: is this a CSV book file?`,
    });
  }
  const headerEnd = nl < 0 ? buf.length : nl + 1;
  const headerText = buf.subarray(bom, headerEnd).toString('utf8').replace(/\r?\n$/, '');
  if (headerText.trim() === '') {
    throw new BookInputError({ file: display, row: null, line: 1, column: null, code: 'EMPTY_FILE', problem: 'the file is empty (no header line); expected a header and book rows' });
  }
  const counts = [',', ';', '\t', '|'].map((d) => [d, headerText.split(d).length - 1] as const);
  const delimiter = counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const firstRow = (parseSync(headerText, { delimiter, relax_column_count: true, relax_quotes: true })[0] as string[] | undefined)?.map((c) => c.trim()) ?? [];
  const hasHeader = header === 'auto' ? !looksNumeric(firstRow) : header;
  if (!hasHeader) {
    const columns = firstRow.map((_, k) => positionalColumn(k + 1));
    const body = buf.length < HEAD_BYTES ? buf.subarray(bom) : buf.subarray(bom, buf.lastIndexOf(10) + 1);
    let sample: string[][];
    try {
      sample = (parseSync(body, { delimiter, relax_column_count: true, relax_quotes: true, to_line: sampleRows + 5, skip_empty_lines: true }) as string[][]).slice(0, sampleRows);
    } catch {
      sample = [firstRow];
    }
    return { columns, delimiter, headerBytes: bom, sample, hasHeader, firstRow };
  }
  const columns = firstRow;
  const rest = buf.subarray(headerEnd);
  const lastNl = rest.lastIndexOf(10);
  const body = lastNl < 0 && headerEnd + rest.length === buf.length && rest.length < HEAD_BYTES ? rest : rest.subarray(0, lastNl + 1);
  let sample: string[][];
  try {
    sample = (parseSync(body, { delimiter, relax_column_count: true, relax_quotes: true, to_line: sampleRows + 5, skip_empty_lines: true }) as string[][]).slice(0, sampleRows);
  } catch {
    sample = [];
  }
  if (sample.length === 0 && body.toString('utf8').trim() === '') {
    throw new BookInputError({ file: display, row: null, line: 2, column: null, code: 'EMPTY_FILE', problem: 'the file has a header but no rows' });
  }
  return { columns, delimiter, headerBytes: headerEnd, sample, hasHeader, firstRow };
}

export interface CsvReadOptions {
  /** Parallel parsers; null (or a file with quotes) uses one csv-parse stream. */
  pool: CsvParsePool | null;
  /** From the hashing pass: the file contains a `"` somewhere. */
  hasQuotes: boolean;
  /** Called with bytes consumed so far in this file. */
  onBytes(bytes: number): void;
}

/** A parsed chunk as a batch: one column view per role, data rows numbered from `firstRow`. */
export function toBatch(c: ConvertedChunk, roles: number, firstRow: number, lineOffset: number): BookBatch {
  const cols = Array.from({ length: roles }, (_, r) => c.values.subarray(r * c.n, (r + 1) * c.n));
  const rowNumbers = c.rowLines ? Int32Array.from(c.rowLines, (l) => firstRow + l) : null;
  return { n: c.n, firstRow, lineOffset, cols, flags: c.flags, issues: c.issues, rowNumbers };
}

/** Book rows of a CSV file as batches, in file order. */
export async function* readCsvBatches(path: string, display: string, head: CsvHead, spec: ConvertSpec, opts: CsvReadOptions): AsyncGenerator<BookBatch> {
  if (opts.pool && !opts.hasQuotes) yield* parallelBatches(path, head, spec, opts.pool, opts.onBytes);
  else yield* sequentialBatches(path, display, head, spec, opts.onBytes);
}

async function* parallelBatches(path: string, head: CsvHead, spec: ConvertSpec, pool: CsvParsePool, onBytes: (b: number) => void): AsyncGenerator<BookBatch> {
  const roles = spec.columns.length;
  for await (const c of parallelChunks(path, head, (bytes) => pool.parse(bytes, spec, head.delimiter), pool.size)) {
    onBytes(c.end);
    if (c.chunk.n > 0) yield toBatch(c.chunk, roles, c.firstRow, c.lineOffset);
  }
}

/** A parsed chunk of a file read by {@link parallelChunks}, where it sits, and the bytes read up to its end. */
export interface PlacedChunk {
  chunk: ConvertedChunk;
  /** Data row number of the chunk's first line. */
  firstRow: number;
  /** Line of data row r is r + lineOffset. */
  lineOffset: number;
  /** Byte range of the chunk in the file. */
  start: number;
  end: number;
}

/**
 * The file after its header cut into ~1 MB chunks of whole lines, each handed to `parse` (a parser thread) as it is
 * read, up to 3 per thread in flight, and given back parsed in file order. Only for files without quoted fields.
 */
export async function* parallelChunks(path: string, head: CsvHead, parse: (bytes: Uint8Array) => Promise<ConvertedChunk>, threads: number): AsyncGenerator<PlacedChunk> {
  const fh = await open(path, 'r');
  const inflight: Array<{ promise: Promise<ConvertedChunk>; start: number; end: number }> = [];
  let pos = head.headerBytes;
  let carry = new Uint8Array(0);
  let eof = false;
  const off = head.hasHeader ? 1 : 0;
  let line = 1 + off; // the first data line
  try {
    for (;;) {
      while (!eof && inflight.length < threads * 3) {
        // Not zero-filled (every byte handed on is read first); its own ArrayBuffer, so it can be transferred.
        // A Uint8Array (not a Buffer) so that `slice` below copies.
        const buf = new Uint8Array(Buffer.allocUnsafeSlow(carry.length + CHUNK_BYTES).buffer, 0, carry.length + CHUNK_BYTES);
        buf.set(carry, 0);
        const { bytesRead } = await fh.read(buf, carry.length, CHUNK_BYTES, pos);
        pos += bytesRead;
        const total = carry.length + bytesRead;
        let cut: number;
        if (bytesRead === 0) {
          eof = true;
          cut = total; // the last line, without a line break
        } else {
          const nl = buf.lastIndexOf(10, total - 1);
          if (nl < 0) {
            carry = buf.slice(0, total); // a line longer than a chunk: read on
            continue;
          }
          cut = nl + 1;
        }
        carry = buf.slice(cut, total);
        if (cut > 0) inflight.push({ promise: parse(new Uint8Array(buf.buffer, 0, cut)), start: pos - carry.length - cut, end: pos - carry.length });
      }
      const next = inflight.shift();
      if (!next) break;
      const chunk = await next.promise;
      const firstRow = line - off;
      line += chunk.lines;
      yield { chunk, firstRow, lineOffset: off, start: next.start, end: next.end };
    }
  } finally {
    await fh.close();
    // Let chunks still being parsed settle (their results are dropped).
    await Promise.allSettled(inflight.map((x) => x.promise));
  }
}

/**
 * The same chunks as {@link parallelChunks} (lineRanges.ts), each read AND parsed on a parser thread: this thread
 * hands out byte windows only. For files without quoted fields.
 */
export async function* parallelWindows(path: string, head: CsvHead, parse: (w: LineWindow) => Promise<ConvertedChunk>, threads: number): AsyncGenerator<PlacedChunk> {
  const size = (await stat(path)).size;
  const windows = lineWindows(path, head.headerBytes, size, CHUNK_BYTES);
  const inflight: Array<Promise<ConvertedChunk>> = [];
  const off = head.hasHeader ? 1 : 0;
  let line = 1 + off;
  let more = true;
  try {
    for (;;) {
      // Deeper than parallelChunks (no input bytes are held here, only parsed results): the threads keep
      // parsing while this thread waits on the store's writes.
      while (more && inflight.length < threads * 8) {
        const w = windows.next();
        if (w.done) more = false;
        else inflight.push(parse(w.value));
      }
      const next = inflight.shift();
      if (!next) break;
      const chunk = await next;
      const firstRow = line - off;
      line += chunk.lines;
      const { start, end } = chunk.range ?? { start: 0, end: 0 };
      yield { chunk, firstRow, lineOffset: off, start, end };
    }
  } finally {
    await Promise.allSettled(inflight);
  }
}

async function* sequentialBatches(path: string, display: string, head: CsvHead, spec: ConvertSpec, onBytes: (b: number) => void): AsyncGenerator<BookBatch> {
  const roles = spec.columns.length;
  const stream = createReadStream(path, { start: head.headerBytes, highWaterMark: 1 << 20 });
  const parser = stream.pipe(parseStream({ delimiter: head.delimiter, relax_column_count: true, skip_empty_lines: false, info: true }));
  let conv = makeRecordConverter(spec, SEQUENTIAL_BATCH);
  let recLines: number[] = [];
  const flush = (): BookBatch | null => {
    const c = conv.finish();
    conv = makeRecordConverter(spec, SEQUENTIAL_BATCH);
    const lines = recLines;
    recLines = [];
    if (c.n === 0) return null;
    const batch = toBatch(c, roles, 0, head.hasHeader ? 1 : 0);
    // Data row = file line - 1 (header = line 1); a record spanning lines counts where it ends.
    batch.rowNumbers = Int32Array.from({ length: c.n }, (_, i) => lines[c.rowLines ? c.rowLines[i] : i]);
    batch.firstRow = batch.rowNumbers[0];
    return batch;
  };
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      conv.push(item.record);
      recLines.push(item.info.lines);
      if (recLines.length >= SEQUENTIAL_BATCH) {
        onBytes(head.headerBytes + stream.bytesRead);
        const b = flush();
        if (b) yield b;
      }
    }
    const b = flush();
    onBytes(head.headerBytes + stream.bytesRead);
    if (b) yield b;
  } catch (e) {
    if (e instanceof BookInputError) throw e;
    const err = e as { message?: string; lines?: number };
    throw new BookInputError({
      file: display,
      row: err.lines ?? null,
      line: err.lines !== undefined ? err.lines + 1 : null,
      column: null,
      code: 'CSV_SYNTAX',
      problem: `the CSV could not be parsed: ${err.message ?? String(e)}`,
    });
  } finally {
    stream.destroy();
  }
}
