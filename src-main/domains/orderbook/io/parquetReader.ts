import { open, type FileHandle } from 'node:fs/promises';
import { type AsyncBuffer, type ColumnData, type FileMetaData, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { type BookBatch, type CellIssue } from '../../../engine/orderbook/batch';
import { BookInputError } from '../../../engine/orderbook/errors';

/**
 * Streaming Parquet book reader on hyparquet (pure JavaScript; snappy and uncompressed files). The file is
 * read through positioned reads (never loaded whole); data is decoded one row group at a time (slices of at
 * most {@link SLICE_ROWS} rows when the file has an offset index), so memory follows the row-group size.
 */

const SLICE_ROWS = 1_000_000;

export interface ParquetFile {
  file: AsyncBuffer;
  metadata: FileMetaData;
  columns: string[];
  rows: number;
  close(): Promise<void>;
}

const corrupt = (display: string, problem: string, row: number | null = null): BookInputError =>
  new BookInputError({ file: display, row, line: null, column: null, code: 'CORRUPT_PARQUET', problem });

/** Open a Parquet file and read its footer; bad files give a BookInputError naming the file. */
export async function openParquet(path: string, display: string): Promise<ParquetFile> {
  const fh: FileHandle = await open(path, 'r');
  const size = (await fh.stat()).size;
  const close = (): Promise<void> => fh.close();
  try {
    if (size === 0) throw new BookInputError({ file: display, row: null, line: null, column: null, code: 'EMPTY_FILE', problem: 'the file is empty (0 bytes)' });
    const file: AsyncBuffer = {
      byteLength: size,
      async slice(start: number, end: number = size): Promise<ArrayBuffer> {
        const s = Math.max(0, start);
        const e = Math.min(size, end);
        const buf = new ArrayBuffer(Math.max(0, e - s));
        if (e > s) await fh.read(new Uint8Array(buf), 0, e - s, s);
        return buf;
      },
    };
    const tail = new Uint8Array(await file.slice(Math.max(0, size - 4), size));
    const head = new Uint8Array(await file.slice(0, Math.min(4, size)));
    const magic = (b: Uint8Array): boolean => b.length === 4 && b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31;
    if (!magic(head)) throw corrupt(display, 'this is not a Parquet file (it does not start with the PAR1 marker); check the file or its extension');
    if (!magic(tail)) throw corrupt(display, 'the Parquet file is truncated or corrupt (no PAR1 marker at its end, so its footer is missing); copy it again');
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (e) {
      throw corrupt(display, `the Parquet footer could not be read (${(e as Error).message}); the file is corrupt`);
    }
    const columns = parquetSchema(metadata).children.map((c) => c.element.name);
    const rows = Number(metadata.num_rows);
    if (rows === 0) throw new BookInputError({ file: display, row: null, line: null, column: null, code: 'EMPTY_FILE', problem: 'the Parquet file has no rows' });
    return { file, metadata, columns, rows, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** First rows of a Parquet file as text (for the mapping step). */
export async function parquetSample(pq: ParquetFile, rows = 5): Promise<string[][]> {
  const out: string[][] = [];
  await parquetRead({
    file: pq.file,
    metadata: pq.metadata,
    rowStart: 0,
    rowEnd: Math.min(rows, pq.rows),
    onComplete: (data: unknown[][]) => {
      for (const r of data.slice(0, rows)) out.push(r.map((v) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v))));
    },
  });
  return out;
}

export interface ParquetReadSpec {
  /** Column name of each role (RolePlan order). */
  columns: string[];
  /** Role index of a generic timestamp, -1 for none. */
  timestampRole: number;
  /** Seconds per unit of a numeric timestamp, 0 for ISO text. Date values (TIMESTAMP columns) are used as they are. */
  timestampScale: number;
}

/** Book rows of a Parquet file as batches (one per row group or slice). `onRows` gets rows read so far. */
export async function* readParquetBatches(pq: ParquetFile, display: string, spec: ParquetReadSpec, onRows: (rows: number) => void): AsyncGenerator<BookBatch> {
  const roles = spec.columns.length;
  const wanted = [...new Set(spec.columns)];
  const rolesOf = new Map<string, number[]>();
  spec.columns.forEach((c, r) => rolesOf.set(c, [...(rolesOf.get(c) ?? []), r]));
  let groupStart = 0;
  for (let g = 0; g < pq.metadata.row_groups.length; g++) {
    const rg = pq.metadata.row_groups[g];
    const groupRows = Number(rg.num_rows);
    const indexed = rg.columns.every((c) => !!c.offset_index_offset);
    const step = indexed ? SLICE_ROWS : groupRows;
    for (let s = groupStart; s < groupStart + groupRows; s += step) {
      const e = Math.min(groupStart + groupRows, s + step);
      const n = e - s;
      const cols = Array.from({ length: roles }, () => new Float64Array(n).fill(NaN));
      const issues: CellIssue[] = [];
      let flags: Uint8Array | null = null;
      const onChunk = (chunk: ColumnData): void => {
        const targets = rolesOf.get(chunk.columnName);
        if (!targets) return;
        const from = Math.max(s, chunk.rowStart);
        const to = Math.min(e, chunk.rowEnd);
        for (const r of targets) {
          const bad = fillColumn(cols[r], from - s, chunk.columnData, from - chunk.rowStart, to - from, r === spec.timestampRole ? spec.timestampScale : 1, r === spec.timestampRole);
          for (const [row, text] of bad) {
            flags ??= new Uint8Array(n);
            if (flags[row] === 0) issues.push({ row, role: r, text });
            flags[row] |= 1;
          }
        }
      };
      try {
        await parquetRead({ file: pq.file, metadata: pq.metadata, columns: wanted, rowStart: s, rowEnd: e, onChunk, useOffsetIndex: indexed });
      } catch (err) {
        const msg = (err as Error).message ?? String(err);
        const codec = /compress|codec|unsupported/i.test(msg) ? ' (hyparquet reads snappy and uncompressed files: re-save the file with snappy compression)' : '';
        throw corrupt(display, `rows ${s + 1}-${e} (row group ${g + 1}) could not be decoded: ${msg}${codec}`, s + 1);
      }
      issues.sort((a, b) => a.row - b.row);
      onRows(e);
      yield { n, firstRow: s + 1, lineOffset: null, cols, flags, issues };
    }
    groupStart += groupRows;
  }
}

/**
 * Copy `count` values of a decoded column into `out` (as float64), NaN for nulls. Returns the rows (index in
 * `out`) whose value is not a number, with its text. Timestamp roles accept Date values (-> epoch seconds),
 * numbers (x scale) and, with scale 0, ISO 8601 text.
 */
function fillColumn(out: Float64Array, outAt: number, data: ArrayLike<unknown>, dataAt: number, count: number, scale: number, isTime: boolean): Array<[number, string]> {
  const bad: Array<[number, string]> = [];
  if (!isTime && (data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array || data instanceof Uint32Array)) {
    for (let i = 0; i < count; i++) {
      const v = data[dataAt + i];
      if (v - v !== 0) bad.push([outAt + i, String(v)]);
      else out[outAt + i] = v;
    }
    return bad;
  }
  for (let i = 0; i < count; i++) {
    const v = data[dataAt + i];
    if (v === null || v === undefined) continue;
    let x: number;
    if (typeof v === 'number') x = isTime ? (scale === 0 ? NaN : v * scale) : v;
    else if (typeof v === 'bigint') x = isTime ? (scale === 0 ? NaN : Number(v) * scale) : Number(v);
    else if (v instanceof Date) x = isTime ? v.getTime() / 1000 : NaN;
    else if (typeof v === 'string') {
      if (v.trim() === '') continue;
      x = isTime && scale === 0 ? Date.parse(v) / 1000 : Number(v) * (isTime ? scale : 1);
    } else x = NaN;
    if (x - x !== 0) bad.push([outAt + i, v instanceof Date ? v.toISOString() : String(v)]);
    else out[outAt + i] = x;
  }
  return bad;
}
