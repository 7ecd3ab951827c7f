import { appError } from '../../../src-shared/api/errors';
import { type OrderbookQueries } from '../../store/queries/orderbook';

/**
 * Look-ups every order-book handler and read task starts with: the data set (or DATASET_NOT_FOUND) and a
 * stock's bucket index (or STOCK_NOT_FOUND, on the stockId field). `purge` first removes data sets whose job
 * ended without finishing (the request thread does; read workers hold a read-only connection and do not).
 */
export function datasetLookups(q: OrderbookQueries, opts: { purge?: boolean } = {}) {
  const mustGet = (datasetId: string) => {
    if (opts.purge) q.purgeOrphans();
    const ds = q.getDataset(datasetId);
    if (!ds) throw appError('not-found', 'DATASET_NOT_FOUND', `data set ${datasetId} does not exist (was it deleted?)`);
    return ds;
  };
  const mustHaveStock = (datasetId: string, stockId: number) => {
    const index = q.bucketIndex(datasetId, stockId);
    if (index.length === 0) {
      throw appError('not-found', 'STOCK_NOT_FOUND', `stock ${stockId} is not in data set ${datasetId}`, [{ field: 'stockId', message: 'not in this data set', value: stockId }]);
    }
    return index;
  };
  return { mustGet, mustHaveStock };
}
