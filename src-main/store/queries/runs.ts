import { type Db } from '../db';
import { type AppError } from '../../../src-shared/api/errors';
import { type AnyRun, type RunStatus } from '../../../src-shared/api/runs';

/** Typed arrays stored as blobs (little-endian bytes, as every supported platform is). */
export type StoredArray = Float64Array | Float32Array | Int32Array;
const DTYPE: Record<string, 'f64' | 'f32' | 'i32'> = { Float64Array: 'f64', Float32Array: 'f32', Int32Array: 'i32' };

interface RunRow {
  id: string;
  kind: string;
  model: string;
  label: string;
  status: RunStatus;
  config_json: string;
  seed: number;
  backend: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  wall_ms: number | null;
  progress_done: number;
  progress_total: number;
  metrics_json: string | null;
  error_json: string | null;
  group_id: string | null;
  compute: 'local' | 'cluster';
}

const toSummary = (r: RunRow): AnyRun => ({
  id: r.id,
  kind: r.kind,
  model: r.model,
  label: r.label,
  status: r.status,
  config: JSON.parse(r.config_json) as unknown,
  seed: r.seed,
  backend: r.backend,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  wallMs: r.wall_ms,
  progress: { done: r.progress_done, total: r.progress_total },
  metrics: r.metrics_json ? (JSON.parse(r.metrics_json) as unknown) : null,
  error: r.error_json ? (JSON.parse(r.error_json) as AppError) : null,
  groupId: r.group_id,
  compute: r.compute === 'cluster' ? 'cluster' : 'local',
});

export interface NewRun {
  id: string;
  kind: string;
  model: string;
  label: string;
  config: unknown;
  seed: number;
  total: number;
  groupId?: string | null;
  /** Where it computes (default 'local'). */
  compute?: 'local' | 'cluster';
}

