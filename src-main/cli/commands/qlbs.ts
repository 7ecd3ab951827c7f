import { parseArgs } from 'node:util';
import { readFinishedRun } from '../../../src-shared/api/jobs';
import { DEFAULT_QLBS_CONFIG as D } from '../../../src-shared/qlbs/config';
import { fmt, num, printTable, runToEnd } from '../common';

export const usage = `qlbs [options] [--json]      one QLBS run: DP (and FQI) prices vs Black-Scholes (stored like the app's)
  --method dp|fqi         dp: on-policy DP only; fqi: DP, then DP + FQI on the FQI grid   (default ${D.method})
  --option put|call       European option                                   (default ${D.option})
  --s0 S                  spot at t = 0                                     (default ${D.s0})
  --strike K              strike                                            (default ${D.strike})
  --mu MU                 real-world drift, per year                        (default ${D.mu})
  --sigma S               volatility, per year                              (default ${D.sigma})
  --r R                   risk-free rate, per year                          (default ${D.r})
  --maturity T            years                                             (default ${D.maturity})
  --steps N               DP time steps                                     (default ${D.steps})
  --fqi-steps N           FQI time steps, must divide --steps   (default ${D.fqiSteps} when it divides, else --steps)
  --paths N               Monte Carlo paths                                 (default ${D.paths})
  --lambda L              risk aversion, per unit of money                  (default ${D.lambda})
  --reg R                 ridge regularisation                              (default ${D.reg})
  --basis M               B-spline basis size (collocation sites)           (default ${D.basisSize})
  --degree P              B-spline degree (order P + 1)                     (default ${D.degree})
  --eta E                 FQI action noise band, xi ~ U[1-E, 1+E]           (default ${D.eta})
  --drift-term            include Halperin's drift term in the hedge (speculative with small lambda)
  --seed N                RNG seed                                          (default ${D.seed})
  --label TEXT            run label
  --data-dir DIR          store location (default: the app's, or HEDGE_DATA_DIR)
  --json                  print one JSON object`;

/** `cli qlbs …`: validate through the same handler as the app, run in a worker, print prices and wall time. */
export async function qlbs(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      method: { type: 'string', default: D.method },
      option: { type: 'string', default: D.option },
      s0: { type: 'string' },
      strike: { type: 'string' },
      mu: { type: 'string' },
      sigma: { type: 'string' },
      r: { type: 'string' },
      maturity: { type: 'string' },
      steps: { type: 'string' },
      'fqi-steps': { type: 'string' },
      paths: { type: 'string' },
      lambda: { type: 'string' },
      reg: { type: 'string' },
      basis: { type: 'string' },
      degree: { type: 'string' },
      eta: { type: 'string' },
      'drift-term': { type: 'boolean', default: false },
      seed: { type: 'string' },
      label: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const steps = num(values.steps) ?? D.steps;
  const fqiDefault = typeof steps === 'number' && Number.isInteger(steps) && steps > 0 && steps % D.fqiSteps === 0 ? D.fqiSteps : steps;
  const args = {
    method: values.method,
    option: values.option,
    s0: num(values.s0) ?? D.s0,
    strike: num(values.strike) ?? D.strike,
    mu: num(values.mu) ?? D.mu,
    sigma: num(values.sigma) ?? D.sigma,
    r: num(values.r) ?? D.r,
    maturity: num(values.maturity) ?? D.maturity,
    steps,
    fqiSteps: num(values['fqi-steps']) ?? fqiDefault,
    paths: num(values.paths) ?? D.paths,
    lambda: num(values.lambda) ?? D.lambda,
    reg: num(values.reg) ?? D.reg,
    basisSize: num(values.basis) ?? D.basisSize,
    degree: num(values.degree) ?? D.degree,
    eta: num(values.eta) ?? D.eta,
    driftTerm: values['drift-term'],
    seed: num(values.seed) ?? D.seed,
    ...(values.label ? { label: values.label } : {}),
  };
  const { run, dataDir, totalSeconds } = await runToEnd('qlbs-start', args, { dataDir: values['data-dir'], json: values.json });
  const { config, metrics: m } = readFinishedRun(run, 'qlbs');
  const wallSeconds = (run.wallMs ?? 0) / 1000;
  if (values.json) {
    const out = { runId: run.id, status: run.status, ...m, config, backend: run.backend, wallSeconds, totalSeconds, dataDir };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const pm = (x: number, se: number | null) => (se === null ? fmt(x) : `${fmt(x)} ± ${se.toPrecision(2)}`);
  const rows: Array<[string, number | string]> = [
    ['run', run.id],
    ['method', config.method === 'fqi' ? `DP (${m.steps} steps) + FQI (${m.fqiSteps} steps)` : `DP (${m.steps} steps)`],
    ['paths', m.paths],
    ['Black-Scholes price', m.bsPrice],
    ['DP price -Q0', m.dpPrice],
    ['DP hedge cost mean Pi0', pm(m.dpHedgeCost, m.dpHedgeCostStdErr)],
    ['  on fresh paths', pm(m.dpHedgeCostOos, m.dpHedgeCostOosStdErr)],
    ['DP - BS', m.dpPrice - m.bsPrice],
  ];
  if (m.fqiPrice !== null && m.dpPriceFqiGrid !== null) {
    rows.push(
      ['FQI price -Q*0', m.fqiPrice],
      [`DP price (${m.fqiSteps} steps)`, m.dpPriceFqiGrid],
      ['FQI - BS', m.fqiPrice - m.bsPrice],
      ['FQI - DP (same grid)', m.fqiPrice - m.dpPriceFqiGrid],
    );
    if (m.fqiMaxGap !== null && m.fqiMaxGap > 0.2) rows.push(['warning', `FQI unstable (gap ${fmt(m.fqiMaxGap)}): more paths, larger --reg or fewer --fqi-steps`]);
  }
  rows.push(['hedge a0 (DP / BS delta)', `${fmt(m.dpHedge0)} / ${fmt(m.bsDelta0)}`], ['compute (s)', wallSeconds], ['total (s)', totalSeconds]);
  printTable(rows);
}
