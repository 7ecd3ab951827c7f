import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type AppError } from '../../src-shared/api/errors';
import { type AnyRun } from '../../src-shared/api/runs';
import { type Method } from '../../src-shared/api/contract';
import { dispatch } from '../host/dispatch';
import { valuePreview } from '../host/jsonShape';
import { defaultDataDir } from '../paths';
import { createWorkstation, type Workstation } from '../workstation';
import { appVersion, workerEntry } from '../entry';
import { FilePolicy } from '../files/policy';

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

export async function openCliWorkstation(dataDirFlag: string | undefined): Promise<{ ws: Workstation; dataDir: string }> {
  const dataDir = resolve(dataDirFlag ?? defaultDataDir());
  // The person at the shell can read any file they name, so the CLI's file policy is open.
  const files = new FilePolicy({ mode: 'open', dataDir });
  const ws = await createWorkstation({ dataDir, workerPath: workerEntry(__dirname), transport: 'browser', appVersion: appVersion(), probe: false, files });
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
  process.once('SIGINT', () => void ws.jobs.shutdown().then(() => fail('\ncancelled', 130)));
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
