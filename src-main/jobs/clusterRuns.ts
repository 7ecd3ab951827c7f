import { type AppError, toAppError } from '../../src-shared/api/errors';
import { type RunQueries } from '../store/queries/runs';
import { type ClusterBackend, type ClusterJobEvents } from '../cluster/types';
import { type ClusterFanOut, withFanOut } from '../cluster/fanout';
import { type WireJob } from './protocol';
import { type Emit, type Outcome, recordOutcome, reportProgress, storeWriteError } from './runEvents';

export interface ClusterRunsOptions {
  runs: RunQueries;
  emit: Emit;
  /**
   * Kinds that run on the cluster split into part jobs (src-main/cluster/fanout.ts): the host plans them from
   * its store and merges the parts' results into the run's one result. From the composition root.
   */
  fanOuts?: ClusterFanOut[];
  /** Called when a cluster run ends or is let go, so the owner can tell its idle waiters. */
  onSettled: () => void;
}

/** A run on the cluster, followed through its backend's events (it takes no local slot). */
interface Remote {
  runId: string;
  backend: ClusterBackend;
  startedAt: number;
  lastDbWrite: number;
  cancelRequested: boolean;
}

/** A cancelled cluster run whose backend has not confirmed after this long is recorded as cancelled anyway. */
const CLUSTER_CANCEL_WAIT_MS = 30_000;

/**
 * The cluster half of JobManager: the backend in use (see JobManager.useCluster) and the runs sent to it or
 * reattached from the store, followed until they end.
 */
export class ClusterRuns {
  private readonly remote = new Map<string, Remote>();
  private cluster: ClusterBackend | null = null;
  /** The backend as given to useCluster (`cluster` wraps it with the fan-outs). */
  private clusterGiven: ClusterBackend | null = null;

  constructor(private readonly opts: ClusterRunsOptions) {}

  /** The cluster backend in use, or null (jobs run on this machine). */
  backend(): ClusterBackend | null {
    return this.cluster;
  }

  /** The backend to send `job` to, or null when none is set or it refuses the job's kind (it runs here). */
  backendFor(job: WireJob): ClusterBackend | null {
    const cluster = this.cluster;
    return cluster !== null && cluster.refuses(job) === null ? cluster : null;
  }

  /** JobManager.useCluster (its doc says what this does). */
  use(given: ClusterBackend | null): void {
    const prev = this.cluster;
    if (this.clusterGiven === given) return;
    this.clusterGiven = given;
    const fanOuts = this.opts.fanOuts ?? [];
    const backend = given && fanOuts.length ? withFanOut(given, fanOuts, this.opts.runs) : given;
    this.cluster = backend;
    if (prev) {
      for (const [id, r] of [...this.remote]) if (r.backend === prev) this.remote.delete(id);
      void prev.close().catch(() => {});
      this.opts.onSettled();
    }
    if (backend) this.reattachAll(backend);
  }

  /** Cancel a cluster run. Returns false if this process is not following it. */
  cancel(runId: string): boolean {
    const r = this.remote.get(runId);
    if (!r) return false;
    if (r.cancelRequested) return true;
    r.cancelRequested = true;
    const giveUp = (): void => this.end(r, 'cancelled');
    r.backend.cancel(runId).catch(giveUp);
    setTimeout(giveUp, CLUSTER_CANCEL_WAIT_MS).unref();
    return true;
  }

  /** Cancel every cluster run this process follows. */
  cancelAll(): void {
    for (const runId of [...this.remote.keys()]) this.cancel(runId);
  }

  has(runId: string): boolean {
    return this.remote.has(runId);
  }

  /** No cluster run is followed. */
  isEmpty(): boolean {
    return this.remote.size === 0;
  }

  /** Send a new run (its row already created) to `backend` (from backendFor) and follow it. */
  send(backend: ClusterBackend, runId: string, job: WireJob): void {
    const r = this.track(backend, runId);
    backend.submit(runId, job, this.events(r)).catch((e: unknown) => {
      const err = toAppError(e);
      this.end(r, 'failed', { ...err, message: `the run could not be sent to the cluster: ${err.message}` });
    });
  }

  private track(backend: ClusterBackend, runId: string): Remote {
    const r: Remote = { runId, backend, startedAt: Date.now(), lastDbWrite: 0, cancelRequested: false };
    this.remote.set(runId, r);
    return r;
  }

  /** Follow the store's cluster runs still queued or running that this process is not following yet. */
  private reattachAll(backend: ClusterBackend): void {
    for (const runId of this.opts.runs.liveCluster()) {
      if (this.remote.has(runId)) continue;
      const r = this.track(backend, runId);
      backend.reattach(runId, this.events(r)).catch((e: unknown) => {
        // unreachable now: the run stays as it is in the store, waiting for the cluster
        if (this.remote.get(runId) === r) this.remote.delete(runId);
        console.error(`could not reattach cluster run ${runId}: ${toAppError(e).message}`);
        this.opts.onSettled();
      });
    }
  }

  /** A cluster run's events onto its row and the pushed run events; events of a detached run are dropped. */
  private events(r: Remote): ClusterJobEvents {
    const { runs, emit } = this.opts;
    const live = (): boolean => this.remote.get(r.runId) === r;
    return {
      started: (backend) => {
        if (!live()) return;
        if (runs.markRunning(r.runId, backend)) r.startedAt = Date.now();
        emit('runs-changed', { runIds: [r.runId] });
      },
      progress: (done, total, detail) => {
        if (live()) reportProgress(runs, emit, r, done, total, detail);
      },
      result: (out) => {
        if (!live()) return;
        if (r.cancelRequested) return this.end(r, 'cancelled');
        try {
          // a result can come before (or without) its 'started' event: a reattach, a missed event
          if (runs.get(r.runId)?.status === 'queued') runs.markRunning(r.runId, 'cluster');
          runs.finish(r.runId, out); // false when a second delivery finds the result already stored
          this.end(r, 'done');
        } catch (e) {
          this.end(r, 'failed', storeWriteError(e));
        }
      },
      failed: (error) => {
        if (live()) this.end(r, r.cancelRequested ? 'cancelled' : 'failed', error);
      },
      cancelled: () => {
        if (live()) this.end(r, 'cancelled');
      },
    };
  }

  private end(r: Remote, outcome: Outcome, error?: AppError): void {
    if (this.remote.get(r.runId) !== r) return;
    this.remote.delete(r.runId);
    recordOutcome(this.opts.runs, this.opts.emit, r.runId, outcome, error);
    this.opts.onSettled();
  }
}
