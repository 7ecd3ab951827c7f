import { movable } from '../jobs/pool';
import { chunkBuffers, parseCsvChunk, type CsvChunkTask } from '../domains/orderbook/io/csvTask';

/**
 * The task module of every helper thread a job starts (piscina, see jobs/pool.ts): one default export that
 * runs a task by kind. A job creates a pool over this file (`taskFileNear(__dirname, 'threads.js', …)`),
 * so there is one bundle entry (out/main/threads.js) and one way to start a helper thread.
 *   csv-parse        one chunk of an order-book CSV file (orderbook import)
 */
export type ThreadTask = { kind: 'csv-parse' } & CsvChunkTask;

export default async function runThreadTask(t: ThreadTask): Promise<unknown> {
  switch (t.kind) {
    case 'csv-parse': {
      const out = await parseCsvChunk(t);
      return movable(out, chunkBuffers(out));
    }
    default:
      throw new Error(`no helper-thread task of kind "${(t as { kind: string }).kind}"`);
  }
}
