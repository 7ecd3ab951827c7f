import { dirname } from 'node:path';
import { appError } from '../../../src-shared/api/errors';
import { tryReadStoredRun } from '../../../src-shared/api/jobs';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { type JobManager } from '../../jobs/manager';
import { type FilePolicy } from '../../files/policy';
import { type ReadPool } from '../../reads/pool';
import { datasetLookups } from './lookups';
import { type Db } from '../../store/db';
import { type RunQueries } from '../../store/queries/runs';
import { orderbookQueries } from '../../store/queries/orderbook';
import { dataSessionOf, setTimeUnits, timeUnitsOf } from '../../store/queries/orderbookTimeUnits';
import { discover } from './io/discover';
import { inspectPath } from './inspect';
import { pathsConfigProblem, resolvePathsConfig } from './pathsJob';
import { estimatePathSet, estimateUpload, pathSetWindows } from '../../../src-shared/limits/estimate';
import { type WorkGuard } from '../../limits/guard';
import { saveUpload, uploadFolderUsage } from './uploads';

type OrderbookMethod =
  | 'orderbook-inspect'
  | 'orderbook-upload'
  | 'orderbook-import'
  | 'orderbook-datasets'
  | 'orderbook-dataset-get'
  | 'orderbook-dataset-delete'
  | 'orderbook-buckets'
  | 'orderbook-series'
  | 'orderbook-rv-histogram'
  | 'orderbook-signature'
  | 'orderbook-profile'
  | 'orderbook-wap-export'
  | 'orderbook-time-units-set'
  | 'orderbook-build-paths'
  | 'orderbook-path-sets'
  | 'orderbook-paths-get'
  | 'orderbook-path-set-delete';

/** Rows a file is expected to hold, for the run's progress total before the job has read the headers. */
const estimateRows = (files: Array<{ format: 'parquet' | 'csv'; bytes: number }>): number =>
  Math.max(1, Math.round(files.reduce((a, f) => a + f.bytes / (f.format === 'csv' ? 60 : 12), 0)));

/**
 * Order-book handlers: inspect / upload / import files (the import is a job), browse data sets (grid, bucket
 * table, WAP series with zoom, realised-volatility histogram), build path sets (a job) and read them back.
 */
