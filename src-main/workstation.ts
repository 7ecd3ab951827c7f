import { type SystemInfo, type Events, type EventName } from '../src-shared/api/contract';
import { DEFAULT_HEDGE_CONFIG } from '../src-shared/hedging/config';
import { hedgingHandlers } from './domains/hedging/app';
import { runsHandlers } from './domains/runs/app';
import { qlbsHandlers } from './domains/qlbs/app';
import { semistaticHandlers } from './domains/semistatic/app';
import { orderbookHandlers } from './domains/orderbook/app';
import { portfolioHandlers } from './domains/portfolio/app';
import { bsdeHedgeHandlers } from './domains/bsde/hedgeApp';
import { bsdeHedgeFanOut } from './domains/bsde/hedgeParts';
import { hestonHedgeFanOut } from './domains/heston/hedgeParts';
import { hestonHedgeHandlers } from './domains/heston/hedgeApp';
import { bsdeHandlers } from './domains/bsde/app';
import { hestonHandlers } from './domains/heston/app';
import { clusterHandlers } from './domains/cluster/app';
import { ClusterControl } from './domains/cluster/control';
import { seedOrderbookExample } from './domains/orderbook/seed';
import { type HandlerTable } from '../src-shared/api/handlers';
import { JobManager, probeBackend } from './jobs/manager';
import { FilePolicy, allowDirsFromEnv } from './files/policy';
import { sweepStaging } from './store/queries/orderbookStage';
import { loadWorkGuard, type WorkGuard } from './limits/guard';
import { openDb, type Db } from './store/db';
import { watchExternalRuns } from './store/externalRuns';
import { runQueries, type RunQueries } from './store/queries/runs';
import { taskFileBeside } from './jobs/pool';
import { ReadPool } from './reads/pool';
import { readsHandlers } from './reads/app';
import { availableParallelism } from 'node:os';

export type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface WorkstationOptions {
  dataDir: string;
  workerPath: string;
  transport: SystemInfo['transport'];
  appVersion: string;
  /** On a fresh store, compute the example run (ATM European call, BS delta) before returning. */
  seedExample?: boolean;
  /** Probe the tfjs backend in the background (default true). */
  probe?: boolean;
  nativeBinding?: string;
  concurrency?: number;
  /**
   * Poll the store every this many ms for runs other processes (the CLI) write, and push 'runs-changed' for
   * them (see store/externalRuns.ts). Off when absent: the app and the browser-mode host turn it on.
   */
  watchExternalMs?: number;
  /**
   * Which files clients may read (see files/policy.ts). Default: browser-mode roots (the data folder, the
   * home folder and `HEDGE_ALLOW_DIRS`).
   */
  files?: FilePolicy;
  /** Limits on the work one request may start and on the queue (default: limits.json, environment, defaults). */
  guard?: WorkGuard;
  /**
   * Reconnect a saved compute 'cluster' (cluster.json) in the background at start. The app and the browser-mode
   * host turn it on; the CLI uses a cluster only when given `--cluster`.
   */
  resumeCluster?: boolean;
  /** BullMQ queue of the cluster (tests use their own); the backend's default otherwise. */
  clusterQueue?: string;
}

export interface Workstation {
  handlers: HandlerTable;
  subscribe(listener: Listener): () => void;
  runs: RunQueries;
  jobs: JobManager;
  /** Heavy reads (distributions, path pages) on worker threads, with a reply cache. */
  reads: ReadPool;
  db: Db;
  /** The file-access policy (Electron grants picked and dropped paths through it). */
  files: FilePolicy;
  /** The Compute setting: this machine or a cluster (domains/cluster). */
  cluster: ClusterControl;
  /** Resolves once the backend probe has answered. */
  backendReady: Promise<void>;
  close(): Promise<void>;
}

export const EXAMPLE_LABEL = 'Example: ATM European call, BS delta, σ=0.1, 30 daily steps, c=2e-3';

/**
 * The composition root shared by Electron, the browser-mode host, the CLI and the integration tests:
 * store + job manager + the handler table + an event bus the transports subscribe to.
 */
