import { type Workstation } from '../../src-main/workstation';

/**
 * Finished runs with large stored PnL samples, written straight into the store (the heavy-read tests and
 * `npm run bench:host`): run i holds `paths` values of a seeded uniform mix (Park–Miller), so distributions
 * are non-trivial and the same on every machine.
 */
export function storeBigRuns(ws: Workstation, count: number, paths: number, seed = 1): string[] {
  let s = seed;
  const rnd = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `00000000-0000-4000-8000-${String(seed * 1000 + i).padStart(12, '0')}`;
    const pnl = new Float64Array(paths);
    for (let j = 0; j < paths; j++) pnl[j] = rnd() - 0.5 + 0.02 * i * rnd();
    ws.runs.create({ id, kind: 'hedge', model: 'bsdh', label: `big run ${i}`, config: {}, seed, total: paths });
    ws.runs.markRunning(id, 'js-float64');
    ws.runs.finish(id, { wallMs: 1, metrics: {}, arrays: { pnl } });
    ids.push(id);
  }
  return ids;
}

/**
 * Ask `system-info` over and over on another client while `heavy` runs; the longest answer is the stall
 * another client sees. Returns the heavy call's time, the longest and the count of system-info answers.
 */
export async function stallDuring<T>(
  heavy: () => Promise<T>,
  ping: () => Promise<{ ms: number }>,
): Promise<{ result: T; heavyMs: number; maxPingMs: number; p99PingMs: number; pings: number }> {
  let done = false;
  let maxPingMs = 0;
  let pings = 0;
  const all: number[] = [];
  const pinger = (async () => {
    while (!done) {
      const { ms } = await ping();
      maxPingMs = Math.max(maxPingMs, ms);
      all.push(ms);
      pings++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const t0 = performance.now();
  const result = await heavy();
  const heavyMs = performance.now() - t0;
  done = true;
  await pinger;
  const sorted = all.sort((a, b) => a - b);
  const p99PingMs = sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] : 0;
  return { result, heavyMs, maxPingMs, p99PingMs, pings };
}

/**
 * A built path set of `windows` train windows of `steps` steps, written straight into the store in chunks
 * of 256 windows (as the paths job stores them); point j of window w is `cell(w, j)`, stock id = w.
 */
export function storePathSet(ws: Workstation, id: string, steps: number, windows: number, cell: (w: number, j: number) => number): void {
  const width = steps + 1;
  const CHUNK = 256;
  ws.db
    .prepare(
      `INSERT INTO orderbook_path_sets (id, dataset_id, label, config_json, steps, interval_seconds, dt_years, wap, windows, train_count, test_count,
        dropped, sigma_train, sigma_test, cut_time_id, build_run_id, created_at) VALUES (?, NULL, 'big path set', '{}', ?, 1, 1e-6, 'all', 'rolling', ?, 0, 0, 0.2, 0.2, 0, NULL, ?)`,
    )
    .run(id, steps, windows, Date.now());
  const put = ws.db.prepare(`INSERT INTO orderbook_path_chunks VALUES (?, 'train', ?, ?, ?, ?, ?, ?, ?)`);
  ws.db.transaction(() => {
    for (let first = 0, c = 0; first < windows; first += CHUNK, c++) {
      const n = Math.min(CHUNK, windows - first);
      const paths = new Float64Array(n * width);
      for (let w = 0; w < n; w++) for (let j = 0; j < width; j++) paths[w * width + j] = cell(first + w, j);
      const ids = Int32Array.from({ length: n }, (_, w) => first + w);
      put.run(id, c, first, n, Buffer.from(ids.buffer), Buffer.from(ids.buffer), Buffer.from(new Float64Array(n).buffer), Buffer.from(paths.buffer));
    }
  })();
}