export function orderbookHandlers(deps: { db: Db; runs: RunQueries; jobs: JobManager; files: FilePolicy; guard?: WorkGuard; reads: ReadPool }): Pick<HandlerTable, OrderbookMethod> {
  const { db, runs, jobs, files } = deps;
  const q = orderbookQueries(db);
  const dataDir = dirname(db.name);
  const { mustGet, mustHaveStock } = datasetLookups(q, { purge: true });
  const livePathRuns = (datasetId: string): string[] =>
    runs
      .list('orderbook-paths')
      .filter((r) => tryReadStoredRun(r, 'orderbook-paths')?.config.datasetId === datasetId && jobs.isLive(r.id))
      .map((r) => r.id);

  return {
    'orderbook-inspect': async ({ path }) => inspectPath(await files.check(path), q, path),
    'orderbook-upload': ({ name, dataBase64, folder }) => {
      // The disk estimate counts the whole upload folder (files uploaded together are imported together).
      const already = folder ? uploadFolderUsage(dataDir, folder).bytes : 0;
      deps.guard?.check(estimateUpload(already + Math.floor((dataBase64.length * 3) / 4)), false);
      return saveUpload(dataDir, name, dataBase64, folder);
    },
    'orderbook-import': async (given) => {
      // The job reads the checked real path, so a symlink swapped after this check cannot redirect it.
      const config = { ...given, path: await files.check(given.path) };
      let found;
      try {
        found = await discover(config.path, given.path);
      } catch (e) {
        const err = e as { appError?: { message: string } };
        throw appError('validation', 'INVALID_INPUT', err.appError?.message ?? String(e), [{ field: 'path', message: err.appError?.message ?? String(e), value: given.path }]);
      }
      const label = config.label?.trim() || `Import ${given.path}`;
      const runId = jobs.submit({ kind: 'orderbook-import', config }, { model: 'import', label, total: estimateRows(found.files) });
      return { runId };
    },
    'orderbook-datasets': () => {
      q.purgeOrphans();
      return q.listDatasets();
    },
    'orderbook-dataset-get': ({ datasetId }) => {
      const ds = mustGet(datasetId);
      const extras = q.datasetExtras(datasetId)!;
      return {
        ...ds,
        stocksTable: q.stocks(datasetId),
        mapping: extras.mapping,
        fileList: q.files(datasetId),
        rejectReasons: extras.rejects.reasons,
        rejectExamples: extras.rejects.examples,
      };
    },
    'orderbook-dataset-delete': ({ datasetId }) => {
      mustGet(datasetId);
      const live = livePathRuns(datasetId);
      if (live.length) throw appError('conflict', 'DATASET_IN_USE', `paths are being built from this data set (run ${live.join(', ')}); cancel that first`);
      return q.deleteDataset(datasetId);
    },
    'orderbook-buckets': ({ datasetId, stockId }) => {
      const ds = mustGet(datasetId);
      mustHaveStock(datasetId, stockId);
      // annualised in the stock's trading time, as its signature plot and profiles
      const timeUnits = timeUnitsOf(db, datasetId, ds.layout, dataSessionOf(db, datasetId, stockId));
      return { ...q.bucketTable(datasetId, stockId, ds.bucketSeconds, timeUnits.secondsPerYear), timeUnits };
    },
    // Reads (and decimates) every bucket of a stock, or sorts every bucket's volatility: on a read worker (reads/).
    'orderbook-series': (args) => {
      q.purgeOrphans();
      return deps.reads.run('orderbook-series', args);
    },
    'orderbook-rv-histogram': (args) => {
      q.purgeOrphans();
      return deps.reads.run('orderbook-rv-histogram', args);
    },
    // Signature plot, intraday profiles and the WAP export read every bucket of a stock: on a read worker (reads/).
    // Cancellable: 'reads-cancel' { readId }, or a newer read of the same readId (reads/pool.ts).
    'orderbook-signature': ({ readId, ...args }) => {
      q.purgeOrphans();
      return deps.reads.run('orderbook-signature', args, { readId });
    },
    'orderbook-profile': ({ readId, ...args }) => {
      q.purgeOrphans();
      return deps.reads.run('orderbook-profile', args, { readId });
    },
    'orderbook-wap-export': (args) => {
      q.purgeOrphans();
      return deps.reads.run('orderbook-wap-export', args);
    },
    'orderbook-time-units-set': ({ datasetId, ...units }) => {
      const ds = mustGet(datasetId);
      setTimeUnits(db, datasetId, units);
      return timeUnitsOf(db, datasetId, ds.layout, dataSessionOf(db, datasetId, null));
    },
    'orderbook-build-paths': ({ allowLong, ...config }) => {
      const ds = mustGet(config.datasetId);
      const problem = pathsConfigProblem(config, ds.bucketSeconds);
      if (problem) throw appError('validation', 'INVALID_INPUT', `invalid orderbook-build-paths request — ${problem.field}: ${problem.message}`, [problem]);
      const table = q.stocks(ds.id);
      const stocks = config.stocks ?? table.map((s) => s.stockId);
      const r = resolvePathsConfig(config);
      const wanted = new Set(stocks);
      const windows = pathSetWindows({
        steps: r.steps, stride: r.stride, intervalSeconds: r.intervalSeconds, bucketSeconds: ds.bucketSeconds, rolling: r.windows === 'rolling',
        bucketsPerStock: table.filter((s) => wanted.has(s.stockId)).map((s) => s.buckets),
      });
      deps.guard?.check(estimatePathSet(windows, r.steps), allowLong);
      const runId = jobs.submit({ kind: 'orderbook-paths', config }, { model: 'paths', label: config.label?.trim() || `Paths from ${ds.label}`, total: stocks.length });
      return { runId };
    },
    'orderbook-path-sets': ({ datasetId }) => {
      q.purgeOrphans();
      return q.listPathSets(datasetId);
    },
    // Pages by cells (at most PATHS_PAGE_MAX_CELLS points) on a read worker (reads/); pages of a built set are cached.
    'orderbook-paths-get': (args) => {
      q.purgeOrphans();
      return deps.reads.run('orderbook-paths-get', args);
    },
    'orderbook-path-set-delete': ({ pathSetId }) => {
      const ps = q.getPathSet(pathSetId);
      if (!ps) throw appError('not-found', 'PATH_SET_NOT_FOUND', `path set ${pathSetId} does not exist (was it deleted?)`);
      const deleted = q.deletePathSet(pathSetId);
      deps.reads.forget([pathSetId]);
      return { deleted };
    },
  };
}
