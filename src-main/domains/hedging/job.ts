import {
  type BsdhConfig,
  type EpochRecord,
  type ExtraTestMetrics,
  type HedgeEpochDetail,
  type HedgeMetrics,
  type HedgeRunConfig,
  type SnapshotMetrics,
  type TrainedHedgeConfig,
  type TrainingRecord,
  TRAIN_DEFAULTS,
} from '../../../src-shared/hedging/config';
import { CancelledError } from '../../engine/cancel';
import { runBsdh } from '../../engine/hedging/bsdh';
import { type HedgeTask } from '../../engine/hedging/datasets';
import { type CriterionFields, criterionOf, criterionRisk } from '../../../src-shared/hedging/criteria';
import { criterionFigures } from '../../engine/hedging/criterionFigures';
import { type ChunkHedger, bsdhHedger, firstTestPaths, hedgeTestSet, withPositionFigures } from '../../engine/hedging/evaluate';
import { compactHistograms, hedgeMetricsOf, quickRisk } from '../../engine/hedging/metrics';
import { paramCount, splitLayers } from '../../engine/hedging/network';
import { type ShardPool } from '../../engine/hedging/pool';
import { Trainer, layoutFor } from '../../engine/hedging/trainer';
import { chooseBackend } from '../../engine/tensor/backend';
import { type JobContext, type JobOutput, type JobRunner } from '../../jobs/runner';
import { openDb } from '../../store/db';
import { hedgingQueries } from '../../store/queries/hedging';
import { loadPathSet } from '../../store/queries/orderbook';
import { type StoredArray } from '../../store/queries/runs';
import { createPool } from './pools';
import { type HedgeResumeState, hedgeNeedsStore, readHedgeResume } from './resumeState';

/**
 * A single-option hedging run in a job worker.
 * - BSDH without `testSigma`: the foundation's float64 kernel (runBsdh), unchanged.
 * - BSDH with `testSigma`: the same hedge (hedger volatility `sigma`) on test paths of volatility `testSigma`.
 * - DHMLP / DHNTB / DHLNN: train on tfjs (the backend chooser's best: wasm here), one epoch = one Adam step on
 *   `trainPaths` fresh paths (engine/hedging/trainer.ts). After every epoch: the first `monitorPaths` test
 *   paths are hedged and their PnL histogram (with BSDH on the same paths as the reference), the training loss,
 *   entropic loss and ES90 are pushed as 'run-progress'.detail (`HedgeEpochDetail`), and a checkpoint (weights,
 *   Adam state, history) is written to `hedge_checkpoints` so a cancelled or interrupted run can be resumed.
 *   At `snapshotEpochs` the whole test set is hedged and its PnL kept (array `pnl@<epoch>`). At the end the
 *   whole test set gives the run's metrics and PnL; the weights are stored per layer (`w0`, `b0`, ...).
 * - `resume` (made by 'hedging-resume'): continue from the checkpoint of another run.
 * - With `ctx.checkpoints` (a cluster worker, which has no store): the state after every epoch goes to the
 *   channel instead of `hedge_checkpoints` (resumeState.ts), a retried attempt continues from the channel's
 *   latest state, and the store is never opened (`resume`, `evaluation` and path sets need it and are refused).
 * - `evaluation` (made by 'hedging-evaluate'): no training; hedge this run's test set with the weights of
 *   another run (another test sigma, cost, seed or size).
 * - `data: { kind: 'paths', datasetId }` (any model): an order-book path set loaded here (loadPathSet) and
 *   handed to the engine as arrays: each epoch trains on `trainPaths` train windows drawn WITH replacement
 *   (seeded per epoch), the test set (and the live monitor set, its first windows) is every test window.
 * Progress units of a training run: epochs done out of epochs + 1 (the last unit is the test-set evaluation).
 */
