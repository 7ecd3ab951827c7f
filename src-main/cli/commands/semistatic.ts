import { parseArgs } from 'node:util';
import { type AppError } from '../../../src-shared/api/errors';
import { requestSchemas } from '../../../src-shared/api/contract';
import { readFinishedRun } from '../../../src-shared/api/jobs';
import { type SemistaticMcMetrics, type SemistaticSolution } from '../../../src-shared/semistatic/contract';
import { DEFAULT_PARAMS } from '../../../src-shared/semistatic/params';
import { dispatch, fieldErrors } from '../../host/dispatch';
import { fmt, num, openCliWorkstation, printTable, reportError, runToEnd } from '../common';

export const usage = `semistatic [options] [--json]  delayed semistatic hedging: closed form (+ Monte Carlo with --mc)
  --n N                   trading steps                              (default ${DEFAULT_PARAMS.n})
  --delay D               delay in steps, 0 <= D < n                 (default ${DEFAULT_PARAMS.delay})
  --delay-fraction H      or the delay as a fraction of the horizon (D = round(H n))
  --sigma S               std of one step's price change, money      (default ${DEFAULT_PARAMS.sigma})
  --sigmahat-ratio2 R     market variance ratio sigmahat^2/sigma^2   (default ${DEFAULT_PARAMS.ratio2})
  --sigmahat S            or the market's std per step, money
  --mu M                  drift per step, money                      (default ${DEFAULT_PARAMS.mu})
  --s0 S                  initial price, money                       (default ${DEFAULT_PARAMS.s0})
  --risk-aversion G       absolute risk aversion, 1/money            (default 1)
  --mc PATHS              also run the Monte Carlo check with PATHS paths (stored as a run)
  --seed N                Monte Carlo seed                           (default 1)
  --label TEXT            run label
  --data-dir DIR          store location (default: the app's, or HEDGE_DATA_DIR)
  --json                  print one JSON object`;

/** Request fields as the CLI spells them, so errors name the flag that was typed. */
const FLAG: Record<string, string> = {
  ratio2: 'sigmahat-ratio2',
  delayFraction: 'delay-fraction',
  riskAversion: 'risk-aversion',
  paths: 'mc',
};
const renamed = (e: AppError): AppError => ({ ...e, fields: e.fields?.map((f) => ({ ...f, field: FLAG[f.field] ?? f.field })) });

/**
 * `cli semistatic …`: the closed form through the same handler as the app; with `--mc`, the Monte Carlo check
 * as a stored run (worker, progress, Ctrl-C cancels). Prints a, H, the value, and the Monte Carlo estimate
 * with its standard error.
 */
