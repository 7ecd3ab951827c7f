import { parse } from 'csv-parse';
import { movable } from '../../../jobs/pool';
import { initParser } from 'udsv';
import { type ConvertSpec, type ConvertedChunk, makeRecordConverter } from './csvConvert';
import { parseChunkUdsv } from './csvFast';
import { parseNumericChunk } from './csvBytes';
import { hashFileSync } from './discover';
import { type LineWindow, readLineWindow } from './lineRanges';
import { parseCompactLobsterBook } from '../../../engine/orderbook/lobsterRows';

/** One chunk of whole lines for a parser thread (its bytes are moved to the thread). */
export interface CsvChunkTask {
  bytes: Uint8Array;
  spec: ConvertSpec;
  delimiter: string;
  /** Rows expected (a capacity hint that avoids most regrowth). */
  capacity: number;
  /**
   * A LOBSTER orderbook chunk with this many levels (spec: lobsterBookColumns): parsed byte by byte and, when
   * every cell is a plain number, compacted to per-row WAPs and checks (engine/orderbook/lobsterRows.ts).
   */
  lobsterLevels?: number;
}

/**
 * Parse one chunk on a parser thread: a chunk of an all-numeric file (`spec.numericGrid`, the LOBSTER pair) is
 * read byte by byte (csvBytes.ts), and a LOBSTER orderbook chunk is compacted (lobsterRows.ts); otherwise, or when that chunk is not a plain grid, uDSV splits a plain
 * grid into cells (csvFast.ts); a chunk that is not a plain grid (blank lines, rows with too few or too many
 * cells) is parsed again by csv-parse, which says what is wrong and on which line.
 */
export function parseCsvChunk(m: CsvChunkTask): Promise<ConvertedChunk> {
  if (m.spec.numericGrid) {
    if (m.lobsterLevels !== undefined && m.delimiter.length === 1 && m.delimiter.charCodeAt(0) < 128) {
      // Rows the compact form cannot carry (text, crossed books, half-empty levels...): the chunk as below.
      const compact = parseCompactLobsterBook(m.bytes, m.lobsterLevels, m.delimiter.charCodeAt(0));
      if (compact) return Promise.resolve({ n: compact.n, lines: compact.n, values: new Float64Array(0), flags: null, issues: [], rowLines: null, via: 'bytes', compact });
    }
    const direct = parseNumericChunk(m.bytes, m.spec, m.delimiter);
    if (direct) return Promise.resolve({ ...direct, via: 'bytes' });
  }
  const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
  const fast = parseChunkUdsv(initParser, makeRecordConverter, bytes.toString('utf8'), m.spec, m.delimiter, m.capacity);
  if (fast) return Promise.resolve({ ...fast, via: 'udsv' });
  // csv-parse's stream API, one parser per chunk: about 20% less CPU than its sync API (which builds an array
  // of every record) and 40% less than an on_record hook (which builds an info object per record).
  return new Promise((resolve, reject) => {
    const conv = makeRecordConverter(m.spec, m.capacity);
    const parser = parse({ delimiter: m.delimiter, relax_column_count: true, skip_empty_lines: false });
    parser.on('data', (rec: string[]) => conv.push(rec));
    parser.on('error', (e) => reject(new Error(String((e && e.message) || e))));
    parser.on('end', () => {
      try {
        resolve({ ...conv.finish(), via: 'csv-parse' });
      } catch (e) {
        reject(new Error(String((e as Error)?.message ?? e)));
      }
    });
    parser.end(bytes);
  });
}

/** The buffers of a parsed chunk, moved back to the reader. */
const chunkBuffers = (out: ConvertedChunk): ArrayBufferLike[] =>
  [out.values.buffer, out.flags?.buffer, out.rowLines?.buffer, out.compact?.status.buffer, out.compact?.f64.buffer, out.compact?.f32.buffer].filter(
    (b): b is ArrayBufferLike => !!b,
  );

/** A window of a file whose chunk of whole lines the parser thread reads itself (lineRanges.ts), then parses. */
export interface WindowTask extends Omit<CsvChunkTask, 'bytes' | 'capacity'> {
  window: LineWindow;
}

/** A whole file to hash on a parser thread (beside the parsing of a LOBSTER pair): its sha256 comes back. */
export interface HashTask {
  hashPath: string;
}

/**
 * The parser threads' piscina task module (bundled as out/main/csvparse.js): one chunk in, its values moved
 * back; or a file's sha256 (discover.ts hashFileSync).
 */
export default async function parseCsvChunkTask(m: CsvChunkTask | HashTask | WindowTask): Promise<ConvertedChunk | string> {
  if ('hashPath' in m) return hashFileSync(m.hashPath);
  if ('window' in m) {
    const { bytes, start, end } = readLineWindow(m.window);
    const out = await parseCsvChunk({ bytes, spec: m.spec, delimiter: m.delimiter, capacity: Math.ceil(bytes.byteLength / 48), lobsterLevels: m.lobsterLevels });
    out.range = { start, end };
    return movable(out, chunkBuffers(out));
  }
  const out = await parseCsvChunk(m);
  return movable(out, chunkBuffers(out));
}
