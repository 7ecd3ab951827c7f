import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readFinishedRun } from '../../../src-shared/api/jobs';
import { esLabel, lossFromLowerTail, varLabel } from '../../../src-shared/risk/presentRisk';
import { defaultDataDir } from '../../paths';
import { openDb } from '../../store/db';
import { runQueries } from '../../store/queries/runs';
import { fail, fmt, num, runToEnd } from '../common';

export const hestonHedgeUsage = `  bsde hedge HESTON_SOLVE_RUN_ID             hedge a Heston solve's claim along paths (every strategy x R on the same paths)
    --strategy S[,S…]  delta | delta-vega | delta-vega-gamma | delta-vega-gamma-vomma | delta-vega-gamma-vomma-vanna
                       (default all five)  --rebalance R[,R…] (default 1,2,5,10,25,50)  --paths P (default 4096)
    --greeks network|pde|semi-analytic (default network)  --seed S  --label TEXT --data-dir DIR --json`;

/**
 * The kind of a stored run (null when there is none), read straight from the store so `bsde hedge RUN_ID` can
 * pick the Black–Scholes or the Heston hedge before parsing the options of either.
 */
export function storedRunKind(argv: string[]): string | null {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { 'data-dir': { type: 'string' } } });
  const id = positionals[0];
  if (!id) return null;
  const db = openDb({ dataDir: resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir()) });
  try {
    return runQueries(db).get(id)?.kind ?? null;
  } finally {
    db.close();
  }
}

const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').map((x) => x.trim()).filter(Boolean));

/** `cli bsde hedge RUN_ID …` on a 'heston-solve' run: a 'heston-hedge' run through the app's handler; prints the statistics table. */
export async function hestonHedge(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      strategy: { type: 'string' },
      rebalance: { type: 'string' },
      paths: { type: 'string' },
      greeks: { type: 'string' },
      seed: { type: 'string' },
      label: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const solveRunId = positionals[0];
  if (!solveRunId || positionals.length > 1) return fail(`give exactly one solve run id\n\n${hestonHedgeUsage}`);
  const args = {
    solveRunId,
    ...(values.greeks !== undefined ? { greeks: values.greeks } : {}),
    ...(values.strategy !== undefined ? { strategies: list(values.strategy) } : {}),
    ...(values.rebalance !== undefined ? { rebalance: list(values.rebalance)!.map((r) => num(r)) } : {}),
    ...(values.paths !== undefined ? { paths: num(values.paths) } : {}),
    ...(values.seed !== undefined ? { seed: num(values.seed) } : {}),
    ...(values.label ? { label: values.label } : {}),
  };
  const { run, dataDir, totalSeconds } = await runToEnd('heston-hedge', args, { dataDir: values['data-dir'], json: values.json });
  const { metrics: m, config: c } = readFinishedRun(run, 'heston-hedge');
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ runId: run.id, status: run.status, kind: 'heston-hedge', solveRunId, greeks: m.greeks, steps: m.steps, horizon: m.horizon, paths: m.paths, seed: m.seed, v0: m.v0, earlyExercise: m.earlyExercise, instruments: m.instruments, cells: m.cells.map(({ dates: _d, ...cell }) => cell), timing: m.timing, wallSeconds: (run.wallMs ?? 0) / 1000, totalSeconds, dataDir })}\n`,
    );
    return;
  }
  const pct = (x: number): string => `${(100 * x).toFixed(3)}%`;
  process.stdout.write(`run ${run.id}: ${m.greeks} Greeks, N = ${m.steps}, T = ${m.horizon} y, ${m.paths} paths (seed ${m.seed}), V_0 = ${fmt(m.v0)}, early exercise on ${pct(m.earlyExercise)} of paths\n`);
  process.stdout.write(`relative PnL V_T/|V_0|: mean and VaR/ES in % of |V_0|, VaR/ES as positive losses; variance in (V_T/|V_0|)^2\n`);
  const head = ['strategy', 'R', 'mean', 'variance', 'semivar', varLabel(0.99), esLabel(0.99), varLabel(0.95), esLabel(0.95), 'cond (geo/max)', 'LS fallbacks'];
  const rows = m.cells.map((cell) => [
    cell.strategy,
    `${cell.rebalance}${cell.exact ? '' : '*'}`,
    pct(cell.stats.mean),
    cell.stats.variance.toExponential(3),
    cell.stats.semivariance.toExponential(3),
    pct(lossFromLowerTail(cell.stats.var.p1)),
    pct(lossFromLowerTail(cell.stats.es.p1)),
    pct(lossFromLowerTail(cell.stats.var.p5)),
    pct(lossFromLowerTail(cell.stats.es.p5)),
    cell.cond ? `${cell.cond.geoMean.toExponential(1)} / ${cell.cond.max.toExponential(1)}` : '—',
    cell.cond ? String(cell.cond.fallbacks) : '—',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) process.stdout.write(`${r.map((x, i) => (i < 1 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ')}\n`);
  if (m.cells.some((x) => !x.exact)) process.stdout.write(`* R does not divide N = ${m.steps}: the nearest grid dates round(k N / R) are used\n`);
  process.stdout.write(`compute ${fmt((run.wallMs ?? 0) / 1000)} s, total ${fmt(totalSeconds)} s; instruments: ${c.instruments.map((i) => `${i.kind} K=${i.strike} T=${i.maturity}`).join(', ')}\n`);
}
