import { type AppError } from '../../src-shared/api/errors';
import { type StoredArray } from '../store/queries/runs';
import { type WireJob } from '../jobs/protocol';

/**
 * The contract between the job manager (host side) and the cluster (BullMQ workers on Redis). The job manager
 * runs a job either in a local worker thread or, when the run's compute is 'cluster', through a ClusterBackend;
 * both paths end in the same run events and the same one-transaction `runs.finish`.
 */

/** How to reach the cluster's Redis: `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
export interface ClusterSettings {
  redisUrl: string;
  /** Accept a Redis that needs no password (a worker refuses one otherwise). */
  insecure?: boolean;
  /** BullMQ queue name (default 'hedge-workstation'); tests use their own. */
  queue?: string;
}

/** What a cluster job reports back, mapped by the job manager onto the run's row and events. */
export interface ClusterJobEvents {
  /** A worker took the job (again, after a retry): the backend it computes on and the worker's name. */
  started(backend: string, worker: string): void;
  progress(done: number, total: number, detail?: unknown): void;
  /** The result, delivered at most once per call of submit/reattach; the manager stores it exactly once. */
  result(out: { wallMs: number; metrics: unknown; arrays: Record<string, StoredArray> }): void;
  failed(error: AppError): void;
  cancelled(): void;
}

export interface ClusterStatus {
  connected: boolean;
  /** Workers seen on the queue now. */
  workers: number;
  waiting: number;
  active: number;
  /** Why it is not connected (wrong password, refused, …), in words a user can act on. */
  error?: string;
  /** The URL without its password. */
  where: string;
}

export interface ClusterBackend {
  /** null when this job can run on the cluster; otherwise the reason it cannot (needs the local store, …). */
  refuses(job: WireJob): string | null;
  /** Queue the job under the run's id (adding the same run twice is a no-op); events arrive until one of result/failed/cancelled. */
  submit(runId: string, job: WireJob, events: ClusterJobEvents): Promise<void>;
  /** Stop a queued or running cluster job; its events end with `cancelled`. */
  cancel(runId: string): Promise<void>;
  /**
   * After a restart: for each run the store still has as queued/running on the cluster, deliver its stored result
   * (or failure) if the job ended while the app was closed, or resume listening to it.
   */
  reattach(runId: string, events: ClusterJobEvents): Promise<void>;
  status(): Promise<ClusterStatus>;
  close(): Promise<void>;
}

/**
 * A job's resumable state, for runners that can continue from where a killed worker stopped (training epochs,
 * BSDE time steps). Local runs keep theirs in the store as today; on the cluster it lives in Redis beside the job.
 * The state must be structured-cloneable (plain objects, numbers, strings, typed arrays).
 */
export interface CheckpointChannel {
  /** The last saved state of this run (from an earlier attempt), or null on a first attempt. */
  latest(): unknown;
  /** Save the state after a unit of work (an epoch, a time step); the newest replaces the older. */
  save(state: unknown): void;
}