export const runHedgeJob: JobRunner<'hedge'> = async (cfg, ctx) => {
  const storeless = ctx.checkpoints ? hedgeNeedsStore(cfg) : null;
  if (storeless) throw new Error(`this hedging run cannot run on a cluster worker: ${storeless}`);
  if (cfg.model === 'bsdh') return bsdhJob(cfg, ctx);
  return trainedJob(cfg as TrainedHedgeConfig & HedgeRunConfig, ctx);
};

/**
 * The stored windows of a run on an order-book path set (`data: { kind: 'paths' }`), loaded here in the
 * domain layer and handed to the pure engine as arrays. The handler has already set the config's steps,
 * sigma (= the set's sigmaTrain), days (= steps x dtYears x 365) and paths (= the test window count).
 */
interface PathData {
  train: { prices: Float64Array; count: number };
  test: { prices: Float64Array; count: number };
}

function pathDataOf(cfg: HedgeRunConfig, dataDir: string, withTrain: boolean): PathData | null {
  const data = (cfg as { data?: { kind: string; datasetId?: string } }).data;
  if (!data || data.kind !== 'paths' || !data.datasetId) return null;
  const db = openDb({ dataDir });
  try {
    const test = loadPathSet(db, data.datasetId, 'test');
    if (!test) throw new Error(`path set ${data.datasetId} does not exist any more (was it deleted?)`);
    if (test.steps !== cfg.steps) throw new Error(`path set ${data.datasetId} has ${test.steps} steps per window but the run asks for ${cfg.steps}`);
    if (test.count < cfg.paths) throw new Error(`path set ${data.datasetId} has ${test.count} test windows but the run asks for ${cfg.paths}`);
    const train = withTrain ? loadPathSet(db, data.datasetId, 'train') : null;
    if (withTrain && (!train || train.count < 1)) throw new Error(`path set ${data.datasetId} has no training windows`);
    return {
      train: train ? { prices: train.paths, count: train.count } : { prices: new Float64Array(0), count: 0 },
      test: { prices: test.paths, count: cfg.paths },
    };
  } finally {
    db.close();
  }
}

const taskOf = (c: HedgeRunConfig): HedgeTask => ({ option: c.option, strike: c.strike, sigma: c.sigma, days: c.days, steps: c.steps, cost: c.cost });

