import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type AppError, toAppError } from '../../src-shared/api/errors';
import { type AnyRun } from '../../src-shared/api/runs';
import { type Method } from '../../src-shared/api/contract';
import { dispatch } from '../host/dispatch';
import { valuePreview } from '../host/jsonShape';
import { defaultDataDir } from '../paths';
import { createWorkstation, type Workstation } from '../workstation';
import { appVersion, workerEntry } from '../entry';
import { FilePolicy } from '../files/policy';
import { redisUrlProblem, redisUrlWithoutPassword } from '../../src-shared/cluster/contract';

/** Shared plumbing of the CLI commands: the store, running a job to its end, errors and number parsing. */

export function fail(msg: string, code = 2): never {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
}

/**
 * Print an AppError and exit; with --json also as `{ error }` on stdout. A request that failed its schema
 * (INVALID_INPUT: the flags) is listed flag by flag; anything else (a data error naming file, row and column,
 * a missing path, a failed run) is printed as its message, never as "invalid arguments" with made-up flags.
 */
export function reportError(error: AppError, json: boolean | undefined, code = 2): never {
  if (json) process.stdout.write(`${JSON.stringify({ error })}\n`);
  if (error.type === 'validation' && error.code === 'INVALID_INPUT' && error.fields?.length) {
    const lines = error.fields.map((f) => `  ${f.field === 'path' ? 'PATH' : `--${f.field}`}: ${f.message} (got ${valuePreview(f.value)})`);
    fail(['error: invalid arguments', ...lines].join('\n'), code);
  }
  fail(`error: ${error.message}`, code);
}

/** A numeric flag, or the raw text when it is not a number (so the error can quote what was typed). */
export const num = (v: string | undefined): number | undefined =>
  v === undefined ? undefined : v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : (v as unknown as number);

/** 6 significant digits, integers as they are. */
export const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(6));

export interface CliCluster {
  redisUrl: string;
  insecure: boolean;
}

let cliCluster: CliCluster | null = null;

/** The cluster every workstation this process opens sends its jobs to (`--cluster`), or null for this machine. */
export function setCliCluster(c: CliCluster | null): void {
  cliCluster = c;
}

/**
 * Take `--cluster URL` (or `--cluster=URL`) and `--insecure` out of the arguments; a bad or missing URL, or
 * `--insecure` without `--cluster`, ends the process with the reason.
 */
export function takeClusterFlags(argv: string[]): { cluster: CliCluster | null; rest: string[] } {
  const rest: string[] = [];
  let url: string | null = null;
  let insecure = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--insecure') insecure = true;
    else if (a === '--cluster') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) fail('--cluster needs the Redis URL: --cluster redis://[user:password@]host:port (rediss:// for TLS)');
      url = v;
      i++;
    } else if (a.startsWith('--cluster=')) url = a.slice('--cluster='.length);
    else rest.push(a);
  }
  if (url === null) {
    if (insecure) fail('--insecure only applies with --cluster URL (it lets the cluster use a Redis that asks no password)');
    return { cluster: null, rest };
  }
  const problem = redisUrlProblem(url);
  if (problem) fail(`--cluster: the Redis URL ${problem}`);
  return { cluster: { redisUrl: url.trim(), insecure }, rest };
}

export async function openCliWorkstation(dataDirFlag: string | undefined): Promise<{ ws: Workstation; dataDir: string }> {
  const dataDir = resolve(dataDirFlag ?? defaultDataDir());
  // The person at the shell can read any file they name, so the CLI's file policy is open.
  const files = new FilePolicy({ mode: 'open', dataDir });
  const ws = await createWorkstation({ dataDir, workerPath: workerEntry(__dirname), transport: 'browser', appVersion: appVersion(), probe: false, files });
  if (cliCluster) {
    try {
      const info = await ws.cluster.useOnce(cliCluster);
      process.stderr.write(
        `computing on the cluster at ${redisUrlWithoutPassword(cliCluster.redisUrl)}: ${info.workers} worker${info.workers === 1 ? '' : 's'}, ${info.waiting} waiting, ${info.active} active${info.workers === 0 ? ' (jobs wait until a worker starts: npm run worker -- --redis URL)' : ''}\n`,
      );
    } catch (e) {
      await ws.close();
      return reportError(toAppError(e), process.argv.includes('--json'));
    }
  }
  return { ws, dataDir };
}

/**
 * Call a handler that starts a job (returns `{ runId }`), wait for the run to end, and return it; on bad
 * input or a failed run, report and exit. Ctrl-C cancels the job (recorded as cancelled) and exits 130.
 */
export async function runToEnd(
  method: Method,
  args: unknown,
  opts: { dataDir?: string; json?: boolean },
): Promise<{ run: AnyRun; dataDir: string; totalSeconds: number }> {
  const t0 = performance.now();
  const { ws, dataDir } = await openCliWorkstation(opts.dataDir);
  const showProgress = !opts.json && process.stderr.isTTY;
  ws.subscribe((event, payload) => {
    if (showProgress && event === 'run-progress') {
      const p = payload as { done: number; total: number };
      process.stderr.write(`\r${p.done.toLocaleString()} / ${p.total.toLocaleString()}`);
    }
  });
  process.once('SIGINT', () => void ws.jobs.shutdown({ cancelCluster: true }).then(() => fail('\ncancelled', 130)));
  const started = await dispatch(ws.handlers, 1, method, args);
  if (!started.ok) {
    await ws.close();
    return reportError(started.error, opts.json);
  }
  const { runId } = started.result as { runId: string };
  await ws.jobs.idle();
  const run = ws.runs.get(runId)!;
  await ws.close();
  if (showProgress) process.stderr.write('\n');
  if (run.status !== 'done' || !run.metrics) {
    return reportError(run.error ?? { type: 'job', code: 'NOT_DONE', message: `run ended as ${run.status}` }, opts.json, 1);
  }
  return { run, dataDir, totalSeconds: (performance.now() - t0) / 1000 };
}

/** Print rows as an aligned two-column table. */
export function printTable(rows: Array<[string, number | string]>): void {
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(24)} ${typeof v === 'number' ? fmt(v) : v}\n`);
}
