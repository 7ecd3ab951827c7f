/**
 * Cooperative cancellation and progress for long engine jobs. Engine loops call `onProgress` after each
 * unit of work (e.g. a chunk of paths) and `shouldCancel` between units; on `true` they throw
 * `CancelledError`, which the job runner reports as a cancelled (not failed) run.
 */

/** Thrown by an engine job that stopped because `JobHooks.shouldCancel()` returned true. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Optional callbacks a job runner passes to an engine function. */
export interface JobHooks {
  /**
   * Work done so far out of `total` (same unit, e.g. paths); called with done = total at the end.
   * `detail` is an optional JSON-safe snapshot for live views (e.g. per-epoch losses); a report that
   * carries one is always delivered, plain counts are throttled.
   */
  onProgress?(done: number, total: number, detail?: unknown): void;
  /** Polled between chunks of work; returning true makes the job throw `CancelledError`. */
  shouldCancel?(): boolean;
}

/** Throw `CancelledError` if the hooks ask for cancellation. */
export function throwIfCancelled(hooks: JobHooks | undefined): void {
  if (hooks?.shouldCancel?.()) throw new CancelledError();
}
