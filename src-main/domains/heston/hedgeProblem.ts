import { appError } from '../../../src-shared/api/errors';
import { type AnyRun } from '../../../src-shared/api/runs';
import { type HestonHedgeRunConfig, type HestonHedgeGreeks } from '../../../src-shared/heston/hedgeContract';
import { type HestonBookGreeks, type HestonHedgeInstrument } from '../../../src-shared/heston/hedge';
import { HESTON_INSTRUMENTS, type HestonClaim, type HestonGreekSource, type HestonMarket, type HestonStrategy } from '../../../src-shared/heston/types';
import { CancelledError, type JobHooks } from '../../engine/cancel';
import { hedgeProblemIssues, type HestonHedgeProblem } from '../../engine/heston/hedge';
import { semiAnalyticGreekSource, hestonHedgePricer, pdeGreekSource, networkGreekSource } from '../../engine/heston/hedgeSources';

/**
 * The hedging problem of a 'heston-solve' run, shared by the 'heston-hedge' job, the schedule replay and the
 * CLI: the run's market and claim, its grid (N, T) and the Greek source the request names.
 */
export interface HestonSolveData {
  /** The solve run (null in a cluster part job, which has the solve's data but no store). */
  run: AnyRun | null;
  market: HestonMarket;
  claim: HestonClaim;
  scheme: string;
  steps: number;
  horizon: number;
  /** The solution's serialized meta and its arrays (network Greeks); null when not read. */
  solution: { meta: unknown; arrays: Record<string, Float32Array | Float64Array | Int32Array> } | null;
}

/** The stored fields of a 'heston-solve' run this domain reads (the run kind h4's solve job writes). */
interface SolveMetricsRead {
  scheme: string;
  steps: number;
  horizon: number;
  solution: unknown;
  solutionArrays: string[];
}
interface SolveConfigRead {
  market: HestonMarket;
  claim: HestonClaim;
}

/**
 * A finished 'heston-solve' run's data, or an error saying why there is none.
 * @param getArray reads one of the run's arrays (only called for network Greeks).
 */
export function hestonSolveData(run: AnyRun | null, runId: string, withNetworks: boolean, getArray: (name: string) => unknown): HestonSolveData {
  if (!run) throw appError('not-found', 'RUN_NOT_FOUND', `solve run ${runId} does not exist`);
  if (run.kind !== 'heston-solve') throw appError('validation', 'WRONG_RUN_KIND', `run ${run.label || runId} is a ${run.kind} run, not a heston-solve run: give the id of a Heston solve (Portfolio tab, market "Heston")`);
  if (run.status !== 'done' || !run.metrics) throw appError('conflict', 'RUN_NOT_DONE', `solve run ${run.label || runId} is ${run.status}; hedge when it is done`);
  const cfg = run.config as SolveConfigRead;
  const m = run.metrics as SolveMetricsRead;
  let solution: HestonSolveData['solution'] = null;
  if (withNetworks) {
    const arrays: Record<string, Float32Array | Float64Array | Int32Array> = {};
    for (const name of m.solutionArrays ?? []) {
      const a = getArray(name);
      if (!(a instanceof Float32Array || a instanceof Float64Array || a instanceof Int32Array)) throw appError('conflict', 'RUN_ARRAYS_MISSING', `solve run ${run.label || runId} has no stored array '${name}'; solve again`);
      arrays[name] = a;
    }
    solution = { meta: m.solution, arrays };
  }
  return { run, market: cfg.market, claim: cfg.claim, scheme: m.scheme, steps: m.steps, horizon: m.horizon, solution };
}

/** Which Greeks a hedge with `greeks` uses on this solve ('network' -> the solve's scheme). */
export const bookGreeksOf = (solve: Pick<HestonSolveData, 'scheme'>, greeks: HestonHedgeGreeks): HestonBookGreeks =>
  greeks === 'network' ? (solve.scheme === 'rdbdp' ? 'rdbdp' : 'osm') : greeks;

/** Problems with hedge settings on a solve, each naming the field (empty when fine). */
export function hestonHedgeIssues(solve: HestonSolveData, cfg: Omit<HestonHedgeRunConfig, 'solveRunId'>): Array<{ field: string; message: string; value: unknown }> {
  const out: Array<{ field: string; message: string; value: unknown }> = [];
  if (cfg.greeks === 'semi-analytic' && solve.claim.exerciseDates > 1) {
    out.push({ field: 'greeks', message: `the semi-analytic formula prices European claims only; this claim has ${solve.claim.exerciseDates} exercise dates: use network or pde`, value: cfg.greeks });
  }
  for (const i of hedgeProblemIssues({ claim: solve.claim, instruments: cfg.instruments, strategies: cfg.strategies, rebalance: cfg.rebalance, steps: solve.steps, horizon: solve.horizon })) {
    out.push({ ...i, value: i.field === 'rebalance' ? cfg.rebalance : i.field === 'strategies' ? cfg.strategies : null });
  }
  return out;
}

/**
 * The book's Greek source for the hedge. The PDE is solved first (seconds): its time steps are reported as
 * progress detail and it stops on cancel.
 */
export function greekSourceOf(solve: HestonSolveData, greeks: HestonHedgeGreeks, hooks?: JobHooks): HestonGreekSource {
  if (greeks === 'semi-analytic') return semiAnalyticGreekSource(solve.market, solve.claim, solve.steps);
  if (greeks === 'pde') {
    let cancelled = false;
    try {
      return pdeGreekSource(solve.market, solve.claim, solve.steps, (done, total) => {
        hooks?.onProgress?.(0, solve.steps + 1, { phase: 'pde', message: `solving the PDE reference (ADI): time step ${done} of ${total}` });
        cancelled = hooks?.shouldCancel?.() === true;
        return cancelled;
      });
    } catch (e) {
      if (cancelled) throw new CancelledError();
      throw e;
    }
  }
  if (!solve.solution) throw new Error('network Greeks need the solve run arrays (read them with withNetworks = true)');
  return networkGreekSource(solve.solution.meta, solve.solution.arrays);
}

/** The engine problem of a hedge: the whole run, or one (strategy, R) cell of it (schedule replay). */
export function hestonHedgeProblem(
  solve: HestonSolveData,
  cfg: Omit<HestonHedgeRunConfig, 'solveRunId'>,
  only?: { strategy: HestonStrategy; rebalance: number } | null,
  hooks?: JobHooks,
  source: HestonGreekSource = greekSourceOf(solve, cfg.greeks, hooks),
): HestonHedgeProblem {
  return {
    market: solve.market,
    claim: solve.claim,
    source,
    instruments: cfg.instruments,
    pricer: hestonHedgePricer,
    strategies: only ? [only.strategy] : cfg.strategies,
    rebalance: only ? [only.rebalance] : cfg.rebalance,
  };
}

/** The instruments as the results show them (role, label, strike, maturity). */
export function instrumentInfo(cfg: Pick<HestonHedgeRunConfig, 'instruments'>): HestonHedgeInstrument[] {
  return cfg.instruments.map((ins, k) => ({
    role: HESTON_INSTRUMENTS[k].role,
    label: `${HESTON_INSTRUMENTS[k].role}: ${ins.kind} K=${ins.strike} T=${ins.maturity}y`,
    kind: 'put' as const,
    assets: [0],
    strike: ins.strike,
    maturity: ins.maturity,
  }));
}
