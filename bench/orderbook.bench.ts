/**
 * Order-book benchmark: `npm run bench:orderbook` (add `-- --rows 2000000` for a quicker run).
 *
 * 1. Generates a 10-million-row book file (one stock, competition layout) as Parquet and as CSV into a temp
 *    folder (never committed; removed at the end) with the project's generator.
 * 2. Imports each in a FRESH process through the app's path (handler -> job worker -> staging -> one
 *    transaction) and reports end-to-end rows per second (wall clock, from the request to the stored data
 *    set), rows per CPU-second (all threads), and the process's peak resident memory.
 * 3. Imports one stock with 4,000 buckets (about 1.7 million rows) and times loading all of its buckets for the
 *    chart ('orderbook-series', whole stock reduced to 3,000 bins) and for the path builder (seconds + WAP of
 *    every bucket), median of 5 after one warm-up, and a whole path build.
 * 4. LOBSTER (issue 15): generates a pair of 10 million events at 10 levels (`npm run gen:orderbook -- --format
 *    lobster`, about 2.8 GB) and imports it end to end in a fresh process the same way; prints events/s, MB and
 *    wall time, and the peak RSS (the process's high-water mark, which includes its worker threads).
 * Targets (issue 4): >= 500,000 rows/s for Parquet and for CSV, peak memory < 700 MB for the 10M-row file,
 * < 300 ms for loading the 4,000 buckets; issue 15: >= 500,000 events/s and < 700 MB for the LOBSTER pair.
 * The machine is shared: the load average is printed with the figures.
 * Options: `--rows N` (books), `--events N` (LOBSTER), `--levels L` (LOBSTER), `--only books|lobster`, `--keep`,
 * `--file DIR` (LOBSTER: import the pair already in DIR instead of generating one; it is not removed).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type ImportMetrics, type SeriesData } from '../src-shared/orderbook/contract';
import { dispatch } from '../src-main/host/dispatch';
import { createWorkstation } from '../src-main/workstation';
import { orderbookQueries } from '../src-main/store/queries/orderbook';
import { buildPaths } from '../src-main/domains/orderbook/pathsJob';

const ROOT = join(__dirname, '..');
const ROWS_PER_BUCKET = 410; // a little under the generator's mean at intensity 0.6, so the file has at least the target rows
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};
const tsx = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });

function generate(out: string, format: 'parquet' | 'csv', buckets: number): { rows: number; bytes: number; seconds: number } {
  const r = tsx('src-main/tools/gen-orderbook.ts', ['--stocks', '1', '--buckets', String(buckets), '--format', format, '--out', out, '--json', '--seed', '3']);
  if (r.status !== 0) throw new Error(`generator failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { rows: number; bytes: number; seconds: number };
}

interface ImportFigures {
  format: string;
  rows: number;
  fileMB: number;
  wallSeconds: number;
  rowsPerSecond: number;
  rowsPerCpuSecond: number;
  peakRssMB: number;
  reader: string;
  jobSeconds: number;
  loadAverage: number[];
}

function importInChild(format: 'parquet' | 'csv' | 'lobster', path: string, fileMB: number): ImportFigures {
  const dataDir = mkdtempSync(join(tmpdir(), `hw-bench-ob-${format}-`));
  const load = loadavg();
  // The app reads files under the data folder, the home folder and allowed folders only: allow the bench's folder.
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/orderbook-import.child.ts'), dataDir, path], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, HEDGE_ALLOW_DIRS: dirname(path) },
  });
  rmSync(dataDir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`import of ${path} failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { metrics: ImportMetrics; wallSeconds: number; cpuSeconds: number; peakRssMB: number };
  return {
    format,
    rows: out.metrics.rows,
    fileMB,
    wallSeconds: out.wallSeconds,
    rowsPerSecond: out.metrics.rows / out.wallSeconds,
    rowsPerCpuSecond: out.metrics.rows / out.cpuSeconds,
    peakRssMB: out.peakRssMB,
    reader: out.metrics.reader,
    jobSeconds: out.metrics.seconds,
    loadAverage: load.map((x) => Number(x.toFixed(2))),
  };
}

async function loadTimes(work: string): Promise<Record<string, number>> {
  const out = join(work, 'four-thousand');
  const g = generate(out, 'parquet', 4000);
  const dataDir = join(work, 'data-4000');
  mkdirSync(dataDir, { recursive: true });
  const ws = await createWorkstation({ dataDir, workerPath: join(ROOT, 'src-main', 'app', 'worker.ts'), transport: 'browser', appVersion: 'bench', probe: false });
  try {
    const r = await dispatch(ws.handlers, 1, 'orderbook-import', { path: join(out, 'book_train.parquet') });
    if (!r.ok) throw new Error(r.error.message);
    await ws.jobs.idle();
    const run = ws.runs.get((r.result as { runId: string }).runId)!;
    const datasetId = (run.metrics as ImportMetrics).datasetId;
    const q = orderbookQueries(ws.db);
    const chart: number[] = [];
    const chartCpu: number[] = [];
    const paths: number[] = [];
    const pathsCpu: number[] = [];
    let chartRows = 0;
    let pathRows = 0;
    const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;
    for (let i = 0; i < 6; i++) {
      let t0 = performance.now();
      let c0 = process.cpuUsage();
      const s = await dispatch(ws.handlers, 1, 'orderbook-series', { datasetId, stockId: 0, maxPoints: 3000 });
      if (!s.ok) throw new Error(s.error.message);
      chartRows = (s.result as SeriesData).rows;
      if (i > 0) {
        chart.push(performance.now() - t0);
        chartCpu.push(cpuMs(process.cpuUsage(c0)));
      }
      t0 = performance.now();
      c0 = process.cpuUsage();
      const series = q.wapSeries(datasetId, 0, 'all');
      pathRows = series.reduce((a, b) => a + b.wap.length, 0);
      if (i > 0) {
        paths.push(performance.now() - t0);
        pathsCpu.push(cpuMs(process.cpuUsage(c0)));
      }
    }
    const t0 = performance.now();
    const built = await buildPaths({ datasetId, steps: 30 }, { hooks: {}, dataDir, runId: null }, ws.db);
    return {
      buckets: (run.metrics as ImportMetrics).buckets,
      rows: g.rows,
      chartLoadMs: median(chart),
      chartLoadCpuMs: median(chartCpu),
      chartRows,
      pathLoadMs: median(paths),
      pathLoadCpuMs: median(pathsCpu),
      pathRows,
      pathBuildMs: performance.now() - t0,
      windows: built.train + built.test,
    };
  } finally {
    await ws.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '10000000' },
      events: { type: 'string', default: '10000000' },
      levels: { type: 'string', default: '10' },
      only: { type: 'string' },
      keep: { type: 'boolean', default: false },
      file: { type: 'string' },
    },
  });
  const targetRows = Number(values.rows);
  const buckets = Math.ceil(targetRows / ROWS_PER_BUCKET);
  const work = mkdtempSync(join(tmpdir(), 'hw-bench-orderbook-'));
  console.log(`order-book benchmark in ${work} (${availableParallelism()} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  try {
    const imports: ImportFigures[] = [];
    let lobster: (ImportFigures & { events: number; generateSeconds: number | null; file: string | null }) | null = null;
    if (values.only !== 'books') {
      const out = values.file ?? join(work, 'lobster');
      const t0 = performance.now();
      let bytes: number;
      if (values.file) {
        bytes = readdirSync(out).reduce((a, f) => a + statSync(join(out, f)).size, 0);
        console.log(`importing the LOBSTER pair in ${out} (${(bytes / 1e6).toFixed(0)} MB)`);
      } else {
        const r = tsx('src-main/tools/gen-orderbook.ts', ['--format', 'lobster', '--events', values.events!, '--levels', values.levels!, '--out', out, '--json', '--seed', '3']);
        if (r.status !== 0) throw new Error(`generator failed: ${r.stderr}`);
        const g = JSON.parse(r.stdout) as { messages: number; bytes: number };
        bytes = g.bytes;
        console.log(`generated a LOBSTER pair of ${g.messages.toLocaleString('en-US')} events at ${values.levels} levels (${(g.bytes / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
      const generateSeconds = values.file ? null : (performance.now() - t0) / 1000;
      const f = importInChild('lobster', out, bytes / 1e6);
      lobster = { ...f, events: f.rows, generateSeconds, file: values.file ?? null };
      console.log(
        `  import LOBSTER: ${f.rows.toLocaleString('en-US')} events, ${f.fileMB.toFixed(0)} MB in ${f.wallSeconds.toFixed(1)} s = ${Math.round(f.rowsPerSecond).toLocaleString('en-US')} events/s end to end` +
          ` (${Math.round(f.rowsPerCpuSecond).toLocaleString('en-US')} per CPU-second), peak RSS ${f.peakRssMB.toFixed(0)} MB (target < 700 MB), reader ${f.reader}, load ${f.loadAverage.join(' ')}`,
      );
      if (!values.keep && !values.file) rmSync(out, { recursive: true, force: true });
    }
    for (const format of values.only === 'lobster' ? [] : (['parquet', 'csv'] as const)) {
      const out = join(work, format);
      const t0 = performance.now();
      const g = generate(out, format, buckets);
      console.log(`generated ${g.rows.toLocaleString('en-US')} rows as ${format} (${(g.bytes / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const f = importInChild(format, join(out, `book_train.${format}`), g.bytes / 1e6);
      imports.push(f);
      console.log(
        `  import ${format}: ${f.rows.toLocaleString('en-US')} rows in ${f.wallSeconds.toFixed(1)} s = ${Math.round(f.rowsPerSecond).toLocaleString('en-US')} rows/s end to end` +
          ` (${Math.round(f.rowsPerCpuSecond).toLocaleString('en-US')} rows per CPU-second), peak RSS ${f.peakRssMB.toFixed(0)} MB, reader ${f.reader}, load ${f.loadAverage.join(' ')}`,
      );
      rmSync(out, { recursive: true, force: true });
    }
    const loads = values.only === 'lobster' ? null : await loadTimes(work);
    if (loads) console.log(
      `  one stock, ${loads.buckets} buckets (${loads.rows.toLocaleString('en-US')} rows): chart load ${loads.chartLoadMs.toFixed(0)} ms (${loads.chartLoadCpuMs.toFixed(0)} ms CPU; whole stock -> 3,000 bins), ` +
        `path-builder load ${loads.pathLoadMs.toFixed(0)} ms (${loads.pathLoadCpuMs.toFixed(0)} ms CPU; seconds + WAP of every bucket), path build ${loads.pathBuildMs.toFixed(0)} ms (${loads.windows} windows)`,
    );
    const result = { date: new Date().toISOString(), cpus: availableParallelism(), targetRows, imports, loads, lobster };
    const file = join(ROOT, 'bench', 'results', values.only === 'lobster' ? 'orderbook-lobster.json' : 'orderbook.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`figures written to ${file}`);
  } finally {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
