import { appError } from '../../../src-shared/api/errors';
import { type AnyRun } from '../../../src-shared/api/runs';
import { pnlDistribution } from '../../engine/risk/distribution';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { type JobManager } from '../../jobs/manager';
import { type RunQueries } from '../../store/queries/runs';

type RunsHandlers = Pick<HandlerTable, 'runs-list' | 'runs-count' | 'runs-get' | 'runs-cancel' | 'runs-delete' | 'runs-distribution'>;

/** List, inspect, cancel, delete and compare stored runs. */
export function runsHandlers(deps: { runs: RunQueries; jobs: JobManager; emitChanged: (ids: string[]) => void }): RunsHandlers {
  const { runs, jobs } = deps;
  const mustGet = (runId: string): AnyRun => {
    const r = runs.get(runId);
    if (!r) throw appError('not-found', 'RUN_NOT_FOUND', `run ${runId} does not exist (was it deleted?)`);
    return r;
  };
  return {
    'runs-list': ({ kind }) => runs.list(kind),
    'runs-count': () => runs.count(),
    'runs-get': ({ runId }) => mustGet(runId),
    'runs-cancel': ({ runId }) => {
      const r = mustGet(runId);
      if (jobs.cancel(runId)) return { runId, status: 'running' as const };
      if (r.status === 'queued' || r.status === 'running') {
        throw appError('conflict', 'RUN_OWNED_ELSEWHERE', `run ${runId} is running in another process (the CLI or another window); cancel it there`);
      }
      return { runId, status: r.status };
    },
    'runs-delete': ({ runIds }) => {
      const live = runIds.filter((id) => jobs.isLive(id));
      if (live.length) {
        throw appError('conflict', 'RUN_IN_PROGRESS', `run ${live.join(', ')} is still in progress; cancel it before deleting`);
      }
      const deleted = runs.delete(runIds);
      deps.emitChanged(runIds);
      return { deleted };
    },
    'runs-distribution': ({ runIds, bins }) => {
      const samples = runIds.map((id) => {
        const r = mustGet(id);
        const pnl = r.status === 'done' ? runs.getArray(id, 'pnl') : null;
        if (!pnl || !(pnl instanceof Float64Array)) {
          throw appError('conflict', 'RUN_HAS_NO_PNL', `run ${r.label || id} has no PnL sample (status: ${r.status})`);
        }
        return { runId: id, label: r.label || id, pnl };
      });
      return pnlDistribution(samples, bins ?? 80);
    },
  };
}
