import { type AppError } from '../../src-shared/api/errors';
import { type Events, type EventName } from '../../src-shared/api/contract';
import { type RunQueries } from '../store/queries/runs';

// What local runs (manager.ts) and cluster runs (clusterRuns.ts) share: a run's progress and its end, written
// onto its row and pushed as run events.

export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;

/** How a live run ended. */
export type Outcome = 'done' | 'failed' | 'cancelled';

/** What a live run keeps for its progress reports. */
export interface ProgressClock {
  runId: string;
  startedAt: number;
  lastDbWrite: number;
}

const DB_PROGRESS_INTERVAL_MS = 500;

/** A progress report: pushed as 'run-progress', written to the store at most twice a second. */
export function reportProgress(runs: RunQueries, emit: Emit, a: ProgressClock, done: number, total: number, detail: unknown): void {
  const now = Date.now();
  const elapsedMs = now - a.startedAt;
  const etaMs = done > 0 && done < total ? (elapsedMs * (total - done)) / done : done >= total ? 0 : null;
  if (now - a.lastDbWrite >= DB_PROGRESS_INTERVAL_MS) {
    a.lastDbWrite = now;
    // Best effort: a busy store (another connection committing a large import) skips one write.
    try {
      runs.setProgress(a.runId, done);
    } catch {
      a.lastDbWrite = 0;
    }
  }
  emit('run-progress', { runId: a.runId, done, total, etaMs, elapsedMs, ...(detail !== undefined ? { detail } : {}) });
}

/**
 * A live run's end: 'failed' and 'cancelled' are written to its row (a 'done' run's result was stored by the
 * caller), then run-failed, run-cancelled or run-finished and runs-changed are pushed. `error` goes with 'failed'.
 */
export function recordOutcome(runs: RunQueries, emit: Emit, runId: string, outcome: Outcome, error?: AppError): void {
  if (outcome === 'failed') {
    persist(() => runs.end(runId, 'failed', error!), `record run ${runId} as failed`);
    emit('run-failed', { runId, error: error! });
  } else if (outcome === 'cancelled') {
    persist(() => runs.end(runId, 'cancelled', null), `record run ${runId} as cancelled`);
    emit('run-cancelled', { runId });
  } else {
    emit('run-finished', { runId });
  }
  emit('runs-changed', { runIds: [runId] });
}

/**
 * A status write that must not be lost and must not crash the host: retried a few times (the store may be
 * busy while another connection commits a large import); if it still fails, the run stays live in the store
 * and is marked interrupted at the next start.
 */
export function persist(write: () => unknown, what: string, attempt = 0): void {
  try {
    write();
  } catch (e) {
    if (attempt < 5) setTimeout(() => persist(write, what, attempt + 1), 200 * 2 ** attempt).unref();
    else console.error(`could not ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A result that arrived but could not be stored: the run fails with this. */
export function storeWriteError(e: unknown): AppError {
  return { type: 'internal', code: 'STORE_WRITE', message: `result could not be stored: ${String(e)}` };
}