async function bsdhJob(cfg: BsdhConfig & HedgeRunConfig, ctx: JobContext): Promise<JobOutput<HedgeMetrics>> {
  ctx.started('js-float64');
  const pd = pathDataOf(cfg, ctx.dataDir, false);
  if (cfg.testSigma === undefined && !pd) {
    const { pnl, cost, metrics } = runBsdh(cfg, ctx.hooks);
    return { metrics, arrays: { pnl, cost } };
  }
  const task = taskOf(cfg);
  const tracked = withPositionFigures(task, bsdhHedger(task, cfg.cost));
  const res = await hedgeTestSet({
    seed: cfg.seed,
    paths: cfg.paths,
    task,
    vol: cfg.testSigma ?? cfg.sigma,
    drift: cfg.drift,
    ...(pd ? { source: pd.test.prices } : {}),
    hedge: tracked.hedge,
    chunkPaths: 4096,
    hooks: ctx.hooks,
    onChunk: (d, t) => ctx.hooks.onProgress?.(d, t),
  });
  const metrics: HedgeMetrics = {
    ...hedgeMetricsOf(res.pnl, res.cost, res.terminal, cfg.cost, { ...cfg, sigma: cfg.testSigma ?? cfg.sigma }),
    ...criterionFigures(res.pnl, cfg, tracked.figures()),
    ...(cfg.testSigma !== undefined ? { testSigma: cfg.testSigma } : {}),
    testRealisedVol: res.realisedVol,
  };
  return { metrics, arrays: { pnl: res.pnl, cost: res.cost } };
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

async function trainedJob(cfg: TrainedHedgeConfig & HedgeRunConfig, ctx: JobContext): Promise<JobOutput<HedgeMetrics>> {
  const channel = ctx.checkpoints; // set on a cluster worker: no store (runHedgeJob refused what needs it)
  const task = taskOf(cfg);
  const layout = layoutFor(cfg.model, task);
  const saved = channel ? readHedgeResume(channel.latest(), paramCount(layout), cfg.epochs) : null;
  const pd = channel ? null : pathDataOf(cfg, ctx.dataDir, !cfg.evaluation);
  const fixed = pd ? { source: pd.test.prices } : {};
  const backend = await chooseBackend();
  const db = channel ? null : openDb({ dataDir: ctx.dataDir });
  const store = db ? hedgingQueries(db) : null;
  let pool: ShardPool | null = null;
  try {
    pool = await createPool({ model: cfg.model, task, layout });
    ctx.started(backend.name);
    const testVol = cfg.testSigma ?? cfg.sigma;
    const hooks = ctx.hooks;
    const cancelled = (): boolean => hooks.shouldCancel?.() === true;
    const p = pool;

    if (cfg.evaluation && store) {
      const cp = store.checkpointAt(cfg.evaluation.runId, cfg.evaluation.epoch);
      if (!cp) throw new Error(`run ${cfg.evaluation.runId} has no stored weights for epoch ${cfg.evaluation.epoch}`);
      if (cp.params.length !== paramCount(layout)) throw new Error('the stored weights do not fit this model (different network layout)');
      const tracked = withPositionFigures(task, (prices, n) => p.evaluate(cp.params, prices, n, cfg.cost));
      const res = await hedgeTestSet({
        seed: cfg.seed,
        paths: cfg.paths,
        task,
        vol: testVol,
        drift: cfg.drift,
        ...fixed,
        hedge: tracked.hedge,
        hooks,
        onChunk: (d, t) => hooks.onProgress?.(d, t),
      });
      const training: TrainingRecord = {
        epochs: cp.epoch,
        startEpoch: cp.epoch,
        history: cp.history,
        secondsPerEpoch: median(cp.history.map((h) => h.seconds)),
        monitorPaths: 0,
        layers: splitLayers(layout, cp.params).map((l) => ({ weight: l.weight, bias: l.bias })),
        parameters: cp.params.length,
        snapshots: [],
        evaluatedFrom: { runId: cfg.evaluation.runId, epoch: cfg.evaluation.epoch },
      };
      const metrics: HedgeMetrics = {
        ...hedgeMetricsOf(res.pnl, res.cost, res.terminal, cfg.cost, { ...cfg, sigma: testVol }),
        ...criterionFigures(res.pnl, cfg, tracked.figures()),
        ...(cfg.testSigma !== undefined ? { testSigma: cfg.testSigma } : {}),
        testRealisedVol: res.realisedVol,
        training,
      };
      return { metrics, arrays: { pnl: res.pnl, cost: res.cost, ...weightArrays(layout, cp.params) } };
    }

    let init: ConstructorParameters<typeof Trainer>[3];
    let history: EpochRecord[] = [];
    let startEpoch = 0;
    if (cfg.resume && store) {
      const cp = store.checkpointAt(cfg.resume.runId, cfg.resume.epoch);
      if (!cp) throw new Error(`run ${cfg.resume.runId} has no checkpoint at epoch ${cfg.resume.epoch} to resume from`);
      init = { params: cp.params, adam: cp.adam };
      history = cp.history;
      startEpoch = cp.epoch;
    }
    // A retried attempt of this same run (cluster): continue after the saved epoch; `startEpoch` stays that of the run.
    if (saved) {
      init = { params: saved.params, adam: saved.adam };
      history = saved.history;
    }
    const firstEpoch = saved ? saved.epoch : startEpoch;
    const trainer = new Trainer(
      pool,
      {
        model: cfg.model,
        task,
        seed: cfg.seed,
        trainPaths: cfg.trainPaths,
        trainVol: cfg.sigma,
        drift: cfg.drift,
        learningRate: cfg.learningRate,
        criterion: criterionOf(cfg),
        innerSteps: cfg.model === 'dhlnn' ? cfg.innerSteps : 0,
        innerTol: cfg.model === 'dhlnn' ? cfg.innerTol : 0,
        ...(pd ? { trainSet: pd.train } : {}),
      },
      layout,
      init,
    );

    // Monitor set: the first test paths, with BSDH on them as the reference.
    const monitorPaths = Math.min(cfg.monitorPaths ?? TRAIN_DEFAULTS.monitorPaths, cfg.paths);
    const monitorPrices = pd
      ? pd.test.prices.slice(0, monitorPaths * (cfg.steps + 1))
      : firstTestPaths(cfg.seed, monitorPaths, task, testVol, cfg.drift);
    const reference = (bsdhHedger(task, cfg.cost)(monitorPrices, monitorPaths) as { pnl: Float64Array }).pnl;
    const referenceRisk = quickRisk(reference);
    const criterion = criterionOf(cfg);
    const referenceCriterion = criterionRisk(reference, criterion);

    const total = cfg.epochs + 1;
    const snapshotSet = new Set(cfg.snapshotEpochs ?? []);
    const snapshots: SnapshotMetrics[] = saved ? [...saved.snapshots] : [];
    const snapshotPnl: Record<string, Float64Array> = saved ? { ...saved.snapshotPnl } : {};
    const arrays: Record<string, StoredArray> = {};
    for (const [k, a] of Object.entries(snapshotPnl)) arrays[k] = a;
    const thisRunSeconds: number[] = saved ? [...saved.seconds] : [];
    let innerSum = saved?.innerSum ?? 0;
    let lastDetail: HedgeEpochDetail | undefined = saved?.lastDetail;
    type Hedged = Awaited<ReturnType<typeof hedgeTestSet>> & { positions: { meanAbsPosition?: number; bsdhMeanAbsPosition: number } };
    let last: Hedged | null = null;

    /** The test set at volatility `vol` and cost `costRate`, with mean |position| of the network and of BSDH on it. */
    const testSet = async (vol: number, costRate: number): Promise<Hedged> => {
      const hedge: ChunkHedger = (prices, n) => p.evaluate(trainer.params, prices, n, costRate);
      const tracked = withPositionFigures(task, hedge);
      const r = await hedgeTestSet({ seed: cfg.seed, paths: cfg.paths, task, vol, drift: cfg.drift, ...fixed, hedge: tracked.hedge, hooks });
      return { ...r, positions: tracked.figures() };
    };

    hooks.onProgress?.(firstEpoch, total);
    for (let e = firstEpoch + 1; e <= cfg.epochs; e++) {
      if (cancelled()) throw new CancelledError();
      const step = await trainer.epoch(e, cancelled);
      if (cancelled()) throw new CancelledError(); // this epoch is not saved: a resume redoes it exactly
      const mon = await p.evaluate(trainer.params, monitorPrices, monitorPaths, cfg.cost);
      const risk = quickRisk(mon.pnl);
      const record: EpochRecord = {
        epoch: e,
        trainLoss: step.trainLoss,
        entropic: risk.entropic,
        es90: risk.es90,
        criterionValue: criterionRisk(mon.pnl, criterion),
        seconds: step.seconds,
      };
      if (step.innerIterations !== undefined) {
        record.innerIterations = step.innerIterations;
        innerSum += step.innerIterations;
      }
      history = [...history, record];
      thisRunSeconds.push(step.seconds);
      if (snapshotSet.has(e)) {
        last = await testSet(testVol, cfg.cost);
        arrays[`pnl@${e}`] = last.pnl;
        snapshotPnl[`pnl@${e}`] = last.pnl;
        snapshots.push({ epoch: e, ...sampleStats(last, cfg) });
      } else last = null;
      const [histogram, refHist] = compactHistograms([mon.pnl, reference]);
      const detail: HedgeEpochDetail = {
        kind: 'hedge-epoch',
        epoch: e,
        epochs: cfg.epochs,
        record,
        histogram,
        reference: refHist,
        referenceEntropic: referenceRisk.entropic,
        referenceEs90: referenceRisk.es90,
        referenceCriterion,
        monitorPaths,
      };
      lastDetail = detail;
      if (channel) {
        const state: HedgeResumeState = {
          kind: 'hedge-train',
          epoch: e,
          params: Float64Array.from(trainer.params), // copies: the next epoch updates the weights in place
          adam: trainer.adam.state(),
          history,
          snapshots: [...snapshots],
          snapshotPnl: { ...snapshotPnl },
          seconds: [...thisRunSeconds],
          innerSum,
          lastDetail: detail,
        };
        channel.save(state);
      } else {
        store?.saveCheckpoint({ runId: ctx.runId, epoch: e, keep: snapshotSet.has(e) || e === cfg.epochs, layout, params: trainer.params, adam: trainer.adam.state(), history });
      }
      hooks.onProgress?.(e, total, detail);
    }
    if (cancelled()) throw new CancelledError();
    const final = last ?? (await testSet(testVol, cfg.cost));
    const extraTests: ExtraTestMetrics[] = [];
    for (const [i, t] of (cfg.extraTests ?? []).entries()) {
      const sigma = t.sigma ?? testVol;
      const costRate = t.cost ?? cfg.cost;
      const r = await testSet(sigma, costRate);
      arrays[`pnl@test${i}`] = r.pnl;
      extraTests.push({ sigma, cost: costRate, realisedVol: r.realisedVol, ...sampleStats(r, cfg) });
    }
    const training: TrainingRecord = {
      epochs: cfg.epochs,
      startEpoch,
      history,
      secondsPerEpoch: median(thisRunSeconds),
      monitorPaths,
      layers: splitLayers(layout, trainer.params).map((l) => ({ weight: l.weight, bias: l.bias })),
      parameters: trainer.params.length,
      snapshots,
      threads: p.threads,
      ...(lastDetail ? { lastDetail } : {}),
      ...(extraTests.length ? { extraTests } : {}),
      ...(cfg.model === 'dhlnn' && thisRunSeconds.length > 0 ? { meanInnerIterations: innerSum / thisRunSeconds.length } : {}),
    };
    const metrics: HedgeMetrics = {
      ...hedgeMetricsOf(final.pnl, final.cost, final.terminal, cfg.cost, { ...cfg, sigma: testVol }),
      ...criterionFigures(final.pnl, cfg, final.positions),
      ...(cfg.testSigma !== undefined ? { testSigma: cfg.testSigma } : {}),
      testRealisedVol: final.realisedVol,
      training,
    };
    hooks.onProgress?.(total, total);
    return { metrics, arrays: { ...arrays, pnl: final.pnl, cost: final.cost, ...weightArrays(layout, trainer.params) } };
  } finally {
    await pool?.close();
    db?.close();
  }
}

/** Entropic loss, ES90, mean, std, mean cost and the criterion figures of a hedged sample (money). */
function sampleStats(
  h: { pnl: Float64Array; cost: Float64Array; positions: { meanAbsPosition?: number; bsdhMeanAbsPosition: number } },
  fields: CriterionFields,
): Omit<SnapshotMetrics, 'epoch'> {
  const { pnl, cost } = h;
  const r = quickRisk(pnl);
  let mean = 0;
  let costSum = 0;
  for (let k = 0; k < pnl.length; k++) {
    mean += pnl[k];
    costSum += cost[k];
  }
  mean /= pnl.length;
  let ss = 0;
  for (let k = 0; k < pnl.length; k++) ss += (pnl[k] - mean) ** 2;
  return {
    entropic: r.entropic,
    es90: r.es90,
    mean,
    std: Math.sqrt(ss / Math.max(1, pnl.length - 1)),
    meanCost: costSum / pnl.length,
    ...criterionFigures(pnl, fields, h.positions),
  };
}

/** Weights per layer as float32 arrays `w<l>` [fanIn x fanOut] and `b<l>` [fanOut] (shapes in metrics.training.layers). */
function weightArrays(layout: ReturnType<typeof layoutFor>, params: Float64Array): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  splitLayers(layout, params).forEach((l, i) => {
    out[`w${i}`] = l.w;
    out[`b${i}`] = l.b;
  });
  return out;
}
