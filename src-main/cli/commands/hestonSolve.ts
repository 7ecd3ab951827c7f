import { parseArgs } from 'node:util';
import { readFinishedRun } from '../../../src-shared/api/jobs';
import { GREEK_LABELS, GREEK_UNITS, HESTON_SOLVER_NAMES } from '../../../src-shared/heston/contract';
import { claimText, fellerInfo } from '../../../src-shared/heston/market';
import { GREEK_NAMES, H1_CLAIM, H1_MARKET } from '../../../src-shared/heston/types';
import { fail, fmt, num, printTable, runToEnd } from '../common';

export const hestonUsage = `  bsde solve --preset H1   the spec's Heston Bermudan put (S0 10, nu0 0.0625, kappa 5, nubar 0.16, xi 0.9, rho 0.1,
                           r 0.1; put K 11, T 0.3 y, 12 exercise dates): price and the five Greeks at t = 0
                           beside the PDE reference (semi-analytic for --exercise-dates 1) and their errors
    --scheme osm|rdbdp (default osm)  --solver ${HESTON_SOLVER_NAMES.join('|')} (default cpu)  --steps N  --seed S
    --exercise-dates E (default 12; 1 = European)  --label TEXT --data-dir DIR --json  --force`;

/**
 * `cli bsde solve --preset H1 …`: a 'heston-solve' run through the same handler as the Portfolio tab (stored
 * where the app lists it), then price and Delta, Vega, Gamma, Vomma, Vanna at t = 0 with the reference and the
 * errors (absolute and relative).
 */
export async function hestonSolve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      preset: { type: 'string' },
      scheme: { type: 'string', default: 'osm' },
      solver: { type: 'string', default: 'cpu' },
      steps: { type: 'string' },
      seed: { type: 'string' },
      'exercise-dates': { type: 'string' },
      label: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.preset !== 'H1') return fail(`--preset must be H1 for a Heston solve (got "${values.preset}")`);
  const exerciseDates = num(values['exercise-dates']) ?? H1_CLAIM.exerciseDates;
  const args = {
    market: H1_MARKET,
    claim: { ...H1_CLAIM, exerciseDates },
    scheme: values.scheme,
    solver: values.solver,
    ...(values.steps !== undefined ? { steps: num(values.steps) } : {}),
    ...(values.seed !== undefined ? { seed: num(values.seed) } : {}),
    ...(values.label ? { label: values.label } : {}),
    ...(values.force ? { allowLong: true } : {}),
  };
  const { run, dataDir, totalSeconds } = await runToEnd('heston-solve', args, { dataDir: values['data-dir'], json: values.json });
  const { metrics: m, config } = readFinishedRun(run, 'heston-solve');
  const ref = m.reference;
  const wallSeconds = (run.wallMs ?? 0) / 1000;
  if (values.json) {
    const out = {
      runId: run.id,
      status: run.status,
      preset: 'H1',
      scheme: m.scheme,
      backend: run.backend,
      market: config.market,
      claim: config.claim,
      solver: config.solver,
      feller: fellerInfo(config.market),
      steps: m.steps,
      t0: m.t0,
      regressionStdErr: m.t0StdErr,
      reference: ref,
      errors: m.errors,
      timings: m.timings,
      wallSeconds,
      totalSeconds,
      dataDir,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(2)}%`);
  printTable([
    ['run', run.id],
    ['claim', `${claimText(config.claim)} · H1 market (Feller ${fellerInfo(config.market).holds ? 'holds' : 'fails'})`],
    ['scheme', `${m.scheme.toUpperCase()} N=${m.steps} (${config.solver.preset}) on ${run.backend}`],
    ['reference', ref ? `${ref.method}${ref.grid ? ` ${ref.grid.ns}x${ref.grid.nv}x${ref.grid.nt}` : ''} (${fmt(ref.wallMs / 1000)} s)` : 'none'],
    ...GREEK_NAMES.map((g): [string, string] => [
      `${GREEK_LABELS[g].split(' ')[0]} (${GREEK_UNITS[g]})`,
      `${fmt(m.t0[g])}  ref ${ref ? fmt(ref.t0[g]) : '—'}  |err| ${m.errors ? fmt(m.errors[g].abs) : '—'} (${pct(m.errors?.[g].rel)})${ref?.refinement ? `  ref grid change ${fmt(Math.abs(ref.refinement.change[g]))}` : ''}`,
    ]),
    ['wall time', `${fmt(wallSeconds)} s (solve ${fmt(m.timings.solveMs / 1000)} s, reference ${fmt(m.timings.referenceMs / 1000)} s)`],
    ['data dir', dataDir],
  ]);
}
