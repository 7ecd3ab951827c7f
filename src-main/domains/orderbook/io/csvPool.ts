import { type Piscina } from 'piscina';
import { createPool, taskFileNear } from '../../../jobs/pool';
import { type ConvertSpec, type ConvertedChunk } from './csvConvert';
import { type CsvChunkTask, type HashTask, type WindowTask } from './csvTask';
import { type LineWindow } from './lineRanges';

/**
 * Parallel CSV parsing: parser threads (the project's piscina pool over the task module csvTask.ts) each
 * parse whole chunks of lines and convert the cells to
 * numbers (csvConvert.ts). A chunk is split into cells by uDSV (csvFast.ts: about 0.2 us a book row, against
 * about 3 us for csv-parse), and only a chunk that is not a plain grid is parsed again by csv-parse, which
 * locates those problems by line. The chunks of one file are spread over the threads and put back in order by
 * the reader. Chunks of an all-numeric file (`spec.numericGrid`, the LOBSTER pair) are read byte by byte
 * instead (csvBytes.ts: no decoding, no cell strings), with uDSV / csv-parse as above for a chunk that is not a
 * plain grid. Chunks are cut at line ends, which is only safe for files without quoted fields: files
 * containing a `"` are parsed by a single csv-parse stream instead (csvReader.ts).
 */
export class CsvParsePool {
  private readonly pool: Piscina;
  private closed: Error | null = null;

  constructor(readonly size: number) {
    this.pool = createPool({
      taskFile: taskFileNear(__dirname, 'csvparse.js', __dirname, 'csvTask.ts'),
      maxThreads: size,
      minThreads: size,
    });
  }

  /**
   * Parse one chunk of whole lines (its bytes are moved to the thread); `lobsterLevels`: a LOBSTER orderbook chunk,
   * compacted on the thread when it can be (csvTask.ts).
   */
  parse(bytes: Uint8Array, spec: ConvertSpec, delimiter: string, lobsterLevels?: number): Promise<ConvertedChunk> {
    if (this.closed) return Promise.reject(this.closed);
    // Roughly 60 bytes a line: a capacity hint that avoids most regrowth.
    const task: CsvChunkTask = { bytes, spec, delimiter, capacity: Math.ceil(bytes.byteLength / 48), lobsterLevels };
    return this.pool.run(task, { transferList: [bytes.buffer as ArrayBuffer] }) as Promise<ConvertedChunk>;
  }

  /** Read a window's chunk of whole lines on a parser thread and parse it there (lineRanges.ts, csvTask.ts). */
  parseWindow(window: LineWindow, spec: ConvertSpec, delimiter: string, lobsterLevels?: number): Promise<ConvertedChunk> {
    if (this.closed) return Promise.reject(this.closed);
    const task: WindowTask = { window, spec, delimiter, lobsterLevels };
    return this.pool.run(task) as Promise<ConvertedChunk>;
  }

  /** sha256 (hex) of a whole file, computed on a parser thread (csvTask.ts). */
  hash(path: string): Promise<string> {
    if (this.closed) return Promise.reject(this.closed);
    const task: HashTask = { hashPath: path };
    return this.pool.run(task) as Promise<string>;
  }

  async close(): Promise<void> {
    this.closed ??= new Error('the CSV parser pool was closed');
    await this.pool.destroy();
  }
}
