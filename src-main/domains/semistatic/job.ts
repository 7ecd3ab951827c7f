import { type SemistaticMcMetrics, type SemistaticMcProgress } from '../../../src-shared/semistatic/contract';
import { resolveParams } from '../../../src-shared/semistatic/params';
import { throwIfCancelled } from '../../engine/cancel';
import { pnlDistribution } from '../../engine/risk/distribution';
import { expectedWealth } from '../../engine/semistatic/moments';
import { ratioSdExact, simulateSemistatic } from '../../engine/semistatic/montecarlo';
import { solveSemistatic } from '../../engine/semistatic/solution';
import { toeplitzRow } from '../../engine/semistatic/coefficients';
import { seeded } from '../../engine/stochastic/rng';
import { type JobRunner } from '../../jobs/runner';
import { requireFiniteFigures } from './finite';

/** Largest n for the exact variance of the utility (Levinson, O(n^2)). */
const EXACT_SD_MAX_N = 20_000;
/** Operation budget of the identity checks inside the job (about a second). */
const JOB_CHECK_BUDGET = 3e8;
const Z95 = 1.959963984540054;

/**
 * The Monte Carlo check (run kind 'semistatic') in a worker: the closed form with the identity checks,
 * the exact variance of the normalised utility when it is finite, then the simulation with live running
 * estimates. Stores the terminal wealth sample as the run's `pnl` array (money).
 */
export const runSemistaticJob: JobRunner<'semistatic'> = (config, ctx) => {
  const p = resolveParams(config);
  ctx.started('js-float64');
  const hooks = ctx.hooks;
  const detail = (d: SemistaticMcProgress): SemistaticMcProgress => d;
  hooks.onProgress?.(0, config.paths, detail({ phase: 'checks', paths: 0, ratioMean: NaN, ratioSe: NaN }));

  const sol = solveSemistatic(p, { checkBudget: JOB_CHECK_BUDGET });
  throwIfCancelled(hooks);
  const m = p.mu / p.sigma;
  let sd: { sd: number | null; note: string } = { sd: null, note: `not computed for n > ${EXACT_SD_MAX_N} (O(n²))` };
  if (p.n <= EXACT_SD_MAX_N) {
    sd = ratioSdExact(toeplitzRow(p.n, p.D, sol.a), sol.logDetQInverse, m, () => throwIfCancelled(hooks));
  }
  throwIfCancelled(hooks);

  const mc = simulateSemistatic(p, sol.a, sol.entropy, config.paths, seeded(config.seed), hooks);

  const w = mc.wealth;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < w.length; k++) {
    sum += w[k];
    if (w[k] < min) min = w[k];
    if (w[k] > max) max = w[k];
  }
  const wealthMean = sum / w.length;
  let ss = 0;
  for (let k = 0; k < w.length; k++) ss += (w[k] - wealthMean) ** 2;

  const scale = Math.exp(-sol.entropy);
  const utilityMean = -scale * mc.ratioMean;
  const utilitySe = scale * mc.ratioSe;
  const metrics: SemistaticMcMetrics = {
    params: p,
    paths: config.paths,
    seed: config.seed,
    a: sol.a,
    entropy: sol.entropy,
    value: sol.value,
    certaintyEquivalent: sol.certaintyEquivalent,
    ratioMean: mc.ratioMean,
    ratioSe: mc.ratioSe,
    ratioSdExact: sd.sd,
    ratioSdNote: sd.note,
    utilityMean,
    utilitySe,
    utilityCi: [utilityMean - Z95 * utilitySe, utilityMean + Z95 * utilitySe],
    // (MC - closed form) / s.e. of the expected utility: (-e^{-H} R + e^{-H}) / (e^{-H} se_R) = (1 - R) / se_R
    zScore: (utilityMean - sol.value) / utilitySe,
    certaintyEquivalentMc: (sol.entropy - Math.log(mc.ratioMean)) / p.riskAversion,
    certaintyEquivalentSe: mc.ratioSe / mc.ratioMean / p.riskAversion,
    wealthMean,
    wealthStd: w.length > 1 ? Math.sqrt(ss / (w.length - 1)) : 0,
    wealthMin: min,
    wealthMax: max,
    wealthMeanExact: expectedWealth(p, sol.a),
    nonFinite: mc.nonFinite,
    distribution: pnlDistribution([{ runId: ctx.runId, label: 'terminal wealth', pnl: w }], 80, 200),
    checks: sol.checks,
  };
  // the identity checks carry their own pass/fail status and are shown as such
  requireFiniteFigures(metrics, p, 'The Monte Carlo check', ['checks']);
  return { metrics, arrays: { pnl: w } };
};
