import { appError, toAppError } from '../../../src-shared/api/errors';
import { redisUrlWithoutPassword, type ClusterInfo, type ComputeMode } from '../../../src-shared/cluster/contract';
import { type ClusterBackend, type ClusterSettings, type ClusterStatus } from '../../cluster/types';
import { loadClusterSettings, passwordOf, sameEndpoint, saveClusterSettings, withPassword, type LoadedClusterSettings } from './settings';

/** What the control needs of the job manager: route jobs to a backend (or back to this machine with null). */
export interface ClusterJobs {
  useCluster(backend: ClusterBackend | null): unknown;
}

/** Connect to a cluster's Redis (src-main/cluster/backend.ts); rejects with CLUSTER_AUTH / CLUSTER_UNREACHABLE / CLUSTER_INSECURE. */
export type ConnectCluster = (settings: ClusterSettings) => Promise<ClusterBackend>;

const defaultConnect: ConnectCluster = async (settings) => {
  // Loaded on first use: a workstation that never uses the cluster never loads bullmq/ioredis.
  const { createClusterBackend } = await import('../../cluster/backend');
  return createClusterBackend(settings);
};

/** A status read slower than this counts as "not answering" (the UI must not hang on a stalled Redis). */
const STATUS_TIMEOUT_MS = 3000;

export interface ClusterControlOptions {
  dataDir: string;
  jobs: ClusterJobs;
  /** Pushes 'cluster-changed'. */
  onChange(info: ClusterInfo): void;
  connect?: ConnectCluster;
  env?: NodeJS.ProcessEnv;
  /** BullMQ queue name (tests use their own); the backend's default otherwise. */
  queue?: string;
}

/**
 * The host's side of the Compute setting: holds the saved settings (settings.ts), the connected backend, and the
 * reason the cluster is not in use when it was chosen. Calls that change the connection run one after another.
 *
 * Decisions: a saved compute 'cluster' is reconnected once at start, in the background ({@link resume}); if that
 * fails the status carries the reason, jobs run on this machine (their runs say compute 'local') and choosing
 * Cluster again retries. A backend that is replaced (another URL, or back to this machine) is closed by the job
 * manager (JobManager.useCluster); runs still live on it are collected when a backend is set again (reattach), at the
 * latest at the next start with Cluster chosen.
 */
export class ClusterControl {
  private saved: LoadedClusterSettings;
  private backend: ClusterBackend | null = null;
  private connecting = false;
  private error: string | null;
  private chain: Promise<unknown> = Promise.resolve();
  private lastSent = '';
  private closed = false;
  private readonly connect: ConnectCluster;

  constructor(private readonly opts: ClusterControlOptions) {
    this.saved = loadClusterSettings(opts.dataDir, opts.env);
    this.error = this.saved.problem;
    this.connect = opts.connect ?? defaultConnect;
  }

  /** The backend jobs go to now, or null (this machine). */
  get current(): ClusterBackend | null {
    return this.backend;
  }

  /** At start: when the saved choice is the cluster, connect in the background (the outcome shows in the status). */
  resume(): Promise<void> {
    if (this.saved.compute !== 'cluster') return Promise.resolve();
    const url = this.saved.redisUrl;
    if (!url) {
      this.error = 'Compute is set to the cluster but no Redis URL is saved; enter one under Compute. Jobs run on this machine.';
      return Promise.resolve();
    }
    this.connecting = true;
    return this.serial(async () => {
      try {
        const b = await this.connect(this.settingsFor(url, this.saved.insecure));
        if (this.closed) {
          await b.close();
          return;
        }
        await this.swap(b);
        this.error = null;
      } catch (e) {
        this.error = `could not reconnect to the cluster at ${redisUrlWithoutPassword(url)}: ${toAppError(e).message}. Jobs run on this machine until it is connected: choose Compute → Cluster to try again.`;
      } finally {
        this.connecting = false;
        await this.publish();
      }
    });
  }

  /** The state for the Compute control; pushes 'cluster-changed' when it differs from the last one pushed. */
  async status(): Promise<ClusterInfo> {
    const info = await this.info();
    this.send(info);
    return info;
  }

