import { appError } from '../../../src-shared/api/errors';
import { type PnlDistribution } from '../../../src-shared/api/runs';
import { pnlDistribution } from '../../engine/risk/distribution';
import { type Db } from '../../store/db';
import { runQueries } from '../../store/queries/runs';

/** What a read task returns: the result and the stored things it was computed from (for the reply cache). */
export interface ReadResult<T> {
  result: T;
  /**
   * Ids of the finished runs / built path sets read: the result stays valid while they exist, and is cached.
   * null: not cacheable (something read may still change).
   */
  deps: string[] | null;
}

/**
 * 'runs-distribution' on a read worker: the stored PnL samples of finished runs on common bins. Runs are
 * immutable once done, so the result is cacheable for as long as the runs exist.
 */
export function runsDistribution(db: Db, args: { runIds: string[]; bins?: number }): ReadResult<PnlDistribution> {
  const runs = runQueries(db);
  const samples = args.runIds.map((id) => {
    const r = runs.get(id);
    if (!r) throw appError('not-found', 'RUN_NOT_FOUND', `run ${id} does not exist (was it deleted?)`);
    const pnl = r.status === 'done' ? runs.getArray(id, 'pnl') : null;
    if (!pnl || !(pnl instanceof Float64Array)) {
      throw appError('conflict', 'RUN_HAS_NO_PNL', `run ${r.label || id} has no PnL sample (status: ${r.status})`);
    }
    return { runId: id, label: r.label || id, pnl };
  });
  return { result: pnlDistribution(samples, args.bins ?? 80), deps: args.runIds };
}