export async function createWorkstation(opts: WorkstationOptions): Promise<Workstation> {
  const db = openDb({ dataDir: opts.dataDir, nativeBinding: opts.nativeBinding });
  const runs = runQueries(db);
  runs.markInterrupted();
  // Staging files of imports and path builds that were running when the app stopped are garbage now.
  sweepStaging(db, opts.dataDir);
  const files = opts.files ?? new FilePolicy({ mode: 'roots', dataDir: opts.dataDir, allowDirs: allowDirsFromEnv() });

  const listeners = new Set<Listener>();
  const emit: Listener = (event, payload) => listeners.forEach((l) => l(event, payload));
  const guard = opts.guard ?? loadWorkGuard({ dataDir: opts.dataDir });
  // On a cluster, BSDE and Heston rebalancing runs are split over their paths into part jobs (cluster/fanout.ts).
  const fanOuts = [bsdeHedgeFanOut(), hestonHedgeFanOut()];
  const jobs = new JobManager({ runs, workerPath: opts.workerPath, dataDir: opts.dataDir, emit, concurrency: opts.concurrency, maxQueued: guard.limits.maxQueued, fanOuts });

  const cluster = new ClusterControl({ dataDir: opts.dataDir, jobs, onChange: (info) => emit('cluster-changed', info), queue: opts.clusterQueue });

  const validStmt = db.prepare(
    `SELECT (SELECT COUNT(*) FROM runs WHERE id = @id AND status = 'done') + (SELECT COUNT(*) FROM orderbook_path_sets WHERE id = @id) AS n`,
  );
  const reads = new ReadPool({
    dbFile: db.name,
    nativeBinding: opts.nativeBinding,
    taskFile: taskFileBeside(opts.workerPath, 'reads.js', 'reads/worker.ts'),
    stillValid: (deps) => deps.every((id) => (validStmt.get({ id }) as { n: number }).n > 0),
  });

  const info: SystemInfo = {
    appVersion: opts.appVersion,
    tensorBackend: null,
    backendNotes: [],
    dataDir: opts.dataDir,
    transport: opts.transport,
    platform: `${process.platform}-${process.arch}`,
    cpus: availableParallelism(),
  };
  const backendReady =
    opts.probe === false
      ? Promise.resolve()
      : probeBackend(opts.workerPath).then(({ backend, notes }) => {
          info.tensorBackend = backend;
          info.backendNotes = notes;
          emit('system-changed', { ...info });
        });

  // Each domain's handlers, one line each; a domain gets what it needs of { db, runs, jobs, emit }.
  const handlers: HandlerTable = {
    'system-info': () => ({ ...info }),
    ...hedgingHandlers({ db, runs, jobs, emit, guard, reads }),
    ...qlbsHandlers({ runs, jobs }),
    ...runsHandlers({ runs, jobs, reads, emitChanged: (runIds) => emit('runs-changed', { runIds }) }),
    ...readsHandlers({ reads }),
    ...semistaticHandlers({ jobs }),
    ...orderbookHandlers({ db, runs, jobs, files, guard, reads }),
    ...portfolioHandlers({ db }),
    ...bsdeHandlers({ db, runs, jobs, guard }),
    ...bsdeHedgeHandlers({ db, runs, jobs }),
    ...hestonHedgeHandlers({ runs, jobs }),
    ...hestonHandlers({ runs, jobs, guard }),
    ...clusterHandlers({ cluster }),
  };
  if (opts.resumeCluster) void cluster.resume();

  if (opts.seedExample) {
    const seeded = db.prepare(`SELECT value FROM app_meta WHERE key = 'example-seeded'`).get();
    if (!seeded) {
      jobs.submit({ kind: 'hedge', config: DEFAULT_HEDGE_CONFIG }, { model: 'bsdh', label: EXAMPLE_LABEL, total: DEFAULT_HEDGE_CONFIG.paths });
      await jobs.idle();
      db.prepare(`INSERT OR REPLACE INTO app_meta (key, value) VALUES ('example-seeded', ?)`).run(String(Date.now()));
    }
    await seedOrderbookExample({ db }); // the order-book sample and its path set (own app_meta key; ~0.2 s)
  }

  const watch =
    opts.watchExternalMs === undefined
      ? null
      : watchExternalRuns({ db, intervalMs: opts.watchExternalMs, onChange: (runIds) => emit('runs-changed', { runIds }) });

  return {
    handlers,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    runs,
    jobs,
    reads,
    db,
    files,
    cluster,
    backendReady,
    async close() {
      watch?.stop();
      await jobs.shutdown();
      await cluster.close();
      await reads.close();
      await backendReady.catch(() => {});
      db.close();
    },
  };
}
