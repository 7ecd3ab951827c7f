import { hedgingDistribution } from '../domains/hedging/reads';
import { profileRead, signatureRead, wapExportRead } from '../domains/orderbook/analysisReads';
import { rvHistogramRead, seriesRead } from '../domains/orderbook/browseReads';
import { pathsPageRead } from '../domains/orderbook/reads';
import { runsDistribution, type ReadResult } from '../domains/runs/reads';
import { type Db } from '../store/db';

/**
 * Every read that runs on a read worker, by the method it serves. A read takes the worker's read-only
 * connection and the handler's validated arguments. Add a line here for any handler that reads, sorts or
 * encodes large arrays, and call it from the handler with `reads.run(method, args)`.
 */
export const READ_TASKS = {
  'runs-distribution': runsDistribution,
  'hedging-distribution': hedgingDistribution,
  'orderbook-paths-get': pathsPageRead,
  'orderbook-series': seriesRead,
  'orderbook-rv-histogram': rvHistogramRead,
  'orderbook-signature': signatureRead,
  'orderbook-profile': profileRead,
  'orderbook-wap-export': wapExportRead,
} satisfies Record<string, (db: Db, args: never) => ReadResult<unknown>>;

export type ReadTask = keyof typeof READ_TASKS;
export type ReadArgs<T extends ReadTask> = Parameters<(typeof READ_TASKS)[T]>[1];
