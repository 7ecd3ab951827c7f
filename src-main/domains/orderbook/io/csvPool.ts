import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type ConvertSpec, type ConvertedChunk, makeRecordConverter } from './csvConvert';
import { parseChunkUdsv } from './csvFast';

/**
 * Parallel CSV parsing: worker threads each parse whole chunks of lines and convert the cells to numbers
 * (csvConvert.ts). A chunk is split into cells by uDSV (csvFast.ts: about 0.2 us a book row, against about
 * 3 us for csv-parse), and only a chunk that is not a plain grid (blank lines, rows with too few or too many
 * cells) is parsed again by csv-parse, which locates those problems by line. The chunks of one file are spread
 * over the workers and put back in order by the reader. Chunks are cut at line ends, which is only safe for
 * files without quoted fields: files containing a `"` are parsed by a single csv-parse stream instead
 * (csvReader.ts).
 *
 * The worker's code is built from the source text of `makeRecordConverter` and `parseChunkUdsv`, so it runs the
 * same in development (TypeScript through tsx) and in the bundle, without a separate worker entry file.
 */

const WORKER_SOURCE = (converterSource: string, fastSource: string): string => `
const __name = (f) => f;
const { parentPort, workerData } = require('node:worker_threads');
const { parse } = require(workerData.csvParse);
const { initParser } = require(workerData.udsv);
const makeRecordConverter = ${converterSource};
const parseChunkUdsv = ${fastSource};
const send = (m, out, via) => {
  out.via = via;
  const transfer = [out.values.buffer];
  if (out.flags) transfer.push(out.flags.buffer);
  if (out.rowLines) transfer.push(out.rowLines.buffer);
  parentPort.postMessage({ id: m.id, ok: true, out }, transfer);
};
parentPort.on('message', (m) => {
  const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
  // null when the chunk is not a plain grid: parsed again below by csv-parse, which says what is wrong and where.
  const fast = parseChunkUdsv(initParser, makeRecordConverter, bytes.toString('utf8'), m.spec, m.delimiter, m.capacity);
  if (fast) {
    send(m, fast, 'udsv');
    return;
  }
  // csv-parse's stream API, one parser per chunk: about 20% less CPU than its sync API (which builds an array
  // of every record) and 40% less than an on_record hook (which builds an info object per record).
  const conv = makeRecordConverter(m.spec, m.capacity);
  const parser = parse({ delimiter: m.delimiter, relax_column_count: true, skip_empty_lines: false });
  parser.on('data', (rec) => conv.push(rec));
  parser.on('error', (e) => parentPort.postMessage({ id: m.id, ok: false, message: String((e && e.message) || e) }));
  parser.on('end', () => {
    try {
      send(m, conv.finish(), 'csv-parse');
    } catch (e) {
      parentPort.postMessage({ id: m.id, ok: false, message: String((e && e.message) || e) });
    }
  });
  parser.end(bytes);
});
`;

interface Pending {
  resolve(c: ConvertedChunk): void;
  reject(e: Error): void;
}

export class CsvParsePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private turn = 0;
  private failed: Error | null = null;

  constructor(readonly size: number) {
    const req = createRequire(__filename);
    const csvParse = req.resolve('csv-parse');
    const udsv = req.resolve('udsv');
    const source = WORKER_SOURCE(makeRecordConverter.toString(), parseChunkUdsv.toString());
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(source, { eval: true, workerData: { csvParse, udsv } });
      w.on('message', (m: { id: number; ok: boolean; out?: ConvertedChunk; message?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.out!);
        else p.reject(new Error(m.message));
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a CSV parser thread exited with code ${code}`));
      });
      return w;
    });
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Parse one chunk of whole lines (its bytes are transferred to the worker). */
  parse(bytes: Uint8Array, spec: ConvertSpec, delimiter: string): Promise<ConvertedChunk> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const w = this.workers[this.turn++ % this.workers.length];
    return new Promise<ConvertedChunk>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Roughly 60 bytes a line: a capacity hint that avoids most regrowth.
      w.postMessage({ id, bytes, spec, delimiter, capacity: Math.ceil(bytes.byteLength / 48) }, [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.failed ??= new Error('the CSV parser pool was closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
