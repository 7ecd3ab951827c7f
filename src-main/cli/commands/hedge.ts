import { parseArgs } from 'node:util';
import { DEFAULT_HEDGE_CONFIG, type HedgeConfig, type HedgeMetrics } from '../../../src-shared/hedging/config';
import { fmt, num, printTable, runToEnd } from '../common';

export const usage = `hedge [options] [--json]      one hedging run (stored like the app's)
  --model bsdh            hedging model
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

/** `cli hedge …`: validate through the same handler as the app, run in a worker, print the metrics. */
export async function hedge(argv: string[]): Promise<void> {
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
  const { run, dataDir, totalSeconds } = await runToEnd('hedging-start', args, { dataDir: values['data-dir'], json: values.json });
  const config = run.config as HedgeConfig;
  const m = run.metrics as HedgeMetrics;
  const wallSeconds = (run.wallMs ?? 0) / 1000;
  if (values.json) {
    const out = { runId: run.id, status: run.status, model: run.model, option: config.option, config, backend: run.backend, ...m, wallSeconds, totalSeconds, dataDir };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  printTable([
    ['run', run.id], ['paths', m.paths], ['premium (closed form)', m.premium], ['mean PnL', m.mean], ['std PnL', m.std],
    ['entropic loss (a=1)', m.entropic], ['VaR 90/95/99', `${fmt(m.var90)} / ${fmt(m.var95)} / ${fmt(m.var99)}`],
    ['ES 90/95/99', `${fmt(m.es90)} / ${fmt(m.es95)} / ${fmt(m.es99)}`], ['indifference price', m.indifferencePrice],
    ['mean cost', m.meanCost], ['compute (s)', wallSeconds], ['total (s)', totalSeconds],
  ]);
}
