import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type ConvertSpec, type ConvertedChunk, makeRecordConverter } from './csvConvert';

/**
 * Parallel CSV parsing with csv-parse: worker threads each parse whole chunks of lines (csv-parse's stream
 * API) and convert the cells to numbers
 * (csvConvert.ts). One thread of csv-parse reaches about 400,000 rows/s on this class of machine; the
 * target is 500,000 rows/s end to end, so the chunks of one file are spread over the workers and put back
 * in order by the reader. Chunks are cut at line ends, which is only safe for files without quoted fields:
 * files containing a `"` are parsed by a single csv-parse stream instead (csvReader.ts).
 *
 * The worker's code is built from `makeRecordConverter`'s source text, so it runs the same in development
 * (TypeScript through tsx) and in the bundle, without a separate worker entry file.
 */

const WORKER_SOURCE = (converterSource: string): string => `
const __name = (f) => f;
const { parentPort, workerData } = require('node:worker_threads');
const { parse } = require(workerData.csvParse);
const makeRecordConverter = ${converterSource};
parentPort.on('message', (m) => {
  // csv-parse's stream API, one parser per chunk: about 20% less CPU than its sync API (which builds an array
  // of every record) and 40% less than an on_record hook (which builds an info object per record).
  const conv = makeRecordConverter(m.spec, m.capacity);
  const parser = parse({ delimiter: m.delimiter, relax_column_count: true, skip_empty_lines: false });
  parser.on('data', (rec) => conv.push(rec));
  parser.on('error', (e) => parentPort.postMessage({ id: m.id, ok: false, message: String((e && e.message) || e) }));
  parser.on('end', () => {
    try {
      const out = conv.finish();
      const transfer = [out.values.buffer];
      if (out.flags) transfer.push(out.flags.buffer);
      if (out.rowLines) transfer.push(out.rowLines.buffer);
      parentPort.postMessage({ id: m.id, ok: true, out }, transfer);
    } catch (e) {
      parentPort.postMessage({ id: m.id, ok: false, message: String((e && e.message) || e) });
    }
  });
  parser.end(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
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
    const source = WORKER_SOURCE(makeRecordConverter.toString());
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(source, { eval: true, workerData: { csvParse } });
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
