import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina, move } from 'piscina';

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

/**
 * A task's result whose buffers are moved to the caller instead of copied (piscina's transferable
 * protocol): return `movable(value, [a.buffer, b.buffer])` from a task function.
 */
export function movable<T>(value: T, buffers: ArrayBufferLike[]): T {
  return move({ [Piscina.transferableSymbol]: [...new Set(buffers)], [Piscina.valueSymbol]: value } as never) as T;
}

/**
 * A task module bundled as `bundled` (out/main, next to the entries; code calling this may sit in
 * out/main/chunks) or, from source, `source` in `sourceDir` (the caller's own folder when it runs under tsx).
 */
export function taskFileNear(callerDir: string, bundled: string, sourceDir: string, source: string): string {
  const candidates = [join(sourceDir, source), join(callerDir, bundled), join(callerDir, '..', bundled)];
  const hit = candidates.find((p) => existsSync(p));
  if (!hit) throw new Error(`task module ${bundled} not found (looked in ${candidates.join(', ')})`);
  return hit;
}