export async function semistatic(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string' },
      delay: { type: 'string' },
      'delay-fraction': { type: 'string' },
      sigma: { type: 'string' },
      'sigmahat-ratio2': { type: 'string' },
      sigmahat: { type: 'string' },
      mu: { type: 'string' },
      s0: { type: 'string' },
      'risk-aversion': { type: 'string' },
      mc: { type: 'string' },
      seed: { type: 'string' },
      label: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const fraction = num(values['delay-fraction']);
  const sigmahat = num(values.sigmahat);
  const params = {
    n: num(values.n) ?? DEFAULT_PARAMS.n,
    ...(fraction !== undefined ? { delayFraction: fraction } : { delay: num(values.delay) ?? DEFAULT_PARAMS.delay }),
    sigma: num(values.sigma) ?? DEFAULT_PARAMS.sigma,
    ...(sigmahat !== undefined ? { sigmahat } : { ratio2: num(values['sigmahat-ratio2']) ?? DEFAULT_PARAMS.ratio2 }),
    mu: num(values.mu) ?? DEFAULT_PARAMS.mu,
    s0: num(values.s0) ?? DEFAULT_PARAMS.s0,
    riskAversion: num(values['risk-aversion']) ?? 1,
  };
  if (fraction !== undefined && values.delay !== undefined) reportError({ type: 'validation', code: 'INVALID_INPUT', message: 'give --delay or --delay-fraction, not both' }, values.json);
  if (sigmahat !== undefined && values['sigmahat-ratio2'] !== undefined) reportError({ type: 'validation', code: 'INVALID_INPUT', message: 'give --sigmahat or --sigmahat-ratio2, not both' }, values.json);

  const mcArgs =
    values.mc !== undefined
      ? { ...params, paths: num(values.mc), seed: num(values.seed) ?? 1, ...(values.label ? { label: values.label } : {}) }
      : null;
  // Validate everything first (flags named as typed), so a bad flag stores nothing.
  const check = mcArgs ? requestSchemas['semistatic-mc-start'].safeParse(mcArgs) : requestSchemas['semistatic-solve'].safeParse(params);
  if (!check.success) {
    const fields = fieldErrors(check.error.issues, mcArgs ?? params, { domain: 'semistatic' });
    reportError(renamed({ type: 'validation', code: 'INVALID_INPUT', message: 'invalid arguments', fields }), values.json);
  }

  let sol: SemistaticSolution;
  let mc: { runId: string; m: SemistaticMcMetrics; wallSeconds: number } | null = null;
  if (mcArgs) {
    const { run } = await runToEnd('semistatic-mc-start', mcArgs, { dataDir: values['data-dir'], json: values.json });
    const { ws } = await openCliWorkstation(values['data-dir']);
    const r = await dispatch(ws.handlers, 1, 'semistatic-solve', params);
    await ws.close();
    if (!r.ok) return reportError(renamed(r.error), values.json);
    sol = r.result as SemistaticSolution;
    mc = { runId: run.id, m: readFinishedRun(run, 'semistatic').metrics, wallSeconds: (run.wallMs ?? 0) / 1000 };
  } else {
    const { ws } = await openCliWorkstation(values['data-dir']);
    const r = await dispatch(ws.handlers, 1, 'semistatic-solve', params);
    await ws.close();
    if (!r.ok) return reportError(renamed(r.error), values.json);
    sol = r.result as SemistaticSolution;
  }

  const p = sol.params;
  if (values.json) {
    const out = {
      params: p,
      a: sol.a,
      H: sol.entropy,
      value: sol.value,
      certaintyEquivalent: sol.certaintyEquivalent,
      staticClaim: sol.staticClaim,
      mertonFraction: sol.merton.fraction,
      limit: sol.limit,
      checks: sol.checks.map((c) => ({ id: c.id, residual: c.residual, ok: c.ok })),
      ...(mc
        ? {
            runId: mc.runId,
            paths: mc.m.paths,
            seed: mc.m.seed,
            mcEstimate: mc.m.utilityMean,
            mcStdError: mc.m.utilitySe,
            mcCi95: mc.m.utilityCi,
            mcZScore: mc.m.zScore,
            mcRatioMean: mc.m.ratioMean,
            mcRatioStdError: mc.m.ratioSe,
            mcRatioSdExact: mc.m.ratioSdExact,
            mcCertaintyEquivalent: mc.m.certaintyEquivalentMc,
            mcCertaintyEquivalentStdError: mc.m.certaintyEquivalentSe,
            wallSeconds: mc.wallSeconds,
          }
        : {}),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  printTable([
    ['n, D (steps)', `${p.n}, ${p.D}  (H = D/n = ${fmt(p.delayFraction)})`],
    ['sigma, sigmahat', `${fmt(p.sigma)}, ${fmt(p.sigmahat)} money/step  (s2 = ${fmt(p.ratio2)})`],
    ['a', sol.a],
    ['static claim', `${fmt(sol.staticClaim.weight)} (S_n - ${fmt(p.s0)})^2, price ${fmt(sol.staticClaim.price)}`],
    ['Merton fraction', `${fmt(sol.merton.fraction)} shares`],
    ['H (entropy)', sol.entropy],
    ['value -exp(-H)', sol.value],
    ['certainty equivalent', `${fmt(sol.certaintyEquivalent)} money`],
  ]);
  if (mc) {
    const m = mc.m;
    printTable([
      ['run', mc.runId],
      ['MC paths, seed', `${m.paths}, ${m.seed}`],
      ['MC E[u(V)]', `${fmt(m.utilityMean)} ± ${fmt(m.utilitySe)} (1 s.e.)`],
      ['MC 95% interval', `[${fmt(m.utilityCi[0])}, ${fmt(m.utilityCi[1])}]`],
      ['z (MC vs closed form)', m.zScore],
      ['MC certainty equiv.', `${fmt(m.certaintyEquivalentMc)} ± ${fmt(m.certaintyEquivalentSe)} money`],
      ['compute (s)', mc.wallSeconds],
    ]);
  }
}
