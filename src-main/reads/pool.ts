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

export interface ReadOptions {
  /**
   * The caller's name for the place this read fills (one chart of one window): `cancel(readId)` cancels it, and a
   * newer read with the same readId and other arguments supersedes (cancels) it.
   */
  readId?: string;
}

interface Cached {
  json: Uint8Array;
  deps: string[];
  bytes: number;
}

/** A read on a worker, shared by identical requests in flight (`waiters` of them still want it). */
interface Flight {
  promise: Promise<Cached | EncodedResult>;
  abort: AbortController;
  waiters: number;
}

/** One request waiting for a flight; `cancel` rejects it with a 'cancelled' AppError. */
interface Waiter {
  key: string;
  cancel(why: 'cancelled' | 'superseded'): void;
}

const cancelledError = (why: 'cancelled' | 'superseded') =>
  appError(
    'cancelled',
    'READ_CANCELLED',
    why === 'superseded' ? 'this read was replaced by a newer one from the same view (its inputs changed)' : 'the read was cancelled; ask again to read it',
  );

/**
 * Heavy reads off the thread that serves requests: a piscina pool of read workers, each with its own
 * read-only store connection, answering with the result already encoded as JSON. Replies of finished runs
 * and built path sets (immutable) are kept in a byte-bounded LRU cache, checked against the store on every
 * hit; identical requests in flight share one read.
 *
 * Reads can be cancelled (`cancel(readId)`, or superseded by a newer read of the same readId): the waiting
 * request is answered at once with a 'cancelled' AppError (code READ_CANCELLED); when no other request waits
 * for the same read, the read is aborted through piscina's AbortSignal: a queued read is dropped, a running
 * one ends with its worker thread (piscina terminates it; the next read starts a fresh worker with a fresh
 * read-only connection), so the pool stays usable and the CPU is freed at once.
 */
export class ReadPool {
  private readonly pool: Piscina;
  private readonly cache = new Map<string, Cached>();
  private cachedBytes = 0;
  private readonly inFlight = new Map<string, Flight>();
  private readonly byReadId = new Map<string, Set<Waiter>>();
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
  async run<T extends ReadTask>(task: T, args: ReadArgs<T>, opts: ReadOptions = {}): Promise<ReadValue<T>> {
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
    if (opts.readId !== undefined) {
      // a newer read for the same place: the older ones (other arguments) are no longer wanted
      for (const w of [...(this.byReadId.get(opts.readId) ?? [])]) if (w.key !== key) w.cancel('superseded');
    }
    let flight = this.inFlight.get(key);
    if (!flight) {
      const abort = new AbortController();
      const f: Flight = { abort, waiters: 0, promise: Promise.resolve(null as never) };
      f.promise = this.read(key, { task, args }, abort.signal).finally(() => {
        if (this.inFlight.get(key) === f) this.inFlight.delete(key);
      });
      f.promise.catch(() => {}); // observed by its waiters; a read nobody waits for any more may still reject
      this.inFlight.set(key, f);
      flight = f;
    }
    const got = await this.wait(key, flight, opts.readId);
    return (got instanceof EncodedResult ? got : new EncodedResult(got.json)) as unknown as ReadValue<T>;
  }

  /**
   * Cancel the reads of `readId` still waiting: each is answered with a 'cancelled' AppError, and a read no
   * other request waits for is aborted on its worker. Returns how many requests were cancelled (0: none was
   * waiting, e.g. the read had already answered).
   */
  cancel(readId: string): number {
    const waiting = [...(this.byReadId.get(readId) ?? [])];
    for (const w of waiting) w.cancel('cancelled');
    return waiting.length;
  }

  /** Wait for `flight` as one more request, cancellable under `readId`. */
  private wait(key: string, flight: Flight, readId: string | undefined): Promise<Cached | EncodedResult> {
    flight.waiters++;
    return new Promise<Cached | EncodedResult>((resolve, reject) => {
      let settled = false;
      const finish = (): void => {
        settled = true;
        flight.waiters--;
        if (readId === undefined) return;
        const set = this.byReadId.get(readId);
        set?.delete(waiter);
        if (set?.size === 0) this.byReadId.delete(readId);
      };
      const waiter: Waiter = {
        key,
        cancel: (why) => {
          if (settled) return;
          finish();
          if (flight.waiters === 0) {
            // nobody else wants it: stop the work (queued: dropped; running: its worker is ended)
            if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
            flight.abort.abort();
          }
          reject(cancelledError(why));
        },
      };
      if (readId !== undefined) {
        const set = this.byReadId.get(readId) ?? new Set<Waiter>();
        set.add(waiter);
        this.byReadId.set(readId, set);
      }
      flight.promise.then(
        (v) => {
          if (settled) return;
          finish();
          resolve(v);
        },
        (e: unknown) => {
          if (settled) return;
          finish();
          reject(e);
        },
      );
    });
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

  /** Workers started, reads waiting and in flight (for the benchmark and tests). */
  get stats(): { threads: number; queued: number; cached: number; cachedBytes: number; inFlight: number } {
    return { threads: this.pool.threads.length, queued: this.pool.queueSize, cached: this.cache.size, cachedBytes: this.cachedBytes, inFlight: this.inFlight.size };
  }

  private async read(key: string, req: ReadRequest, signal: AbortSignal): Promise<Cached | EncodedResult> {
    let out: ReadOutcome;
    try {
      out = (await this.pool.run(req, { signal })) as ReadOutcome;
    } catch (e) {
      if (signal.aborted) throw cancelledError('cancelled');
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
