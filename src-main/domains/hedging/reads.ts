import { appError } from '../../../src-shared/api/errors';
import { type PnlDistribution } from '../../../src-shared/api/runs';
import { pnlDistribution } from '../../engine/risk/distribution';
import { type Db } from '../../store/db';
import { runQueries } from '../../store/queries/runs';
import { type ReadResult } from '../runs/reads';

/**
 * 'hedging-distribution' on a read worker: stored PnL arrays ('pnl', 'pnl@<epoch>', 'pnl@test<i>') of
 * several runs on common bins. Cacheable (deps set) only when every run read is finished.
 */
export function hedgingDistribution(
  db: Db,
  args: { items: Array<{ runId: string; array: string; label?: string }>; bins?: number },
): ReadResult<PnlDistribution> {
  const runs = runQueries(db);
  let allDone = true;
  const samples = args.items.map((it) => {
    const r = runs.get(it.runId);
    if (!r) throw appError('not-found', 'RUN_NOT_FOUND', `run ${it.runId} does not exist (was it deleted?)`);
    if (r.status !== 'done') allDone = false;
    const pnl = runs.getArray(it.runId, it.array);
    if (!pnl || !(pnl instanceof Float64Array)) {
      throw appError('conflict', 'RUN_HAS_NO_PNL', `run ${r.label || r.id} has no PnL array "${it.array}" (status: ${r.status})`);
    }
    return { runId: it.runId, label: it.label ?? r.label ?? r.id, pnl };
  });
  return { result: pnlDistribution(samples, args.bins ?? 60), deps: allDone ? [...new Set(args.items.map((it) => it.runId))] : null };
}