/** Every read and write of the `runs` and `run_arrays` tables. */
export function runQueries(db: Db) {
  const s = {
    insert: db.prepare(
      `INSERT INTO runs (id, kind, model, label, status, config_json, seed, created_at, progress_total, owner_pid, group_id, compute)
       VALUES (@id, @kind, @model, @label, 'queued', @config_json, @seed, @created_at, @total, @pid, @group_id, @compute)`,
    ),
    start: db.prepare(
      `UPDATE runs SET status = 'running', started_at = ?, backend = ? WHERE id = ? AND status = 'queued'`,
    ),
    progress: db.prepare(`UPDATE runs SET progress_done = ? WHERE id = ? AND status = 'running'`),
    finish: db.prepare(
      `UPDATE runs SET status = 'done', finished_at = ?, wall_ms = ?, metrics_json = ?, progress_done = progress_total
       WHERE id = ? AND status = 'running'`,
    ),
    end: db.prepare(
      `UPDATE runs SET status = ?, finished_at = ?, error_json = ? WHERE id = ? AND status IN ('queued','running')`,
    ),
    putArray: db.prepare(
      `INSERT OR REPLACE INTO run_arrays (run_id, name, dtype, length, data) VALUES (?, ?, ?, ?, ?)`,
    ),
    getArray: db.prepare(`SELECT dtype, length, data FROM run_arrays WHERE run_id = ? AND name = ?`),
    get: db.prepare(`SELECT * FROM runs WHERE id = ?`),
    list: db.prepare(`SELECT * FROM runs ORDER BY created_at DESC, id DESC`),
    count: db.prepare(`SELECT COUNT(*) AS runs, COALESCE(SUM(status IN ('queued','running')), 0) AS active FROM runs`),
    listKind: db.prepare(`SELECT * FROM runs WHERE kind = ? ORDER BY created_at DESC, id DESC`),
    del: db.prepare(`DELETE FROM runs WHERE id = ?`),
    live: db.prepare(`SELECT id, owner_pid FROM runs WHERE status IN ('queued','running') AND compute = 'local'`),
    liveCluster: db.prepare(`SELECT id FROM runs WHERE status IN ('queued','running') AND compute = 'cluster' ORDER BY created_at, id`),
    status: db.prepare(`SELECT status FROM runs WHERE id = ?`),
  };

  return {
    create(run: NewRun): void {
      s.insert.run({
        id: run.id,
        kind: run.kind,
        model: run.model,
        label: run.label,
        config_json: JSON.stringify(run.config),
        seed: run.seed,
        created_at: Date.now(),
        total: run.total,
        pid: process.pid,
        group_id: run.groupId ?? null,
        compute: run.compute ?? 'local',
      });
    },
    markRunning(id: string, backend: string): boolean {
      return s.start.run(Date.now(), backend, id).changes === 1;
    },
    setProgress(id: string, done: number): void {
      s.progress.run(done, id);
    },
    /**
     * Results and status change land together or not at all, only from a live state. A result delivered again
     * for a run that is already done (a cluster job's result seen twice) is a no-op: returns false, stores nothing.
     * A run that ended otherwise (cancelled, failed, interrupted) refuses it with an error.
     */
    finish(id: string, result: { wallMs: number; metrics: unknown; arrays: Record<string, StoredArray> }): boolean {
      return db.transaction(() => {
        if ((s.status.get(id) as { status: RunStatus } | undefined)?.status === 'done') return false;
        for (const [name, arr] of Object.entries(result.arrays)) {
          const dtype = DTYPE[arr.constructor.name];
          if (!dtype) throw new Error(`unsupported array type ${arr.constructor.name} for ${name}`);
          s.putArray.run(id, name, dtype, arr.length, Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength));
        }
        if (s.finish.run(Date.now(), result.wallMs, JSON.stringify(result.metrics), id).changes !== 1) {
          throw new Error(`run ${id} is no longer running; its result was not stored`);
        }
        return true;
      })();
    },
    /** failed / cancelled / interrupted; only from a live state, so a finished run is never overwritten. */
    end(id: string, status: 'failed' | 'cancelled' | 'interrupted', error: AppError | null): boolean {
      return s.end.run(status, Date.now(), error ? JSON.stringify(error) : null, id).changes === 1;
    },
    get(id: string): AnyRun | null {
      const r = s.get.get(id) as RunRow | undefined;
      return r ? toSummary(r) : null;
    },
    /** Newest first; only runs of `kind` when given. */
    /** How many runs are stored, and how many of them are queued or running (one COUNT query, no rows read). */
    count(): { runs: number; active: number } {
      const r = s.count.get() as { runs: number; active: number };
      return { runs: Number(r.runs), active: Number(r.active) };
    },
    list(kind?: string): AnyRun[] {
      return ((kind ? s.listKind.all(kind) : s.list.all()) as RunRow[]).map(toSummary);
    },
    getArray(id: string, name: string): Float64Array | Float32Array | Int32Array | null {
      const r = s.getArray.get(id, name) as { dtype: string; length: number; data: Buffer } | undefined;
      if (!r) return null;
      // Copy into a fresh, aligned buffer: the Buffer from SQLite may not be 8-byte aligned.
      const bytes = new Uint8Array(r.data.byteLength);
      bytes.set(r.data);
      if (r.dtype === 'f64') return new Float64Array(bytes.buffer, 0, r.length);
      if (r.dtype === 'f32') return new Float32Array(bytes.buffer, 0, r.length);
      return new Int32Array(bytes.buffer, 0, r.length);
    },
    delete(ids: string[]): number {
      return db.transaction(() => ids.reduce((n, id) => n + s.del.run(id).changes, 0))();
    },
    /** Runs on the cluster still queued or running (to reattach to when a cluster backend is set), oldest first. */
    liveCluster(): string[] {
      return (s.liveCluster.all() as Array<{ id: string }>).map((r) => r.id);
    },
    /**
     * Runs left queued or running by a process that is gone (the app died mid-run) become `interrupted`,
     * never `done`. Runs owned by a live process (another window, the CLI) are left alone, and so are runs on the
     * cluster (compute 'cluster'): their jobs go on without this app and are reattached when it connects again.
     */
    markInterrupted(isAlive: (pid: number) => boolean = pidAlive): string[] {
      const dead = (s.live.all() as Array<{ id: string; owner_pid: number | null }>).filter(
        // Called when the store opens, before this process starts any job: its own pid here is a previous
        // process that had the same pid.
        (r) => r.owner_pid === null || r.owner_pid === process.pid || !isAlive(r.owner_pid),
      );
      const error: AppError = {
        type: 'job',
        code: 'INTERRUPTED',
        message: 'the app stopped while this run was in progress; its partial results were discarded',
      };
      db.transaction(() => dead.forEach((r) => s.end.run('interrupted', Date.now(), JSON.stringify(error), r.id)))();
      return dead.map((r) => r.id);
    },
  };
}

export type RunQueries = ReturnType<typeof runQueries>;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
