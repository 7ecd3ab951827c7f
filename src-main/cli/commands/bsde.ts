import { parseArgs } from 'node:util';
import { DEFAULT_SOLVER, SOLVER_PRESETS } from '../../../src-shared/bsde/config';
import { readFinishedRun } from '../../../src-shared/api/jobs';
import { esLabel, lossFromLowerTail, varLabel } from '../../../src-shared/risk/presentRisk';
import { COMPARISON_PLANS, CLOSED_FORM_STEPS, DEFAULT_HEDGE, type HedgeComparison } from '../../../src-shared/bsde/hedge';
import { type BsdeMetrics } from '../../../src-shared/bsde/result';
import { seedSpread } from '../../engine/bsde/priceError';
import { dispatch } from '../../host/dispatch';
import { fail, fmt, num, openCliWorkstation, printTable, reportError, runToEnd } from '../common';
import { hestonHedge, hestonHedgeUsage, storedRunKind } from './hestonHedge';
import { hestonSolve, hestonUsage } from './hestonSolve';

export const usage = `bsde <solve|hedge|books> [options]   deep-BSDE prices, Deltas and Gammas of a book (stored like the app's)
  bsde solve --preset B1|B2|B3|B4 [--assets d] [--exercise-dates E] [--sigma s] [--case 1|2|3]
${hestonUsage}
  bsde solve --book-id ID [--version V]
    --scheme osm|rdbdp        (default osm)
    --solver tiny|cpu|paper   size preset (default cpu); then any of:
    --steps N --horizon T --width W --depth L --batch B
    --iterations-last K --iterations-other K --lr LR --lr-end LR --samples-t0 M --no-refit --seed S
    --seeds K                 also solve with seeds S+1..S+K-1 and report the spread of the prices over the K solves
    --threads 1|2             threads per solve (default: 2 when the 1-minute load leaves a core free; same results)
    --label TEXT --data-dir DIR --json
  bsde hedge SOLVE_RUN_ID                  hedge the solved book along simulated paths
    --strategy delta|delta-gamma (default delta-gamma)  --rebalance R (default 12)  --paths P (default 4096)
    --greeks network|closed-form (default network)  --steps N (closed form)  --seed S
    --instrument-maturity T~ (default 4)  --put-moneyness m (default 1)  --exchange-ratio k (default 1)
    --label TEXT --data-dir DIR --json
${hestonHedgeUsage}
  bsde compare --preset B1|B2|B3|B4 [--assets d --sigma s --case c --exercise-dates E] | --solve-run ID[,ID]
    one action: solve the book with the preset plan's schemes (or use finished solves), then hedge delta and
    delta-gamma across R; prints the comparison table and the findings
    --solver tiny|cpu|paper (default cpu) --steps N (default 24) --paths P (default 4096) --rebalance 1,2,4,12,24
    --closed-form-steps N (default 120) --seed S --data-dir DIR --json
  bsde books [--data-dir DIR] [--json]      list the stored books`;

/** The flags that pick a preset book (shared by solve and compare). */
const PRESET_OPTIONS = {
  preset: { type: 'string' },
  assets: { type: 'string' },
  'exercise-dates': { type: 'string' },
  sigma: { type: 'string' },
  case: { type: 'string' },
} as const;

type PresetFlags = { preset?: string; assets?: string; 'exercise-dates'?: string; sigma?: string; case?: string; json?: boolean };

/** The stored preset book for the flags (built once, then reused), or report the error and exit. */
async function presetBookVersion(ws: Awaited<ReturnType<typeof openCliWorkstation>>['ws'], values: PresetFlags): Promise<{ bookId: string; version: number }> {
  const r = await dispatch(ws.handlers, 1, 'portfolio-preset', {
    preset: values.preset,
    ...(values.assets !== undefined ? { assets: num(values.assets) } : {}),
    ...(values['exercise-dates'] !== undefined ? { exerciseDates: num(values['exercise-dates']) } : {}),
    ...(values.sigma !== undefined ? { sigma: num(values.sigma) } : {}),
    ...(values.case !== undefined ? { case: num(values.case) } : {}),
  });
  if (!r.ok) {
    await ws.close();
    return reportError(r.error, values.json);
  }
  return r.result as { bookId: string; version: number };
}

