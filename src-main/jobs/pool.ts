import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';

/**
 * The one way this backend starts helper threads: a piscina pool over a task module (a file whose default
 * export is `(task) => result`). Read handlers (src-main/reads), a training job's shard helpers and a BSDE
 * hedge run's second half all go through here, instead of hand-made Worker plumbing per use.
 *
 * `taskFile` is either bundled JavaScript (out/main/*.js) or TypeScript source (src-main/…/*.ts, tests and
 * the CLI under tsx), which is loaded through tsTask.cjs and tsx's require hook.
 */
export interface PoolOptions {
  taskFile: string;
  /** Given to every worker (read it with `workerData` from 'piscina'). */
  workerData?: Record<string, unknown>;
  maxThreads: number;
  minThreads?: number;
  /** Idle workers exit after this long (default 30 s). */
  idleTimeoutMs?: number;
  /**
   * Raise the workers' nice value by this much (Linux/macOS; ignored where @napi-rs/nice is unavailable), so
   * background work yields the CPU to the thread that answers requests on a busy machine.
   */
  niceIncrement?: number;
}

export function createPool(opts: PoolOptions): Piscina {
  const fromSource = opts.taskFile.endsWith('.ts');
  const bootstrap = join(__dirname, 'tsTask.cjs');
  if (fromSource && !existsSync(bootstrap)) throw new Error(`pool bootstrap ${bootstrap} is missing`);
  return new Piscina({
    filename: fromSource ? bootstrap : opts.taskFile,
    workerData: { ...opts.workerData, taskFile: opts.taskFile },
    maxThreads: opts.maxThreads,
    minThreads: opts.minThreads ?? 0,
    idleTimeout: opts.idleTimeoutMs ?? 30_000,
    niceIncrement: opts.niceIncrement ?? 0,
  });
}

/**
 * The file of a task module next to the job worker: `<name>.js` beside out/main/worker.js in the bundle,
 * `src-main/<sourcePath>` beside src-main/jobs/worker.ts from source.
 */
export function taskFileBeside(workerPath: string, bundled: string, sourcePath: string): string {
  return workerPath.endsWith('.ts') ? join(workerPath, '..', '..', sourcePath) : join(workerPath, '..', bundled);
}
