import { type Db } from './db';

export interface ExternalRunsWatch {
  /** Check once now (the timer calls this); returns the ids reported, empty when nothing changed. */
  check(): string[] | null;
  stop(): void;
}

interface Row {
  id: string;
  status: string;
  progress_done: number;
  owner_pid: number | null;
  created_at: number;
}

/**
 * Notices runs that another process (the CLI, a second app window's host) writes into the same SQLite file,
 * so an open app can show them without a manual Refresh.
 *
 * Every `intervalMs` it reads `PRAGMA data_version`, which SQLite changes only when *another* connection has
 * committed (this connection's own writes leave it alone), so an idle check costs one pragma. When it moved,
 * it reads the runs that can have changed — created since the newest one seen, still queued/running, or
 * active at the previous check — and reports those whose status or progress differ from what it saw, or
 * whose number changed (a deletion). Rows owned by this process (`owner_pid`, written by this process's job
 * workers on their own connections) are left out: the job manager already pushes their events.
 */
export function watchExternalRuns(opts: {
  db: Db;
  onChange: (runIds: string[]) => void;
  intervalMs?: number;
  ownPid?: number;
}): ExternalRunsWatch {
  const { db, onChange } = opts;
  const ownPid = opts.ownPid ?? process.pid;
  const version = db.prepare('PRAGMA data_version').pluck();
  const count = db.prepare('SELECT count(*) FROM runs').pluck();
  const newest = db.prepare('SELECT coalesce(max(created_at), 0) FROM runs').pluck();
  const candidates = db.prepare(
    `SELECT id, status, progress_done, owner_pid, created_at FROM runs
     WHERE created_at >= @since OR status IN ('queued', 'running') OR id IN (SELECT value FROM json_each(@prev))`,
  );
  const signature = (r: Row): string => `${r.status}:${r.progress_done}`;

  let lastVersion = version.get() as number;
  let lastCount = count.get() as number;
  let since = newest.get() as number;
  let seen = new Map<string, string>(
    (candidates.all({ since, prev: '[]' }) as Row[]).map((r) => [r.id, signature(r)]),
  );

  const check = (): string[] | null => {
    const v = version.get() as number;
    if (v === lastVersion) return null;
    lastVersion = v;
    const rows = candidates.all({ since, prev: JSON.stringify([...seen.keys()]) }) as Row[];
    const changed = rows.filter((r) => r.owner_pid !== ownPid && seen.get(r.id) !== signature(r)).map((r) => r.id);
    const n = count.get() as number;
    const deleted = n < lastCount;
    lastCount = n;
    since = rows.reduce((m, r) => Math.max(m, r.created_at), since);
    seen = new Map(rows.filter((r) => r.created_at >= since || r.status === 'queued' || r.status === 'running').map((r) => [r.id, signature(r)]));
    if (changed.length === 0 && !deleted) return [];
    onChange(changed);
    return changed;
  };

  const timer = setInterval(() => {
    try {
      check();
    } catch {
      // The store is closing (or busy past its timeout): the next tick tries again.
    }
  }, opts.intervalMs ?? 1000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
