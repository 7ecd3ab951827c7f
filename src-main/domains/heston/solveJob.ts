import { type HestonSolveMetrics, greekErrors } from '../../../src-shared/heston/contract';
import { type HestonSolveConfig, hestonProgressTotal } from '../../../src-shared/heston/config';
import { type HestonJobProgress } from '../../../src-shared/heston/progress';
import { fellerHolds } from '../../../src-shared/heston/types';
import { CancelledError, throwIfCancelled } from '../../engine/cancel';
import { solveHeston } from '../../engine/heston/solver';
import { chooseBackend } from '../../engine/tensor/backend';
import { type JobRunner } from '../../jobs/runner';
import { type StoredArray } from '../../store/queries/runs';
import { type ReferenceResult, bermudanReference, europeanReference } from './reference';
import { evaluateSurfaces, surfaceGrids } from './surfaces';

/** Progress units of the job beyond the solver's: the reference and the surfaces. */
const REFERENCE_UNITS = 1;
const SURFACE_UNITS = 1;

/** Total progress units of a 'heston-solve' job (the solver's Adam iterations and t = 0 chunks, then reference and surfaces). */
export const hestonJobTotal = (cfg: HestonSolveConfig): number => hestonProgressTotal(cfg) + REFERENCE_UNITS + SURFACE_UNITS;

/**
 * A Heston solve in a job worker: pick the best tfjs backend, train with OSM or RDBDP (solveHeston), then the
 * engine's own reference (semi-analytic for a European, the ADI PDE with a refined grid for a Bermudan), the
 * errors of price and the five Greeks against it, and the Greek surfaces over (S, nu) at four grid dates from
 * the networks and from the reference. Stores the networks (`serialize().arrays`, meta in metrics.solution) and
 * the surfaces as run arrays. Cancel: the solver's AbortSignal, then checks between the phases.
 * With `ctx.checkpoints` (a cluster worker) the solver's state after every backward time step is saved to it
 * and a retried attempt resumes after the last solved step (engine/heston/stepState.ts); the reference and the
 * surfaces after training are cheap and simply recomputed.
 */
export const runHestonSolveJob: JobRunner<'heston-solve'> = async (c, ctx) => {
  const backend = await chooseBackend();
  ctx.started(backend.name);
  const { preset: _preset, ...solver } = c.solver;
  const cfg: HestonSolveConfig = { ...solver, market: c.market, claim: c.claim };
  const total = hestonJobTotal(cfg);
  const trainTotal = hestonProgressTotal(cfg);
  const ac = new AbortController();
  const report = (done: number, detail?: HestonJobProgress): void => {
    if (ctx.hooks.shouldCancel?.()) ac.abort();
    ctx.hooks.onProgress?.(done, total, detail);
  };
  const t0 = performance.now();
  let solution;
  try {
    const channel = ctx.checkpoints;
    solution = await solveHeston(cfg, {
      signal: ac.signal,
      onProgress: (done, _t, m) => report(done, m ? { phase: 'train', solver: m } : undefined),
      ...(channel ? { resume: channel.latest(), onStepDone: (s) => channel.save(s) } : {}),
    });
  } catch (e) {
    if (ac.signal.aborted) throw new CancelledError();
    throw e;
  }
  try {
    const solveMs = performance.now() - t0;
    throwIfCancelled(ctx.hooks);
    const horizon = c.claim.maturity;
    const grids = surfaceGrids(c.market, horizon, cfg.steps, cfg.seed + 7919);
    report(trainTotal, { phase: 'reference', note: c.claim.exerciseDates > 1 ? 'ADI PDE at its default and a refined grid' : 'semi-analytic formula' });
    const t1 = performance.now();
    let ref: ReferenceResult;
    try {
      ref = c.claim.exerciseDates > 1 ? bermudanReference(c.market, c.claim, cfg.steps, () => ctx.hooks.shouldCancel?.() ?? false) : europeanReference(c.market, c.claim, cfg.steps);
    } catch (e) {
      if (ctx.hooks.shouldCancel?.()) throw new CancelledError();
      throw e;
    }
    const referenceMs = performance.now() - t1;
    throwIfCancelled(ctx.hooks);
    report(trainTotal + REFERENCE_UNITS, { phase: 'surfaces', note: `${grids.length} dates` });
    const t2 = performance.now();
    const arrays: Record<string, StoredArray> = { ...evaluateSurfaces(solution.source, grids, 'network'), ...evaluateSurfaces(ref.source, grids, 'pde') };
    const surfacesMs = performance.now() - t2;
    const { meta, arrays: nets } = solution.serialize();
    for (const [k, v] of Object.entries(nets)) arrays[k] = v;
    const metrics: HestonSolveMetrics = {
      scheme: cfg.scheme,
      steps: cfg.steps,
      horizon,
      dt: horizon / cfg.steps,
      feller: fellerHolds(c.market),
      t0: solution.t0,
      t0StdErr: solution.t0StdErr,
      reference: ref.reference,
      errors: greekErrors(solution.t0, ref.reference.t0),
      solution: meta,
      solutionArrays: Object.keys(nets),
      surfaces: grids.length ? { dates: grids, pde: true } : null,
      timings: { solveMs, referenceMs, surfacesMs },
    };
    report(total);
    return { metrics, arrays };
  } finally {
    solution.dispose();
  }
};
