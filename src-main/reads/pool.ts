import { availableParallelism } from 'node:os';
import { type Piscina } from 'piscina';
import { AppFault, appError } from '../../src-shared/api/errors';
import { createPool } from '../jobs/pool';
import { EncodedResult } from '../host/reply';
import { type ReadArgs, type READ_TASKS, type ReadTask } from './tasks';
import { type ReadOutcome, type ReadRequest } from './worker';

export interface ReadPoolOptions {
  /** The store file (workers open it read-only). */
  dbFile: string;
  nativeBinding?: string;
  /** reads/worker.ts from source, out/main/reads.js in the bundle. */
  taskFile: string;
  /** Read workers at once (default: cores - 1, 1 to 4). */
  maxThreads?: number;
  /** Bytes of encoded replies kept (default 64 MiB). */
  cacheBytes?: number;
  /** Whether the runs / path sets a cached reply was read from all still exist (checked on every hit). */
  stillValid(deps: string[]): boolean;
}

/** The value a read stands for. At run time it is an EncodedResult the transports splice in as that value. */
export type ReadValue<T extends ReadTask> = ReturnType<(typeof READ_TASKS)[T]>['result'];

interface Cached {
  json: Uint8Array;
  deps: string[];
  bytes: number;
}

/**
 * Heavy reads off the thread that serves requests: a piscina pool of read workers, each with its own
 * read-only store connection, answering with the result already encoded as JSON. Replies of finished runs
 * and built path sets (immutable) are kept in a byte-bounded LRU cache, checked against the store on every
 * hit; identical requests in flight share one read.
 */
export class ReadPool {
  private readonly pool: Piscina;
  private readonly cache = new Map<string, Cached>();
  private cachedBytes = 0;
  private readonly inFlight = new Map<string, Promise<Cached | EncodedResult>>();
  private readonly cacheBytes: number;

  constructor(private readonly opts: ReadPoolOptions) {
    this.cacheBytes = opts.cacheBytes ?? 64 * 1024 * 1024;
    this.pool = createPool({
      taskFile: opts.taskFile,
      workerData: { dbFile: opts.dbFile, nativeBinding: opts.nativeBinding },
      maxThreads: opts.maxThreads ?? Math.max(1, Math.min(4, availableParallelism() - 1)),
      // reads yield the CPU to the request thread (system-info and every small call stay prompt)
      niceIncrement: 10,
    });
  }

  /** Run one read (validated arguments) on a worker, or answer from the cache. */
  async run<T extends ReadTask>(task: T, args: ReadArgs<T>): Promise<ReadValue<T>> {
    const key = `${task}\u0000${JSON.stringify(args)}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      if (this.opts.stillValid(hit.deps)) {
        this.cache.set(key, hit); // most recently used last
        return new EncodedResult(hit.json) as unknown as ReadValue<T>;
      }
      this.cachedBytes -= hit.bytes;
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.read(key, { task, args }).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const got = await pending;
    return (got instanceof EncodedResult ? got : new EncodedResult(got.json)) as unknown as ReadValue<T>;
  }

  /** Drop cached replies that read any of `ids` (all of them when not given). */
  forget(ids?: string[]): void {
    for (const [key, c] of this.cache) {
      if (!ids || c.deps.some((d) => ids.includes(d))) {
        this.cache.delete(key);
        this.cachedBytes -= c.bytes;
      }
    }
  }

  /** Waits for reads in progress, then stops the workers. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Workers started and reads waiting (for the benchmark and tests). */
  get stats(): { threads: number; queued: number; cached: number; cachedBytes: number } {
    return { threads: this.pool.threads.length, queued: this.pool.queueSize, cached: this.cache.size, cachedBytes: this.cachedBytes };
  }

  private async read(key: string, req: ReadRequest): Promise<Cached | EncodedResult> {
    let out: ReadOutcome;
    try {
      out = (await this.pool.run(req)) as ReadOutcome;
    } catch (e) {
      throw appError('internal', 'READ_WORKER_FAILED', `the read worker stopped before answering (${e instanceof Error ? e.message : String(e)}); try again, or ask for less at once`);
    }
    if (!out.ok) throw new AppFault(out.error);
    if (!out.deps) return new EncodedResult(out.json);
    const entry: Cached = { json: out.json, deps: out.deps, bytes: out.json.byteLength };
    if (entry.bytes <= this.cacheBytes / 4) {
      const old = this.cache.get(key);
      if (old) this.cachedBytes -= old.bytes;
      this.cache.set(key, entry);
      this.cachedBytes += entry.bytes;
      for (const [k, c] of this.cache) {
        if (this.cachedBytes <= this.cacheBytes) break;
        this.cache.delete(k);
        this.cachedBytes -= c.bytes;
      }
    }
    return entry;
  }
}
