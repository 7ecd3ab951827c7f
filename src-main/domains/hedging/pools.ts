import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { LocalHost, SHARDS, ShardPool, localPool } from '../../engine/hedging/pool';
import { type ShardSpec } from '../../engine/hedging/shard';
import { PortHost, serveShards } from '../../engine/hedging/shardWorker';
import { chooseBackend } from '../../engine/tensor/backend';
import { workerEntry } from '../../entry';
import { spawnWorker } from '../../jobs/manager';
import { type Runner } from '../../jobs/runner';

/**
 * Where a training job's shards run. The batch of every epoch is split into SHARDS (2) path ranges; with two
 * threads the job's own worker computes shard 0 while a helper worker computes shard 1 (each thread has its
 * own tfjs wasm instance, which is single-threaded in Node), and the gradients are summed in shard order —
 * the numbers are identical to running both shards in one thread.
 *
 * The helper is the job worker script itself running the job kind 'hedge-shard' (registered in
 * app/jobRunners.ts), which serves shard requests over a MessagePort passed in its config; so no extra
 * bundle entry is needed. Threads: HEDGE_TRAIN_THREADS (1 or 2), else 2 only with more than 2 cores.
 */
export function trainingThreads(): number {
  const env = Number(process.env.HEDGE_TRAIN_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 2);
  // Measured on a 2-core machine (bench:hedging, idle): DHNTB 1.35 s/epoch on one thread against 1.56 s split
  // over two, because the second thread competes with the main process and the UI. Split only with cores to spare.
  return availableParallelism() > 2 ? 2 : 1;
}

/** A pool for `spec`: shards split over `threads` threads (falls back to one thread if the helper fails to start). */
export async function createPool(spec: ShardSpec, threads = trainingThreads()): Promise<ShardPool> {
  if (threads < 2 || SHARDS < 2) return localPool(spec);
  const { port1, port2 } = new MessageChannel();
  let worker;
  try {
    worker = spawnWorker(workerEntry(__dirname));
  } catch {
    return localPool(spec);
  }
  const remote = new PortHost(port1, [1], () => {
    port1.close();
    void worker.terminate();
  });
  worker.on('error', (e) => remote.fail(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => remote.fail(new Error(`shard worker exited (code ${code})`)));
  worker.on('message', (m: { type?: string; error?: { message: string } }) => {
    if (m.type === 'error') remote.fail(new Error(`shard worker failed: ${m.error?.message ?? 'unknown error'}`));
  });
  worker.postMessage(
    { type: 'start', runId: 'hedge-shard', job: { kind: 'hedge-shard', config: { port: port2, spec, owns: [1] } }, cancelFlag: new SharedArrayBuffer(4), dataDir: '' },
    [port2],
  );
  return new ShardPool([new LocalHost(spec, [0]), remote], spec.task.steps);
}

/**
 * Job kind 'hedge-shard': not a run of its own — a helper thread of a training job (see createPool). It loads
 * the tfjs backend and serves shard requests until the coordinator closes the port.
 */
export const runHedgeShardJob: Runner<{ port: MessagePort; spec: ShardSpec; owns: number[] }, unknown> = async ({ port, spec, owns }, ctx) => {
  const backend = await chooseBackend();
  ctx.started(backend.name);
  await serveShards(port, spec, owns);
  return { metrics: null };
};
