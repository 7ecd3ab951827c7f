import { appError } from '../../../src-shared/api/errors';
import { type AnyRun } from '../../../src-shared/api/runs';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { type JobManager } from '../../jobs/manager';
import { type ReadPool } from '../../reads/pool';
import { type RunQueries } from '../../store/queries/runs';

type RunsHandlers = Pick<HandlerTable, 'runs-list' | 'runs-count' | 'runs-get' | 'runs-cancel' | 'runs-delete' | 'runs-distribution'>;

/** List, inspect, cancel, delete and compare stored runs. */
export function runsHandlers(deps: { runs: RunQueries; jobs: JobManager; reads: ReadPool; emitChanged: (ids: string[]) => void }): RunsHandlers {
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
      deps.reads.forget(runIds);
      deps.emitChanged(runIds);
      return { deleted };
    },
    // Reads every run's PnL sample and sorts it: on a read worker (reads/), cached once the runs are done.
    'runs-distribution': (args) => deps.reads.run('runs-distribution', args),
  };
}
