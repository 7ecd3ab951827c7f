import { type JobRun, readFinishedRun } from '../../../src-shared/api/jobs';
import { appError } from '../../../src-shared/api/errors';
import { type HestonSolution, loadHestonSolution } from '../../engine/heston/solver';
import { type RunQueries } from '../../store/queries/runs';

/**
 * A finished 'heston-solve' run's networks back as a `HestonSolution` (its `.source` gives the Greeks at any grid
 * date, e.g. for hedging): the meta is `metrics.solution`, the arrays are the run arrays named in
 * `metrics.solutionArrays`. Refuses a run of another kind, one not done, or one whose arrays are missing.
 * The caller disposes the solution.
 */
export function storedHestonSolution(runs: RunQueries, runId: string): { run: JobRun<'heston-solve'>; solution: HestonSolution } {
  const raw = runs.get(runId);
  if (!raw || raw.kind !== 'heston-solve') throw appError('not-found', 'RUN_NOT_FOUND', `Heston solve run ${runId} does not exist`);
  const run = readFinishedRun(raw, 'heston-solve');
  const arrays: Record<string, Float32Array> = {};
  for (const name of run.metrics.solutionArrays) {
    const a = runs.getArray(runId, name);
    if (!(a instanceof Float32Array)) throw appError('conflict', 'RUN_ARRAYS_MISSING', `run ${run.label || runId} has no stored "${name}" array (float32); solve it again`);
    arrays[name] = a;
  }
  return { run, solution: loadHestonSolution(run.metrics.solution, arrays) };
}
