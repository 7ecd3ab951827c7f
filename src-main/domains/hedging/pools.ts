import { availableParallelism, loadavg } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { LocalHost, SHARDS, ShardPool, localPool } from '../../engine/hedging/pool';
import { type ShardSpec } from '../../engine/hedging/shard';
import { PortHost, serveShards } from '../../engine/hedging/shardWorker';
import { chooseBackend } from '../../engine/tensor/backend';
import { createPool as createThreadPool, taskFileNear } from '../../jobs/pool';

/**
 * Where a training job's shards run. The batch of every epoch is split into SHARDS (2) path ranges; with two
 * threads the job's own worker computes shard 0 while a helper worker computes shard 1 (each thread has its
 * own tfjs wasm instance, which is single-threaded in Node), and the gradients are summed in shard order —
 * the numbers are identical to running both shards in one thread. (The backend's threaded SIMD build is no
 * way round this in Node 20: tfjs turns WASM_HAS_MULTITHREAD_SUPPORT off under Node, and forcing it on fails
 * because its pthreads are started from blob: URLs, which Node's Worker refuses with ERR_WORKER_PATH — tried
 * with tfjs-backend-wasm 4.22. The shard threads also split the JavaScript parts: features, clamp, PnL.)
 *
 * The helper is a thread of the project's piscina pool running the task kind 'hedge-shard' of
 * src-main/threads/task.ts, which serves shard requests over a MessagePort passed in the task until the
 * coordinator closes it. Threads: see `trainingThreads`.
 */
export function trainingThreads(cores = availableParallelism(), load = loadavg()[0], env = process.env.HEDGE_TRAIN_THREADS): number {
  const forced = Number(env);
  if (env !== undefined && env !== '' && Number.isInteger(forced) && forced >= 1) return Math.min(forced, SHARDS);
  // Two threads whenever there is a second core that other work is not already using: a training job is the
  // long job of the moment and the host is otherwise idle (the UI and the store wait on it). The 1-minute load
  // average counts runnable threads: above cores - 0.5 the other cores are already taken, and one thread is kinder.
  // (Until the shard pool dispatched the worker's request before computing its own shard — see
  // ShardPool.dispatch — the two threads took turns and two were slower than one; they now work side by side.)
  if (cores < 2) return 1;
  return load > cores - 0.5 ? 1 : 2;
}

/** A pool for `spec`: shards split over `threads` threads (falls back to one thread if the helper fails to start). */
export async function createPool(spec: ShardSpec, threads = trainingThreads()): Promise<ShardPool> {
  if (threads < 2 || SHARDS < 2) return localPool(spec);
  const { port1, port2 } = new MessageChannel();
  let helper: ReturnType<typeof createThreadPool>;
  try {
    helper = createThreadPool({ taskFile: taskFileNear(__dirname, 'threads.js', `${__dirname}/../../threads`, 'task.ts'), maxThreads: 1 });
  } catch {
    return localPool(spec);
  }
  let closed = false;
  const remote = new PortHost(port1, [1], () => {
    closed = true;
    port1.close();
    void helper.destroy();
  });
  const task: HedgeShardTask & { kind: 'hedge-shard' } = { kind: 'hedge-shard', port: port2, spec, owns: [1] };
  helper.run(task, { transferList: [port2] }).then(
    () => closed || remote.fail(new Error('shard thread stopped serving before the job closed it')),
    (e: unknown) => closed || remote.fail(new Error(`shard thread failed: ${e instanceof Error ? e.message : String(e)}`)),
  );
  return new ShardPool([new LocalHost(spec, [0]), remote], spec.task.steps);
}

/** What a shard thread serves: the shards it owns of `spec`, over `port`. */
export interface HedgeShardTask {
  port: MessagePort;
  spec: ShardSpec;
  owns: number[];
}

/**
 * Task kind 'hedge-shard' (src-main/threads/task.ts): a helper thread of a training job (see createPool). It
 * loads the tfjs backend and serves shard requests until the coordinator closes the port.
 */
export async function serveHedgeShards(t: HedgeShardTask): Promise<null> {
  await chooseBackend();
  await serveShards(t.port, t.spec, t.owns);
  return null;
}
