import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { dispatch } from '../host/dispatch';
import { defaultDataDir } from '../paths';
import { createWorkstation } from '../workstation';
import { appVersion, workerEntry } from '../entry';
import { DEFAULT_HEDGE_CONFIG } from '../../src-shared/hedging/config';
import { type AppError } from '../../src-shared/api/errors';

/**
 * Headless CLI on the same engine, job workers and store as the app.
 *   npm run -s cli -- hedge --model bsdh --option european --strike 1 --sigma 0.1 --cost 0.002 \
 *     --days 30 --paths 100000 --seed 1 --json
 */
const USAGE = `usage: npm run -s cli -- hedge [options] [--json]
  --model bsdh            hedging model (later: mlp, ntb, dhlnn)
  --option european|lookback
  --strike K              strike, P_0 = 1            (default ${DEFAULT_HEDGE_CONFIG.strike})
  --sigma S               annualised volatility      (default ${DEFAULT_HEDGE_CONFIG.sigma})
  --drift MU              annualised drift           (default ${DEFAULT_HEDGE_CONFIG.drift})
  --days D                calendar days to maturity  (default ${DEFAULT_HEDGE_CONFIG.days})
  --steps N               rebalancing dates          (default: one per day)
  --cost C                proportional cost rate     (default ${DEFAULT_HEDGE_CONFIG.cost})
  --paths N               Monte Carlo paths          (default ${DEFAULT_HEDGE_CONFIG.paths})
  --seed N                RNG seed                   (default ${DEFAULT_HEDGE_CONFIG.seed})
  --label TEXT            run label
  --data-dir DIR          store location (default: the app's, or HEDGE_DATA_DIR)
  --json                  print one JSON object`;

function fail(msg: string, code = 2): never {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
}

/** A numeric flag, or the raw text when it is not a number (so the error can quote what was typed). */
const num = (v: string | undefined): number | undefined =>
  v === undefined ? undefined : v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : (v as unknown as number);

async function hedge(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: 'bsdh' },
      option: { type: 'string', default: 'european' },
      strike: { type: 'string' },
      sigma: { type: 'string' },
      drift: { type: 'string' },
      days: { type: 'string' },
      steps: { type: 'string' },
      cost: { type: 'string' },
      paths: { type: 'string' },
      seed: { type: 'string' },
      label: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const days = num(values.days) ?? DEFAULT_HEDGE_CONFIG.days;
  const args = {
    model: values.model,
    option: values.option,
    strike: num(values.strike) ?? DEFAULT_HEDGE_CONFIG.strike,
    sigma: num(values.sigma) ?? DEFAULT_HEDGE_CONFIG.sigma,
    drift: num(values.drift) ?? DEFAULT_HEDGE_CONFIG.drift,
    days,
    steps: num(values.steps) ?? (Number.isInteger(days) ? days : DEFAULT_HEDGE_CONFIG.steps),
    cost: num(values.cost) ?? DEFAULT_HEDGE_CONFIG.cost,
    paths: num(values.paths) ?? DEFAULT_HEDGE_CONFIG.paths,
    seed: num(values.seed) ?? DEFAULT_HEDGE_CONFIG.seed,
    ...(values.label ? { label: values.label } : {}),
  };
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const t0 = performance.now();
  const ws = await createWorkstation({ dataDir, workerPath: workerEntry(__dirname), transport: 'browser', appVersion: appVersion(), probe: false });
  const showProgress = !values.json && process.stderr.isTTY;
  ws.subscribe((event, payload) => {
    if (showProgress && event === 'run-progress') {
      const p = payload as { done: number; total: number };
      process.stderr.write(`\r${p.done.toLocaleString()} / ${p.total.toLocaleString()} paths`);
    }
  });
  const cancel = (): void => {
    ws.jobs.shutdown().then(() => fail('\ncancelled', 130));
  };
  process.once('SIGINT', cancel);

  const started = await dispatch(ws.handlers, 1, 'hedging-start', args);
  if (!started.ok) {
    await ws.close();
    return reportError(started.error, values.json);
  }
  const { runId } = started.result as { runId: string };
  await ws.jobs.idle();
  const run = ws.runs.get(runId)!;
  await ws.close();
  if (showProgress) process.stderr.write('\n');
  if (run.status !== 'done' || !run.metrics) {
    return reportError(run.error ?? { type: 'job', code: 'NOT_DONE', message: `run ended as ${run.status}` }, values.json, 1);
  }
  const out = {
    runId,
    status: run.status,
    model: run.model,
    option: run.config.option,
    config: run.config,
    backend: run.backend,
    ...run.metrics,
    wallSeconds: (run.wallMs ?? 0) / 1000,
    totalSeconds: (performance.now() - t0) / 1000,
    dataDir,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    const m = run.metrics;
    const f = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(6));
    const rows: Array<[string, number | string]> = [
      ['run', runId], ['paths', run.metrics.paths], ['premium (closed form)', run.metrics.premium], ['mean PnL', run.metrics.mean],
      ['std PnL', run.metrics.std], ['entropic loss (a=1)', run.metrics.entropic], ['VaR 90/95/99', `${f(m.var90)} / ${f(m.var95)} / ${f(m.var99)}`],
      ['ES 90/95/99', `${f(m.es90)} / ${f(m.es95)} / ${f(m.es99)}`], ['indifference price', run.metrics.indifferencePrice],
      ['mean cost', run.metrics.meanCost], ['compute (s)', out.wallSeconds], ['total (s)', out.totalSeconds],
    ];
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(24)} ${typeof v === 'number' ? f(v) : v}\n`);
  }
}

function reportError(error: AppError, json: boolean | undefined, code = 2): never {
  if (json) process.stdout.write(`${JSON.stringify({ error })}\n`);
  const lines = error.fields?.length ? error.fields.map((f) => `  --${f.field}: ${f.message} (got ${JSON.stringify(f.value)})`) : [];
  fail([`error: ${error.fields?.length ? 'invalid arguments' : error.message}`, ...lines].join('\n'), code);
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === 'hedge') return hedge(rest);
  fail(cmd && cmd !== '--help' ? `unknown command "${cmd}"\n${USAGE}` : USAGE, cmd && cmd !== '--help' ? 2 : 0);
}

main().catch((e) => fail(`error: ${e instanceof Error ? e.message : String(e)}`, 1));
