import { movable } from '../jobs/pool';
import { chunkBuffers, parseCsvChunk, type CsvChunkTask } from '../domains/orderbook/io/csvTask';
import { runHedgePart, type HedgePartTask } from '../domains/bsde/hedgeJob';
import { serveHedgeShards, type HedgeShardTask } from '../domains/hedging/pools';

/**
 * The task module of every helper thread a job starts (piscina, see jobs/pool.ts): one default export that
 * runs a task by kind. A job creates a pool over this file (`taskFileNear(__dirname, 'threads.js', …)`),
 * so there is one bundle entry (out/main/threads.js) and one way to start a helper thread.
 *   csv-parse        one chunk of an order-book CSV file (orderbook import)
 *   bsde-hedge-part  the second half of a BSDE hedge run's paths (bsde-hedge)
 *   hedge-shard      shard 1 of every epoch of a deep-hedging training job (hedge), served over a port
 */
export type ThreadTask = ({ kind: 'csv-parse' } & CsvChunkTask) | ({ kind: 'bsde-hedge-part' } & HedgePartTask) | ({ kind: 'hedge-shard' } & HedgeShardTask);

export default async function runThreadTask(t: ThreadTask): Promise<unknown> {
  switch (t.kind) {
    case 'csv-parse': {
      const out = await parseCsvChunk(t);
      return movable(out, chunkBuffers(out));
    }
    case 'bsde-hedge-part':
      return runHedgePart(t);
    case 'hedge-shard':
      return serveHedgeShards(t);
    default:
      throw new Error(`no helper-thread task of kind "${(t as { kind: string }).kind}"`);
  }
}
