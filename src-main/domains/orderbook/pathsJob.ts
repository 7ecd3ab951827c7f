import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { appError } from '../../../src-shared/api/errors';
import { type PathsConfig, type PathsMetrics } from '../../../src-shared/orderbook/contract';
import { CancelledError, type JobHooks } from '../../engine/cancel';
import { PathBuilder, sigmaFromSumSq } from '../../engine/orderbook/pathBuilder';
import { timeCut } from '../../engine/orderbook/windows';
import { type JobRunner } from '../../jobs/runner';
import { openDb, type Db } from '../../store/db';
import { orderbookQueries } from '../../store/queries/orderbook';
import { openStage, stagingFile, sweepStaging } from '../../store/queries/orderbookStage';
import { dataSessionOf, timeUnitsOf } from '../../store/queries/orderbookTimeUnits';

/**
 * The 'orderbook-paths' job: hedging windows from a data set's WAP series (engine/orderbook/pathBuilder.ts),
 * stock by stock, staged and then stored as a path set in one transaction. Defaults: 30 steps of 10 s,
 * all-level WAP, windows inside each bucket, stride = steps, 80% of the time for training.
 */

export const PATH_DEFAULTS = { intervalSeconds: 10, wap: 'all', windows: 'bucket', trainFraction: 0.8 } as const;

/** The settings a path set is built with, defaults filled in. */
export function resolvePathsConfig(cfg: PathsConfig) {
  return {
    steps: cfg.steps,
    intervalSeconds: cfg.intervalSeconds ?? PATH_DEFAULTS.intervalSeconds,
    wap: cfg.wap ?? PATH_DEFAULTS.wap,
    windows: cfg.windows ?? PATH_DEFAULTS.windows,
    stride: cfg.stride ?? cfg.steps,
    trainFraction: cfg.trainFraction ?? PATH_DEFAULTS.trainFraction,
  };
}

/**
 * Why a configuration cannot give windows on buckets of `bucketSeconds`, as a field error (or null when fine):
 * bucket windows need steps x interval <= bucket length; rolling windows need an interval dividing it.
 */
export function pathsConfigProblem(cfg: PathsConfig, bucketSeconds: number): { field: string; message: string; value: unknown } | null {
  const r = resolvePathsConfig(cfg);
  if (r.windows === 'bucket' && r.steps * r.intervalSeconds > bucketSeconds + 1e-9) {
    return {
      field: 'steps',
      message: `steps x intervalSeconds = ${r.steps * r.intervalSeconds} s does not fit in one ${bucketSeconds} s bucket; lower steps or intervalSeconds, or use rolling windows`,
      value: cfg.steps,
    };
  }
  if (r.windows === 'rolling') {
    const k = bucketSeconds / r.intervalSeconds;
    if (Math.abs(k - Math.round(k)) > 1e-9) {
      return { field: 'intervalSeconds', message: `rolling windows need an interval that divides the bucket length (${bucketSeconds} s), e.g. 1, 5, 10, 20 or 60`, value: cfg.intervalSeconds };
    }
  }
  return null;
}

