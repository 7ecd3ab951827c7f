import { availableParallelism, loadavg } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { type SolverConfig } from '../../../src-shared/bsde/config';
import { type BookContent } from '../../../src-shared/portfolio/book';
import { type JobHooks } from '../../engine/cancel';
import { CONTROL_WORDS, PortShardHelper, isReady, type ShardHelper, serveShardRequests } from '../../engine/bsde/shards';
import { type SolveResult, solveBook } from '../../engine/bsde/solve';
import { type BsdeResume } from '../../engine/bsde/stepState';
import { chooseBackend } from '../../engine/tensor/backend';
import { createPool, taskFileNear } from '../../jobs/pool';

/**
 * Threads of a deep-BSDE solve. Every Adam step's batch is split into two shards (engine/bsde/shards.ts);
 * with two threads a helper thread computes shard 1 while the solve's thread computes shard 0, and the
 * numbers are the same bits as with one thread. The helper is a thread of the project's piscina pool
 * running task kind 'bsde-shard' (src-main/threads/task.ts), started once per solve and closed after it.
 *
 * Threads: `BSDE_SOLVE_THREADS` (1 or 2; the CLI's `--threads`) forces the count. Otherwise two when the
 * machine has a second core that other work is not already using — the 1-minute load average at most
 * cores - 0.5, the rule of the deep-hedging trainer (domains/hedging/pools.ts) — else one.
 */
export function solveThreads(cores = availableParallelism(), load = loadavg()[0], env = process.env.BSDE_SOLVE_THREADS): number {
  const forced = Number(env);
  if (env !== undefined && env !== '' && Number.isInteger(forced) && forced >= 1) return Math.min(forced, 2);
  if (cores < 2) return 1;
  return load > cores - 0.5 ? 1 : 2;
}

/** A started helper, and how to stop it. */
export interface RunningHelper {
  helper: ShardHelper;
  close(): Promise<void>;
}

/** How long a helper may take to load its tfjs backend before the solve goes on with one thread. */
const START_TIMEOUT_MS = 60_000;

/**
 * Start the shard helper thread; resolves once it serves, or null if it could not start (the solve then
 * runs both shards in its own thread — same numbers, more time).
 */
export async function startShardHelper(): Promise<RunningHelper | null> {
  let pool: ReturnType<typeof createPool>;
  try {
    pool = createPool({ taskFile: taskFileNear(__dirname, 'threads.js', `${__dirname}/../../threads`, 'task.ts'), maxThreads: 1 });
  } catch {
    return null;
  }
  const control = new SharedArrayBuffer(4 * CONTROL_WORDS);
  const { port1, port2 } = new MessageChannel();
  let ended: string | null = null;
  const task: BsdeShardTask & { kind: 'bsde-shard' } = { kind: 'bsde-shard', port: port2, control };
  const done = pool.run(task, { transferList: [port2] }).then(
    () => void (ended = 'stopped'),
    (e: unknown) => void (ended = e instanceof Error ? e.message : String(e)),
  );
  const t0 = Date.now();
  while (!isReady(control) && ended === null && Date.now() - t0 < START_TIMEOUT_MS) await new Promise((r) => setTimeout(r, 5));
  if (!isReady(control)) {
    port1.close();
    await pool.destroy();
    return null;
  }
  const helper = new PortShardHelper(control, port1);
  return {
    helper,
    async close() {
      let answered = true;
      try {
        helper.close();
      } catch {
        answered = false; // a helper that does not answer is terminated by destroy()
      }
      if (answered) await done;
      await pool.destroy();
    },
  };
}

/**
 * `solveBook` on `threads` threads (default {@link solveThreads}): starts the helper for the solve and
 * closes it afterwards, also when the solve fails or is cancelled.
 */
export async function solveBookThreaded(book: BookContent, cfg: SolverConfig, hooks?: JobHooks, opts: BsdeResume & { threads?: number } = {}): Promise<SolveResult & { threads: number }> {
  const { threads: forced, ...resumable } = opts;
  const threads = forced ?? solveThreads();
  const running = threads >= 2 ? await startShardHelper() : null;
  try {
    return { ...solveBook(book, cfg, hooks, { ...resumable, helper: running?.helper ?? null }), threads: running ? 2 : 1 };
  } finally {
    await running?.close();
  }
}

/** What a shard helper thread gets: the control words shared with the solve and its end of the channel. */
export interface BsdeShardTask {
  port: MessagePort;
  control: SharedArrayBuffer;
}

/**
 * Task kind 'bsde-shard' (src-main/threads/task.ts): load the tfjs backend, then serve shard 1 of every
 * Adam step (blocking this thread) until the solve closes the helper.
 */
export async function serveBsdeShards(t: BsdeShardTask): Promise<null> {
  await chooseBackend();
  serveShardRequests(t.control, t.port);
  return null;
}
