import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type SchemaElement } from 'hyparquet';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { type GeneratedChunk, type GeneratorOptions, generateStock, generatedColumns } from '../../../engine/orderbook/generator';

/**
 * Writes synthetic books (engine/orderbook/generator.ts) to files:
 * - competition layout: `<out>/book_train.<ext>/stock_id=<k>/part-0.<ext>` with the competition's columns
 *   (Parquet: time_id and seconds INT32, prices FLOAT, sizes INT32, level >= 2 nullable);
 * - generic layout: `<out>/generic_books/stock_<k>.<ext>` with `timestamp` (epoch seconds) and
 *   `bid_price_k, bid_size_k, ask_price_k, ask_size_k`.
 * A missing level is an empty CSV cell or a Parquet null. Rows stream to disk chunk by chunk.
 */

export interface WriteOptions extends GeneratorOptions {
  format: 'parquet' | 'csv';
  out: string;
  /** Rows per Parquet row group (default 500,000). */
  rowGroupSize?: number;
  onProgress?(rows: number, stock: number): void;
}

export interface WriteResult {
  files: string[];
  rows: number;
  bytes: number;
}

export function bookFilePath(out: string, layout: 'competition' | 'generic', format: 'parquet' | 'csv', stock: number): string {
  return layout === 'competition'
    ? join(out, `book_train.${format}`, `stock_id=${stock}`, `part-0.${format}`)
    : join(out, 'generic_books', `stock_${stock}.${format}`);
}

export async function writeGeneratedBooks(opts: WriteOptions): Promise<WriteResult> {
  const files: string[] = [];
  let rows = 0;
  let bytes = 0;
  for (let k = 0; k < opts.stocks; k++) {
    const file = bookFilePath(opts.out, opts.layout, opts.format, k);
    mkdirSync(join(file, '..'), { recursive: true });
    const chunks = generateStock(opts, k);
    const onChunk = (c: GeneratedChunk): void => {
      rows += c.n;
      opts.onProgress?.(rows, k);
    };
    if (opts.format === 'csv') await writeCsv(file, opts, chunks, onChunk);
    else writeParquet(file, opts, chunks, onChunk);
    files.push(file);
    bytes += statSync(file).size;
  }
  return { files, rows, bytes };
}

const cell = (v: number, decimals: number): string => (v === v ? v.toFixed(decimals) : '');
const sizeCell = (v: number): string => (v === v ? String(v) : '');

async function writeCsv(file: string, opts: WriteOptions, chunks: Iterable<GeneratedChunk>, onChunk: (c: GeneratedChunk) => void): Promise<void> {
  const out = createWriteStream(file);
  let failed: Error | null = null;
  out.on('error', (e) => (failed = e));
  const write = (s: string): Promise<void> =>
    new Promise((resolve, reject) => {
      if (failed) reject(failed);
      else if (out.write(s)) resolve();
      else out.once('drain', () => (failed ? reject(failed) : resolve()));
    });
  await write(`${generatedColumns(opts.layout, opts.levels).join(',')}\n`);
  const L = opts.levels;
  for (const c of chunks) {
    let buf: string[] = [];
    const d = c.priceDecimals;
    for (let i = 0; i < c.n; i++) {
      const cells: string[] = [];
      if (opts.layout === 'competition') {
        cells.push(String(c.timeId[i]), String(c.seconds[i]));
        for (let k = 0; k < L; k++) cells.push(cell(c.bidPrice[k][i], d), cell(c.askPrice[k][i], d));
        for (let k = 0; k < L; k++) cells.push(sizeCell(c.bidSize[k][i]), sizeCell(c.askSize[k][i]));
      } else {
        cells.push(c.timestamp[i].toFixed(3));
        for (let k = 0; k < L; k++) cells.push(cell(c.bidPrice[k][i], d), sizeCell(c.bidSize[k][i]), cell(c.askPrice[k][i], d), sizeCell(c.askSize[k][i]));
      }
      buf.push(cells.join(','));
      if (buf.length === 20_000) {
        await write(`${buf.join('\n')}\n`);
        buf = [];
      }
    }
    if (buf.length) await write(`${buf.join('\n')}\n`);
    onChunk(c);
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

function parquetSchema(layout: 'competition' | 'generic', levels: number): SchemaElement[] {
  const names = generatedColumns(layout, levels);
  const schema: SchemaElement[] = [{ name: 'schema', num_children: names.length }];
  for (const name of names) {
    const level = Number(/(\d+)$/.exec(name)?.[1] ?? 1);
    const repetition_type = level >= 2 ? 'OPTIONAL' : 'REQUIRED';
    if (name === 'timestamp') schema.push({ name, type: 'DOUBLE', repetition_type: 'REQUIRED' });
    else if (name === 'time_id' || name === 'seconds_in_bucket') schema.push({ name, type: 'INT32', repetition_type: 'REQUIRED' });
    else if (name.includes('price')) schema.push({ name, type: 'FLOAT', repetition_type });
    else schema.push({ name, type: 'INT32', repetition_type });
  }
  return schema;
}

function writeParquet(file: string, opts: WriteOptions, chunks: Iterable<GeneratedChunk>, onChunk: (c: GeneratedChunk) => void): void {
  const names = generatedColumns(opts.layout, opts.levels);
  const writer = new ParquetWriter({ writer: fileWriter(file), schema: parquetSchema(opts.layout, opts.levels), codec: 'SNAPPY', createdBy: 'hedge-workstation generator' });
  const groupRows = opts.rowGroupSize ?? 500_000;
  let pending: GeneratedChunk[] = [];
  let pendingRows = 0;
  const flush = (): void => {
    if (pendingRows === 0) return;
    const columnData = names.map((name) => ({ name, data: columnOf(name, pending, pendingRows) }));
    writer.write({ columnData, rowGroupSize: pendingRows });
    pending = [];
    pendingRows = 0;
  };
  for (const c of chunks) {
    pending.push(c);
    pendingRows += c.n;
    if (pendingRows >= groupRows) flush();
    onChunk(c);
  }
  flush();
  writer.finish();
}

/** One column over several chunks: typed for required columns, with nulls for a missing level. */
function columnOf(name: string, chunks: GeneratedChunk[], rows: number): Int32Array | Float32Array | Float64Array | Array<number | null> {
  const m = /^(bid|ask)_(price|size)_?(\d+)$/.exec(name);
  if (!m) {
    const out = name === 'timestamp' ? new Float64Array(rows) : new Int32Array(rows);
    let at = 0;
    for (const c of chunks) {
      const src = name === 'timestamp' ? c.timestamp : name === 'time_id' ? c.timeId : c.seconds;
      out.set(src.subarray(0, c.n), at);
      at += c.n;
    }
    return out;
  }
  const [, side, what, levelText] = m;
  const k = Number(levelText) - 1;
  const pick = (c: GeneratedChunk): Float64Array => (side === 'bid' ? (what === 'price' ? c.bidPrice : c.bidSize) : what === 'price' ? c.askPrice : c.askSize)[k];
  if (k === 0) {
    const out = what === 'price' ? new Float32Array(rows) : new Int32Array(rows);
    let at = 0;
    for (const c of chunks) {
      out.set(pick(c).subarray(0, c.n), at);
      at += c.n;
    }
    return out;
  }
  const out: Array<number | null> = new Array(rows);
  let at = 0;
  for (const c of chunks) {
    const src = pick(c);
    for (let i = 0; i < c.n; i++) out[at++] = src[i] === src[i] ? (what === 'price' ? Math.fround(src[i]) : src[i]) : null;
  }
  return out;
}
