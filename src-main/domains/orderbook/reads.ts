import { appError } from '../../../src-shared/api/errors';
import { PATHS_PAGE_MAX_CELLS, pathsPageLimit, type PathsPage } from '../../../src-shared/orderbook/contract';
import { type Db } from '../../store/db';
import { orderbookQueries } from '../../store/queries/orderbook';
import { type ReadResult } from '../runs/reads';

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * 'orderbook-paths-get' on a read worker: one page of a path set's windows, paged by cells. A page holds at
 * most PATHS_PAGE_MAX_CELLS points (windows x (steps + 1)); a larger `limit` is refused with the largest
 * limit this set allows, so a caller pages with offset/limit instead of getting a reply the host cannot
 * encode. A built path set never changes, so the page is cacheable while the set exists.
 */
export function pathsPageRead(db: Db, args: { pathSetId: string; split: 'train' | 'test'; offset?: number; limit?: number }): ReadResult<PathsPage> {
  const q = orderbookQueries(db);
  const { pathSetId, split } = args;
  const ps = q.getPathSet(pathSetId);
  if (!ps) throw appError('not-found', 'PATH_SET_NOT_FOUND', `path set ${pathSetId} does not exist (was it deleted?)`);
  const width = ps.steps + 1;
  const pageLimit = pathsPageLimit(ps.steps);
  const count = split === 'train' ? ps.train : ps.test;
  const off = Math.min(args.offset ?? 0, count);
  const requested = args.limit ?? Math.min(1000, pageLimit);
  const lim = Math.min(requested, count - off);
  if (lim > pageLimit) {
    throw appError(
      'validation',
      'PAGE_TOO_LARGE',
      `limit ${fmt(requested)} asks for ${fmt(lim)} windows x ${fmt(width)} points = ${fmt(lim * width)} points; one page holds at most ` +
        `${fmt(PATHS_PAGE_MAX_CELLS)} points, so at most ${fmt(pageLimit)} windows of this path set: page with offset 0, ${fmt(pageLimit)}, ` +
        `${fmt(2 * pageLimit)}, … and limit ${fmt(pageLimit)}`,
      [{ field: 'limit', message: `at most ${pageLimit} windows per page for this path set (${width} points each)`, value: requested }],
    );
  }
  const page = lim > 0 ? q.pathsPage(pathSetId, split, off, lim, width) : { paths: [], stockId: [], timeId: [], startSecond: [] };
  return {
    result: { pathSetId, split, steps: ps.steps, dtYears: ps.dtYears, sigmaTrain: ps.sigmaTrain, count, offset: off, pageLimit, ...page },
    deps: [pathSetId],
  };
}