const fmtVec = (v: number[]): string => `[${v.map((x) => fmt(x)).join(', ')}]`;

/** `cli bsde …`: solve through the same handlers as the app (preset books are stored once and reused). */
export async function bsde(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'books') return books(rest);
  if (sub === 'hedge') return storedRunKind(rest) === 'heston-solve' ? hestonHedge(rest) : hedge(rest);
  if (sub === 'compare') return compare(rest);
  if (sub !== 'solve') return fail(`unknown bsde sub-command "${sub ?? ''}"\n\n${usage}`);
  if (rest.some((a, i) => (a === '--preset' && rest[i + 1] === 'H1') || a === '--preset=H1')) return hestonSolve(rest);
  const { values } = parseArgs({
    args: rest,
    options: {
      ...PRESET_OPTIONS,
      'book-id': { type: 'string' },
      version: { type: 'string' },
      scheme: { type: 'string', default: 'osm' },
      solver: { type: 'string', default: 'cpu' },
      steps: { type: 'string' },
      horizon: { type: 'string' },
      width: { type: 'string' },
      depth: { type: 'string' },
      batch: { type: 'string' },
      'iterations-last': { type: 'string' },
      'iterations-other': { type: 'string' },
      lr: { type: 'string' },
      'lr-end': { type: 'string' },
      'samples-t0': { type: 'string' },
      'no-refit': { type: 'boolean', default: false },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      threads: { type: 'string' },
      label: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.threads !== undefined) {
    if (values.threads !== '1' && values.threads !== '2') return fail(`--threads must be 1 or 2 (got "${values.threads}")`);
    // Read by the job worker (domains/bsde/threads.ts); workers copy the environment when they start.
    process.env.BSDE_SOLVE_THREADS = values.threads;
  }
  const seeds = num(values.seeds) ?? 1;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 20) return fail(`--seeds must be a whole number from 1 to 20 (got "${values.seeds}")`);
  const size = SOLVER_PRESETS[values.solver as keyof typeof SOLVER_PRESETS];
  if (!size) return fail(`--solver must be one of: ${Object.keys(SOLVER_PRESETS).join(', ')} (got "${values.solver}")`);
  let bookId = values['book-id'];
  let version = num(values.version);
  if (!bookId) {
    if (!values.preset) return fail(`give --preset B1|B2|B3|B4 or --book-id\n\n${usage}`);
    const { ws } = await openCliWorkstation(values['data-dir']);
    try {
      ({ bookId, version } = await presetBookVersion(ws, values));
    } finally {
      await ws.close();
    }
  }
  const c = size.config;
  const args = {
    bookId,
    ...(version !== undefined ? { version } : {}),
    scheme: values.scheme,
    steps: num(values.steps) ?? c.steps,
    horizon: values.horizon !== undefined ? num(values.horizon) : c.horizon,
    width: num(values.width) ?? c.width,
    depth: num(values.depth) ?? c.depth,
    batch: num(values.batch) ?? c.batch,
    iterationsLast: num(values['iterations-last']) ?? c.iterationsLast,
    iterationsOther: num(values['iterations-other']) ?? c.iterationsOther,
    learningRate: num(values.lr) ?? c.learningRate,
    learningRateEnd: num(values['lr-end']) ?? c.learningRateEnd,
    refit: values['no-refit'] ? false : c.refit,
    samplesT0: num(values['samples-t0']) ?? c.samplesT0,
    seed: num(values.seed) ?? DEFAULT_SOLVER.seed,
    ...(values.label ? { label: values.label } : {}),
  };
  const { run, dataDir, totalSeconds } = await runToEnd('bsde-solve', args, { dataDir: values['data-dir'], json: values.json });
  const { metrics: m, config: cfg } = readFinishedRun(run, 'bsde-solve');
  // Independent solves that differ only in the seed: their spread is an error estimate that needs no reference.
  const others: BsdeMetrics[] = [];
  const runIds = [run.id];
  for (let k = 1; k < seeds; k++) {
    const r = await runToEnd('bsde-solve', { ...args, seed: args.seed + k }, { dataDir: values['data-dir'], json: values.json });
    others.push(readFinishedRun(r.run, 'bsde-solve').metrics);
    runIds.push(r.run.id);
  }
  const spread =
    seeds > 1
      ? {
          note: 'spread over solves with seeds S..S+K-1 (training noise and the t = 0 regression; a bias common to all seeds is not included)',
          runIds,
          seedList: runIds.map((_, k) => args.seed + k),
          book: { prices: [m, ...others].map((x) => x.book.price), ...seedSpread([m, ...others].map((x) => x.book.price)) },
          options: m.options.map((o, j) => ({ label: o.label, prices: [m, ...others].map((x) => x.options[j].price), ...seedSpread([m, ...others].map((x) => x.options[j].price)) })),
        }
      : null;
  const wallSeconds = (run.wallMs ?? 0) / 1000;
  const geometric = m.options
    .map((o, j) => ({ j, o }))
    .filter(({ o }) => (o.payoff === 'geometric-call' || o.payoff === 'geometric-put') && o.errors)
    .map(({ j, o }) => ({ option: j, label: o.label, method: o.reference!.method, reference: { price: o.reference!.price, delta: o.reference!.delta, gamma: o.reference!.gamma }, errors: o.errors }));
  if (values.json) {
    const out = {
      runId: run.id,
      status: run.status,
      scheme: m.scheme,
      backend: run.backend,
      book: { bookId: cfg.bookId, version: cfg.version, name: cfg.book.name, assets: m.d, options: m.J },
      solver: cfg.solver,
      wallSeconds,
      totalSeconds,
      // regressionStdErr: the t = 0 fit's sampling noise only; priceError: the estimate that covers the solver's bias
      t0: { price: m.book.price, regressionStdErr: m.book.priceStdErr, priceError: m.book.priceError ?? null, delta: m.book.delta, gamma: m.book.gamma },
      options: m.options.map((o) => ({
        label: o.label,
        payoff: o.payoff,
        quantity: o.quantity,
        price: o.price,
        regressionStdErr: o.priceStdErr,
        priceError: o.priceError ?? null,
        delta: o.delta,
        gamma: o.gamma,
        reference: o.reference,
        errors: o.errors,
      })),
      geometricBasketErrors: geometric,
      seedSpread: spread,
      losses: m.losses,
      peakTensorBytes: m.peakTensorBytes,
      dataDir,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  printTable([
    ['run', run.id],
    ['book', `${cfg.book.name} (v${cfg.version}, ${m.d} assets, ${m.J} options)`],
    ['scheme', `${m.scheme.toUpperCase()} N=${m.steps} ${cfg.solver.width}x${cfg.solver.depth} on ${run.backend}`],
    ['book price (t=0)', fmt(m.book.price)],
    ['  regression s.e.', `${fmt(m.book.priceStdErr)} (sampling noise of the t = 0 fit only, not the price's error)`],
    ['  price error', m.book.priceError?.value != null ? `${fmt(m.book.priceError.value)} — ${m.book.priceError.note}` : (m.book.priceError?.note ?? 'not estimated')],
    ...(spread
      ? ([['  over seeds', `mean ${fmt(spread.book.mean)}, std ${fmt(spread.book.std)} over ${spread.book.seeds} seeds (s.e. of the mean ${fmt(spread.book.stdErrOfMean)}; excludes a bias common to all seeds)`]] as Array<[string, string]>)
      : []),
    ['book Delta', fmtVec(m.book.delta)],
    ['book Gamma diag', m.book.gamma ? fmtVec(m.book.gamma.map((r, a) => r[a])) : '—'],
    ...geometric.flatMap((g): Array<[string, string]> => [
      [`#${g.option + 1} ${g.method} price`, fmt(g.reference.price)],
      [`#${g.option + 1} errors`, `price ${(100 * g.errors!.price).toFixed(3)}% · Delta ${(100 * g.errors!.delta).toFixed(2)}% · Gamma ${g.errors!.gamma === null ? '—' : `${(100 * g.errors!.gamma).toFixed(1)}%`}`],
    ]),
    ['compute (s)', wallSeconds],
    ['total (s)', totalSeconds],
  ]);
}

async function books(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  const { ws } = await openCliWorkstation(values['data-dir']);
  const r = await dispatch(ws.handlers, 1, 'portfolio-list', {});
  await ws.close();
  if (!r.ok) return reportError(r.error, values.json);
  const list = r.result as Array<{ bookId: string; name: string; latestVersion: number; assets: number; options: number; runs: number }>;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(list)}\n`);
    return;
  }
  for (const b of list) process.stdout.write(`${b.bookId}  v${b.latestVersion}  ${String(b.assets).padStart(2)} assets ${String(b.options).padStart(3)} options ${String(b.runs).padStart(3)} runs  ${b.name}\n`);
}

/** `cli bsde hedge RUN_ID …`: a 'bsde-hedge' run through the app's handler; prints the relative-PnL statistics. */
async function hedge(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      strategy: { type: 'string', default: DEFAULT_HEDGE.strategy },
      rebalance: { type: 'string' },
      paths: { type: 'string' },
      greeks: { type: 'string', default: DEFAULT_HEDGE.greeks },
      steps: { type: 'string' },
      seed: { type: 'string' },
      'instrument-maturity': { type: 'string' },
      'put-moneyness': { type: 'string' },
      'exchange-ratio': { type: 'string' },
      label: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const solveRunId = positionals[0];
  if (!solveRunId || positionals.length > 1) return fail(`give exactly one solve run id\n\n${usage}`);
  const ins = DEFAULT_HEDGE.instruments;
  const args = {
    solveRunId,
    strategy: values.strategy,
    greeks: values.greeks,
    rebalance: num(values.rebalance) ?? DEFAULT_HEDGE.rebalance,
    paths: num(values.paths) ?? DEFAULT_HEDGE.paths,
    steps: values.steps !== undefined ? num(values.steps) : null,
    seed: num(values.seed) ?? DEFAULT_HEDGE.seed,
    instruments: { maturity: num(values['instrument-maturity']) ?? ins.maturity, putMoneyness: num(values['put-moneyness']) ?? ins.putMoneyness, exchangeRatio: num(values['exchange-ratio']) ?? ins.exchangeRatio },
    ...(values.label ? { label: values.label } : {}),
  };
  const { run, dataDir, totalSeconds } = await runToEnd('bsde-hedge', args, { dataDir: values['data-dir'], json: values.json });
  const m = readFinishedRun(run, 'bsde-hedge').metrics;
  if (values.json) {
    const { stats, v0, lsqr, selfFinancingMaxAbs, earlyExercise, timing, peakRssBytes, pathIndex } = m;
    process.stdout.write(`${JSON.stringify({ runId: run.id, status: run.status, solveRunId, strategy: m.strategy, greeks: m.greeks, scheme: m.scheme, rebalance: m.rebalance, steps: m.steps, paths: m.paths, v0, stats, earlyExercise, selfFinancingMaxAbs, lsqr, pathIndex, timing, peakRssBytes, wallSeconds: (run.wallMs ?? 0) / 1000, totalSeconds, dataDir })}\n`);
    return;
  }
  const s = m.stats;
  const pct = (x: number): string => `${(100 * x).toFixed(3)}%`;
  printTable([
    ['run', run.id],
    ['hedge', `${m.strategy} · R=${m.rebalance} of N=${m.steps} · ${m.greeks === 'network' ? `${m.scheme.toUpperCase()} networks` : 'closed form'} · ${m.paths} paths`],
    ['V_0 (money)', fmt(m.v0)],
    ['relative PnL mean', pct(s.mean)],
    ['variance', s.variance.toExponential(3)],
    ['semivariance', s.semivariance.toExponential(3)],
    ['skew', fmt(s.skew)],
    [`${varLabel(0.99)} / ${varLabel(0.95)}`, `${pct(lossFromLowerTail(s.var.p1))} / ${pct(lossFromLowerTail(s.var.p5))}`],
    [`${esLabel(0.99)} / ${esLabel(0.95)}`, `${pct(lossFromLowerTail(s.es.p1))} / ${pct(lossFromLowerTail(s.es.p5))}`],
    ['upper quantile 95% / 99%', `${pct(s.var.p95)} / ${pct(s.var.p99)}`],
    ['upper tail mean 95% / 99%', `${pct(s.es.p95)} / ${pct(s.es.p99)}`],
    ['self-financing max gap', fmt(m.selfFinancingMaxAbs)],
    ...(m.lsqr ? [['LSQR', `${m.lsqr.solves} solves · ${m.lsqr.meanIterations.toFixed(1)} iterations mean, ${m.lsqr.maxIterations} max · residual ≤ ${m.lsqr.maxRelResidual.toExponential(1)}`] as [string, string]] : []),
    ['compute (s)', (run.wallMs ?? 0) / 1000],
    ['total (s)', totalSeconds],
  ]);
}

/** `cli bsde compare …`: a comparison as one action (the same 'bsde-compare' handler as the app), waited for. */
async function compare(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...PRESET_OPTIONS,
      'solve-run': { type: 'string' },
      solver: { type: 'string', default: 'cpu' },
      steps: { type: 'string' },
      paths: { type: 'string' },
      rebalance: { type: 'string' },
      'closed-form-steps': { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const size = SOLVER_PRESETS[values.solver as keyof typeof SOLVER_PRESETS];
  if (!size) return fail(`--solver must be one of: ${Object.keys(SOLVER_PRESETS).join(', ')} (got "${values.solver}")`);
  const plan = COMPARISON_PLANS[(values.preset ?? 'B1') as keyof typeof COMPARISON_PLANS];
  if (!plan) return fail(`--preset must be B1, B2, B3 or B4 (got "${values.preset}")`);
  const t0 = performance.now();
  const { ws, dataDir } = await openCliWorkstation(values['data-dir']);
  try {
    let source: Record<string, unknown>;
    if (values['solve-run']) source = { solveRunIds: values['solve-run'].split(',') };
    else {
      if (!values.preset) return fail(`give --preset B1|B2|B3|B4 or --solve-run ID\n\n${usage}`);
      const { bookId, version } = await presetBookVersion(ws, values);
      source = { solve: { bookId, version, schemes: plan.schemes, ...size.config, steps: num(values.steps) ?? 24, seed: num(values.seed) ?? DEFAULT_SOLVER.seed } };
    }
    const r = await dispatch(ws.handlers, 2, 'bsde-compare', {
      ...source,
      greeks: plan.greeks,
      strategies: plan.strategies,
      rebalance: values.rebalance ? values.rebalance.split(',').map(Number) : plan.rebalance,
      paths: num(values.paths) ?? DEFAULT_HEDGE.paths,
      closedFormSteps: num(values['closed-form-steps']) ?? CLOSED_FORM_STEPS,
      instruments: DEFAULT_HEDGE.instruments,
      seed: num(values.seed) ?? DEFAULT_HEDGE.seed,
    });
    if (!r.ok) return reportError(r.error, values.json);
    const { groupId, runIds, solveRunIds } = r.result as { groupId: string; runIds: string[]; solveRunIds: string[] };
    const all = [...solveRunIds, ...runIds];
    const timer = setInterval(() => {
      if (values.json || !process.stderr.isTTY) return;
      const done = all.filter((id) => ['done', 'failed', 'cancelled'].includes(ws.runs.get(id)?.status ?? '')).length;
      process.stderr.write(`\r${done} / ${all.length} runs finished`);
    }, 1000);
    await ws.jobs.idle();
    clearInterval(timer);
    const c = (await dispatch(ws.handlers, 3, 'bsde-compare-get', { groupId })) as { ok: true; result: HedgeComparison };
    const cmp = c.result;
    const totalSeconds = (performance.now() - t0) / 1000;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...cmp, totalSeconds, dataDir })}\n`);
      return;
    }
    process.stdout.write(`\n${cmp.label}\n`);
    const src = (x: HedgeComparison['cells'][number]): string => (x.greeks === 'network' ? x.scheme.toUpperCase() : 'closed form');
    for (const x of [...cmp.cells].sort((a, b) => src(a).localeCompare(src(b)) || a.strategy.localeCompare(b.strategy) || a.rebalance - b.rebalance)) {
      const s = x.stats;
      process.stdout.write(`${src(x).padEnd(12)} ${x.strategy.padEnd(12)} R=${String(x.rebalance).padStart(4)}  ${s ? `mean ${s.mean.toExponential(2)}  var ${s.variance.toExponential(2)}  semivar ${s.semivariance.toExponential(2)}  VaR1% ${s.var.p1.toFixed(4)}  ES1% ${s.es.p1.toFixed(4)}` : x.status}\n`);
    }
    for (const f of cmp.findings) process.stdout.write(`- ${f}\n`);
    process.stdout.write(`total ${totalSeconds.toFixed(1)} s\n`);
  } finally {
    await ws.close();
  }
}