  /**
   * Choose where jobs compute. 'cluster' connects first (the given URL and password, else the saved ones); on
   * failure nothing is saved and the backend's AppError comes back naming the field `redisUrl`. 'local' routes new
   * jobs to this machine and saves the choice (and a given URL, for next time).
   */
  configure(req: { redisUrl?: string; password?: string; insecure?: boolean; compute: ComputeMode }): Promise<ClusterInfo> {
    return this.serial(async () => {
      const url = this.urlFor(req);
      const insecure = req.insecure ?? this.saved.insecure;
      const keepUrl = req.redisUrl !== undefined ? url : this.saved.fromEnv ? null : this.saved.redisUrl;
      if (req.compute === 'local') {
        this.save({ redisUrl: keepUrl, insecure, compute: 'local' });
        await this.swap(null);
        this.error = null;
        return this.publish();
      }
      if (!url) {
        throw appError('validation', 'CLUSTER_NO_URL', 'Redis URL is empty; enter the cluster\'s Redis URL as redis://[user:password@]host:port (rediss:// for TLS)', [
          { field: 'redisUrl', label: 'Redis URL', message: 'Redis URL is empty; enter it as redis://[user:password@]host:port', value: '' },
        ]);
      }
      this.connecting = true;
      await this.publish();
      let b: ClusterBackend;
      try {
        b = await this.connect(this.settingsFor(url, insecure));
      } catch (e) {
        this.connecting = false;
        await this.publish();
        const err = toAppError(e);
        throw appError(err.type, err.code, err.message, [{ field: 'redisUrl', label: 'Redis URL', message: err.message, value: redisUrlWithoutPassword(url) }]);
      }
      try {
        this.save({ redisUrl: url, insecure, compute: 'cluster' });
      } catch (e) {
        await b.close().catch(() => {});
        this.connecting = false;
        throw appError('internal', 'CLUSTER_SETTINGS_NOT_SAVED', `connected, but cluster.json could not be written in the data folder (${toAppError(e).message.replaceAll(this.opts.dataDir, '<data folder>')}); check that the data folder is writable and has space`);
      }
      await this.swap(b);
      this.connecting = false;
      this.error = null;
      return this.publish();
    });
  }

  /**
   * Use a cluster for this process only, without saving it (the CLI's `--cluster`). Rejects with the backend's
   * AppError.
   */
  useOnce(settings: { redisUrl: string; insecure?: boolean }): Promise<ClusterInfo> {
    return this.serial(async () => {
      const b = await this.connect(this.settingsFor(settings.redisUrl, settings.insecure ?? false));
      await this.swap(b);
      this.saved = { ...this.saved, redisUrl: settings.redisUrl, insecure: settings.insecure ?? false, compute: 'cluster', fromEnv: false };
      this.error = null;
      return this.info();
    });
  }

  /** Close the backend in use (after the job manager has shut down; closing twice is harmless). */
  async close(): Promise<void> {
    this.closed = true;
    await this.chain.catch(() => {});
    const b = this.backend;
    this.backend = null;
    await b?.close().catch(() => {});
  }

  private settingsFor(redisUrl: string, insecure: boolean): ClusterSettings {
    return { redisUrl, insecure, ...(this.opts.queue ? { queue: this.opts.queue } : {}) };
  }

  /** The URL to connect to: the request's (with its password, or the saved one for the same user@host:port), else the saved one. */
  private urlFor(req: { redisUrl?: string; password?: string }): string | null {
    const saved = this.saved.redisUrl;
    const given = req.redisUrl?.trim();
    if (given === undefined) return saved && req.password ? withPassword(saved, req.password) : saved;
    if (req.password) return withPassword(given, req.password);
    if (!passwordOf(given) && saved && passwordOf(saved) && sameEndpoint(given, saved)) return withPassword(given, passwordOf(saved));
    return given;
  }

  private save(s: { redisUrl: string | null; insecure: boolean; compute: ComputeMode }): void {
    saveClusterSettings(this.opts.dataDir, s);
    this.saved = { ...s, fromEnv: false, problem: null };
  }

  private async swap(next: ClusterBackend | null): Promise<void> {
    // The job manager closes the backend it replaces.
    this.backend = next;
    await this.opts.jobs.useCluster(next);
  }

  private async info(): Promise<ClusterInfo> {
    const url = this.saved.redisUrl;
    let live: Pick<ClusterStatus, 'connected' | 'workers' | 'waiting' | 'active' | 'error'> = { connected: false, workers: 0, waiting: 0, active: 0 };
    if (this.backend) {
      try {
        live = await withTimeout(this.backend.status(), STATUS_TIMEOUT_MS, `the cluster's Redis did not answer within ${STATUS_TIMEOUT_MS / 1000} s`);
      } catch (e) {
        live = { connected: false, workers: 0, waiting: 0, active: 0, error: toAppError(e).message };
      }
    }
    const error = this.backend ? live.error : (this.error ?? undefined);
    return {
      compute: this.saved.compute,
      effective: this.backend ? 'cluster' : 'local',
      where: url ? redisUrlWithoutPassword(url) : null,
      fromEnv: this.saved.fromEnv,
      hasPassword: url ? passwordOf(url) !== '' : false,
      tls: url ? url.trim().startsWith('rediss:') : false,
      insecure: this.saved.insecure,
      connecting: this.connecting,
      connected: live.connected,
      workers: live.workers,
      waiting: live.waiting,
      active: live.active,
      ...(error ? { error } : {}),
    };
  }

  private async publish(): Promise<ClusterInfo> {
    const info = await this.info();
    this.send(info);
    return info;
  }

  private send(info: ClusterInfo): void {
    const key = JSON.stringify(info);
    if (key === this.lastSent) return;
    this.lastSent = key;
    this.opts.onChange(info);
  }

  /** Run `fn` after every earlier connection change has settled. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