export async function buildPaths(cfg: PathsConfig, ctx: { hooks: JobHooks; dataDir: string; runId: string | null }, dbIn?: Db): Promise<PathsMetrics> {
  const t0 = performance.now();
  const db = dbIn ?? openDb({ dataDir: ctx.dataDir });
  const q = orderbookQueries(db);
  let stage: ReturnType<typeof openStage> | null = null;
  try {
    sweepStaging(db, ctx.dataDir);
    const ds = q.getDataset(cfg.datasetId);
    if (!ds) throw appError('not-found', 'DATASET_NOT_FOUND', `data set ${cfg.datasetId} does not exist (was it deleted?)`);
    const problem = pathsConfigProblem(cfg, ds.bucketSeconds);
    if (problem) throw appError('validation', 'INVALID_INPUT', `${problem.field}: ${problem.message}`, [problem]);
    const r = resolvePathsConfig(cfg);
    const known = new Set(q.stocks(ds.id).map((s) => s.stockId));
    const stocks = cfg.stocks ?? [...known];
    const unknown = stocks.filter((s) => !known.has(s));
    if (unknown.length) throw appError('validation', 'UNKNOWN_STOCK', `stocks ${unknown.join(', ')} are not in data set ${ds.label}`, [{ field: 'stocks', message: `not in the data set (it has ${[...known].join(', ')})`, value: unknown }]);
    const cut = timeCut(q.distinctTimeIds(ds.id), r.trainFraction);
    // trading time of this data set (the spec's 252 x 6.5 h unless set for it; orderbook-time-units-set)
    const dtYears = r.intervalSeconds / timeUnitsOf(db, ds.id, ds.layout, dataSessionOf(db, ds.id, null)).secondsPerYear;
    const pathSetId = randomUUID();
    const staged = openStage(db, stagingFile(ctx.dataDir, ctx.runId ?? pathSetId));
    stage = staged;
    const builder = new PathBuilder({
      steps: r.steps,
      intervalSeconds: r.intervalSeconds,
      bucketSeconds: ds.bucketSeconds,
      mode: r.windows,
      stride: r.stride,
      cut,
      // timestamped layouts (generic, LOBSTER, ...): rolling windows follow the clock and never span a gap
      clockTime: ds.layout !== 'competition',
      onChunk: (c) => staged.putChunk(pathSetId, c),
    });
    for (let i = 0; i < stocks.length; i++) {
      if (ctx.hooks.shouldCancel?.()) throw new CancelledError();
      builder.addStock(stocks[i], q.wapSeries(ds.id, stocks[i], r.wap));
      ctx.hooks.onProgress?.(i + 1, stocks.length, { stock: stocks[i], train: builder.stats.train, test: builder.stats.test });
    }
    const st = builder.finish();
    if (st.train === 0) {
      throw appError(
        'validation',
        'NO_WINDOWS',
        `no training windows: ${st.test} test windows, ${st.dropped} dropped at the cut, ${st.shortBuckets} buckets too short; lower steps or intervalSeconds, raise trainFraction, or use rolling windows`,
      );
    }
    const sigmaTrain = sigmaFromSumSq(st.sumSqTrain, st.train, r.steps, dtYears);
    const sigmaTest = sigmaFromSumSq(st.sumSqTest, st.test, r.steps, dtYears);
    const label =
      cfg.label?.trim() || `${ds.label}: ${r.steps} x ${r.intervalSeconds} s, ${r.wap === 'all' ? 'all-level' : 'level-1'} WAP, ${r.windows} windows`;
    staged.commit(() => {
      db.prepare(
        `INSERT INTO orderbook_path_sets (id, dataset_id, label, config_json, steps, interval_seconds, dt_years, wap, windows, train_count, test_count,
          dropped, sigma_train, sigma_test, cut_time_id, build_run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        pathSetId, ds.id, label, JSON.stringify(cfg), r.steps, r.intervalSeconds, dtYears, r.wap, r.windows, st.train, st.test, st.dropped,
        Number.isFinite(sigmaTrain) ? sigmaTrain : null, Number.isFinite(sigmaTest) ? sigmaTest : null, Number.isFinite(cut) ? cut : 1e308, ctx.runId, Date.now(),
      );
      db.exec(`INSERT INTO orderbook_path_chunks SELECT * FROM stage.orderbook_path_chunks`);
    });
    stage = null;
    return {
      pathSetId,
      datasetId: ds.id,
      steps: r.steps,
      intervalSeconds: r.intervalSeconds,
      dtYears,
      train: st.train,
      test: st.test,
      dropped: st.dropped,
      shortBuckets: st.shortBuckets,
      sigmaTrain,
      sigmaTest,
      cutTimeId: Number.isFinite(cut) ? cut : Number.MAX_SAFE_INTEGER,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    stage?.discard();
    if (!dbIn) db.close();
  }
}

export const runOrderbookPathsJob: JobRunner<'orderbook-paths'> = async (config, ctx) => {
  ctx.started('js-float64');
  const metrics = await buildPaths(config, { hooks: ctx.hooks, dataDir: ctx.dataDir, runId: ctx.runId });
  return { metrics };
};
