import { parseArgs } from 'node:util';
import { readFinishedRun } from '../../../src-shared/api/jobs';
import { DEFAULT_HEDGE_CONFIG, TRAIN_DEFAULTS, isTrainedModel } from '../../../src-shared/hedging/config';
import { CRITERION_DEFAULTS, criterionFromKey, criterionLabel } from '../../../src-shared/hedging/criteria';
import { metricsDoNotHedge, runCriterion } from '../../../src-shared/hedging/ranking';
import { fmt, num, printTable, runToEnd } from '../common';

export const usage = `hedge [options] [--json]      one hedging run (stored like the app's)
  --model M               bsdh | mlp | ntb | dhlnn    (default bsdh)
                          mlp = DHMLP, ntb = DHNTB (no-transaction band), dhlnn = DHLNN (linearised, nested)
  --option european|lookback
  --strike K              strike, P_0 = 1            (default ${DEFAULT_HEDGE_CONFIG.strike})
  --sigma S               annualised volatility      (default ${DEFAULT_HEDGE_CONFIG.sigma})
  --drift MU              annualised drift           (default ${DEFAULT_HEDGE_CONFIG.drift})
  --days D                calendar days to maturity  (default ${DEFAULT_HEDGE_CONFIG.days})
  --steps N               rebalancing dates          (default: one per day)
  --cost C                proportional cost rate     (default ${DEFAULT_HEDGE_CONFIG.cost})
  --paths N               Monte Carlo (test) paths   (default ${DEFAULT_HEDGE_CONFIG.paths})
  --test-sigma S          volatility of the test paths (out-of-distribution test; default: --sigma)
 training criterion (what "best" means; BSDH is measured on it):
  --criterion K           entropic | es | mean-variance          (default ${CRITERION_DEFAULTS.criterion}, the source's)
  --risk-aversion A       entropic risk aversion a (1/money)     (default ${CRITERION_DEFAULTS.riskAversion})
  --es-level ALPHA        ES level: mean loss of the worst 1-ALPHA (default ${CRITERION_DEFAULTS.esLevel})
  --mv-lambda L           mean-variance weight of Var (1/money)  (default ${CRITERION_DEFAULTS.mvLambda})
 trained models only (mlp, ntb, dhlnn):
  --epochs N              training epochs, one Adam step each   (default ${TRAIN_DEFAULTS.epochs})
  --train-paths N         fresh training paths per epoch        (default ${TRAIN_DEFAULTS.trainPaths})
  --lr X                  Adam learning rate                    (default ${TRAIN_DEFAULTS.learningRate})
  --monitor-paths N       test paths hedged after every epoch   (default ${TRAIN_DEFAULTS.monitorPaths})
  --inner-steps N         DHLNN inner iterations per epoch      (default ${TRAIN_DEFAULTS.innerSteps})
  --inner-tol X           DHLNN inner stopping tolerance        (default ${TRAIN_DEFAULTS.innerTol})
  --seed N                RNG seed                   (default ${DEFAULT_HEDGE_CONFIG.seed})
  --label TEXT            run label
  --data-dir DIR          store location (default: the app's, or HEDGE_DATA_DIR)
  --json                  print one JSON object: the criterion, every measure (entropic at a = 1 and A, ES at 90%
                          and ALPHA, mean-variance at L), meanAbsPosition, bsdhMeanAbsPosition, doesNotHedge,
                          meanCost, ... (trained models add secondsPerEpoch: median wall seconds of an epoch)`;

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
      'test-sigma': { type: 'string' },
      criterion: { type: 'string' },
      'risk-aversion': { type: 'string' },
      'es-level': { type: 'string' },
      'mv-lambda': { type: 'string' },
      epochs: { type: 'string' },
      'train-paths': { type: 'string' },
      lr: { type: 'string' },
      'monitor-paths': { type: 'string' },
      'inner-steps': { type: 'string' },
      'inner-tol': { type: 'string' },
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
    ...(values['test-sigma'] !== undefined ? { testSigma: num(values['test-sigma']) } : {}),
    ...(values.label ? { label: values.label } : {}),
    ...(values.criterion !== undefined ? { criterion: values.criterion } : {}),
    ...(values['risk-aversion'] !== undefined ? { riskAversion: num(values['risk-aversion']) } : {}),
    ...(values['es-level'] !== undefined ? { esLevel: num(values['es-level']) } : {}),
    ...(values['mv-lambda'] !== undefined ? { mvLambda: num(values['mv-lambda']) } : {}),
    // training flags are passed only when given, so that BSDH rejects them by name
    ...(values.epochs !== undefined ? { epochs: num(values.epochs) } : {}),
    ...(values['train-paths'] !== undefined ? { trainPaths: num(values['train-paths']) } : {}),
    ...(values.lr !== undefined ? { learningRate: num(values.lr) } : {}),
    ...(values['monitor-paths'] !== undefined ? { monitorPaths: num(values['monitor-paths']) } : {}),
    ...(values['inner-steps'] !== undefined ? { innerSteps: num(values['inner-steps']) } : {}),
    ...(values['inner-tol'] !== undefined ? { innerTol: num(values['inner-tol']) } : {}),
  };
  const { run, dataDir, totalSeconds } = await runToEnd('hedging-start', args, { dataDir: values['data-dir'], json: values.json });
  const { config, metrics: m } = readFinishedRun(run, 'hedge');
  const wallSeconds = (run.wallMs ?? 0) / 1000;
  const trained = isTrainedModel(run.model) ? { secondsPerEpoch: m.training?.secondsPerEpoch ?? null } : {};
  const criterion = runCriterion(config, m);
  const measures = Object.fromEntries(Object.entries(m.measures ?? {}).map(([k, v]) => [criterionLabel(criterionFromKey(k) ?? criterion), v]));
  const doesNotHedge = metricsDoNotHedge(m);
  if (values.json) {
    const out = {
      runId: run.id,
      status: run.status,
      model: run.model,
      option: config.option,
      config,
      backend: run.backend,
      ...m,
      criterion: { ...criterion, label: criterionLabel(criterion) },
      measuresByLabel: measures,
      doesNotHedge,
      ...trained,
      wallSeconds,
      totalSeconds,
      dataDir,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  printTable([
    ['run', run.id], ['paths', m.paths], ['premium (P0 = 1; lookback: monitored at the hedge dates)', m.premium], ['mean PnL', m.mean], ['std PnL', m.std],
    [isTrainedModel(run.model) ? 'criterion trained' : 'criterion (measured on)', `${criterionLabel(criterion)} = ${fmt(m.criterionValue ?? NaN)}`],
    ...Object.entries(measures).map(([k, v]) => [k, v] as [string, number]),
    ['mean |position| (asset units)', `${fmt(m.meanAbsPosition ?? NaN)} (BSDH on the same paths ${fmt(m.bsdhMeanAbsPosition ?? NaN)})${doesNotHedge ? ' — does not hedge' : ''}`],
    ['entropic loss (a=1)', m.entropic], ['VaR 90/95/99', `${fmt(m.var90)} / ${fmt(m.var95)} / ${fmt(m.var99)}`],
    ['ES 90/95/99', `${fmt(m.es90)} / ${fmt(m.es95)} / ${fmt(m.es99)}`], ['indifference price', m.indifferencePrice],
    ['mean cost', m.meanCost],
    ...(m.testRealisedVol !== undefined ? [['test paths realised vol', m.testRealisedVol] as [string, number]] : []),
    ...(m.training
      ? ([
          ['epochs', `${m.training.epochs} (${m.training.threads ?? 1} thread${(m.training.threads ?? 1) > 1 ? 's' : ''}, backend ${run.backend})`],
          ['seconds per epoch', m.training.secondsPerEpoch],
          ['final train loss', m.training.history[m.training.history.length - 1]?.trainLoss ?? NaN],
        ] as Array<[string, number | string]>)
      : []),
    ['compute (s)', wallSeconds], ['total (s)', totalSeconds],
  ]);
}
