import { runHedgePart, type HedgePartTask } from '../domains/bsde/hedgeJob';
import { serveBsdeShards, type BsdeShardTask } from '../domains/bsde/threads';
import { serveHedgeShards, type HedgeShardTask } from '../domains/hedging/pools';

/**
 * The task module of the compute helper threads jobs start (piscina, see jobs/pool.ts): one default export
 * that runs a task by kind; bundled as out/main/threads.js. (CSV parser threads have their own, light task
 * module, domains/orderbook/io/csvTask.ts -> out/main/csvparse.js, so they never load tfjs.)
 *   bsde-hedge-part  the second half of a BSDE hedge run's paths (bsde-hedge)
 *   hedge-shard      shard 1 of every epoch of a deep-hedging training job (hedge), served over a port
 *   bsde-shard       shard 1 of every Adam step of a deep-BSDE solve (bsde-solve), served until closed
 */
export type ThreadTask = ({ kind: 'bsde-hedge-part' } & HedgePartTask) | ({ kind: 'hedge-shard' } & HedgeShardTask) | ({ kind: 'bsde-shard' } & BsdeShardTask);

export default async function runThreadTask(t: ThreadTask): Promise<unknown> {
  switch (t.kind) {
    case 'bsde-hedge-part':
      return runHedgePart(t);
    case 'hedge-shard':
      return serveHedgeShards(t);
    case 'bsde-shard':
      return serveBsdeShards(t);
    default:
      throw new Error(`no helper-thread task of kind "${(t as { kind: string }).kind}"`);
  }
}
