import { z } from 'zod';
import { type Criterion, criterionSchemaFields } from './criteria';

/**
 * A single-option hedging run (deep-hedging spec, "Market", "Liabilities", "Hedgers"): short one European
 * or fixed-strike lookback call on an asset with P_0 = 1 following GBM, hedged at `steps` equally spaced
 * dates over `days` calendar days (dt = days / 365 / steps), proportional cost `cost` per unit traded.
 *
 * The config is a union on `model`:
 * - `bsdh`: the Black–Scholes delta (no training). Its fields are the foundation's; a BSDH config without
 *   the newer optional `testSigma` is exactly what `hedging-start` always accepted.
 * - `mlp` (DHMLP), `ntb` (DHNTB), `dhlnn` (DHLNN): trained hedgers with the training fields below
 *   (epochs, paths per epoch, learning rate; DHLNN also inner iterations and tolerance).
 *
 * For every model `paths` is the size of the fixed, seeded TEST set: paths drawn from `seeded(seed)` in the
 * same order as the BSDH kernel draws them, so a BSDH run and a trained run with the same seed, paths,
 * steps and test sigma are evaluated on exactly the same paths. Training paths come from separate streams
 * (one per epoch, see engine/hedging/datasets.ts).
 */

/** Largest number of paths a run may use: the PnL vector (8 bytes a path) and its sort stay under ~50 MB. */
export const MAX_PATHS = 2_000_000;
/** Largest paths x steps product (about a minute of work on a 2-core machine). */
export const MAX_PATH_STEPS = 300_000_000;
/** Largest test paths x steps of a trained model (network rows evaluated for the final test metrics). */
export const MAX_TRAINED_TEST_ROWS = 30_000_000;
/** Largest training paths x steps per epoch (rows the network is trained on at once; memory ~1 KB a row, DHLNN ~3 KB: it also keeps its output sensitivities). */
export const MAX_TRAIN_ROWS = 1_000_000;

export const HEDGE_MODELS = ['bsdh', 'mlp', 'ntb', 'dhlnn'] as const;
export type HedgeModel = (typeof HEDGE_MODELS)[number];
export const TRAINED_MODELS = ['mlp', 'ntb', 'dhlnn'] as const;
export type TrainedModel = (typeof TRAINED_MODELS)[number];
export const isTrainedModel = (m: string): m is TrainedModel => (TRAINED_MODELS as readonly string[]).includes(m);
export const OPTION_TYPES = ['european', 'lookback'] as const;

/** Network of every trained hedger (spec "Hedgers"): 4 hidden layers of 64 ReLU units. */
export const HIDDEN_LAYERS = 4;
export const HIDDEN_UNITS = 64;

/** Training defaults (spec: 10,000 fresh paths per epoch, Adam 1e-3; DHLNN N = 5 inner iterations). */
export const TRAIN_DEFAULTS = {
  epochs: 50,
  trainPaths: 10_000,
  learningRate: 1e-3,
  innerSteps: 5,
  innerTol: 1e-6,
  /** Test paths evaluated after every epoch for the live histogram (the first ones of the test set). */
  monitorPaths: 10_000,
} as const;

const finite = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? `${what} is required` : `${what} must be a number`) });

const sigmaField = (what: string) => finite(what).gt(0, `${what} must be > 0`).max(5, `${what} must be <= 5 (500%/yr)`);

/** Fields every model shares (the foundation's BSDH config). */
const common = {
  /** Start even when the estimated work or disk is over the limits (src-shared/limits); not stored with the run. */
  allowLong: z.boolean({ error: 'allowLong must be true or false' }).optional(),
  option: z.enum(OPTION_TYPES, { error: 'option must be european or lookback' }),
  strike: finite('strike').gt(0, 'strike must be > 0').max(100, 'strike must be <= 100 (P_0 = 1)'),
  sigma: sigmaField('sigma'),
  drift: finite('drift').min(-5, 'drift must be >= -5').max(5, 'drift must be <= 5'),
  days: finite('days').gt(0, 'days must be > 0').max(3650, 'days must be <= 3650'),
  steps: finite('steps').int('steps must be a whole number').min(1, 'steps must be >= 1').max(10_000, 'steps must be <= 10000'),
  cost: finite('cost').min(0, 'cost must be >= 0').max(0.1, 'cost must be <= 0.1 (10% of notional traded)'),
  paths: finite('paths')
    .int('paths must be a whole number')
    .min(2, 'paths must be >= 2')
    .max(MAX_PATHS, `paths must be <= ${MAX_PATHS} (memory-safe limit)`),
  seed: finite('seed').int('seed must be a whole number').min(0, 'seed must be >= 0').max(2 ** 32 - 1, 'seed must be < 2^32'),
  label: z.string().max(120, 'label must be at most 120 characters').optional(),
  /**
   * Volatility of the TEST paths (out-of-distribution test); the hedger keeps `sigma` for its features and
   * its Black–Scholes anchor. Omitted: the test paths have volatility `sigma`.
   */
  testSigma: sigmaField('testSigma').optional(),
  /**
   * The training criterion and its parameters (criteria.ts; absent = entropic, a = 1, the source's). BSDH is
   * not trained, but reports the same measures, so it can be ranked on the same criterion.
   */
  ...criterionSchemaFields,
};

/**
 * Where the paths come from: GBM with the config's sigma and drift, or an order-book path set
 * (`datasetId` = the path set's id): training samples its train windows, the test set is all its test
 * windows, and the handler sets steps, sigma (= the set's sigmaTrain), days and paths from the set.
 */
export const trainDataSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('gbm') }).strict(),
    z.object({ kind: z.literal('paths'), datasetId: z.string().min(1, 'datasetId is required').max(64) }).strict(),
  ],
  { error: 'data.kind must be gbm or paths' },
);

const training = {
  epochs: finite('epochs').int('epochs must be a whole number').min(1, 'epochs must be >= 1').max(5000, 'epochs must be <= 5000').default(TRAIN_DEFAULTS.epochs),
  trainPaths: finite('trainPaths')
    .int('trainPaths must be a whole number')
    .min(16, 'trainPaths must be >= 16')
    .max(200_000, 'trainPaths must be <= 200000')
    .default(TRAIN_DEFAULTS.trainPaths),
  learningRate: finite('learningRate').gt(0, 'learningRate must be > 0').max(1, 'learningRate must be <= 1').default(TRAIN_DEFAULTS.learningRate),
  monitorPaths: finite('monitorPaths')
    .int('monitorPaths must be a whole number')
    .min(100, 'monitorPaths must be >= 100')
    .max(200_000, 'monitorPaths must be <= 200000')
    .optional(),
  /** Epochs after which the FULL test set is evaluated and its PnL stored (experiments E1, E4, E5). */
  snapshotEpochs: z
    .array(finite('snapshotEpochs').int('snapshotEpochs must be whole numbers').min(1, 'snapshotEpochs must be >= 1'))
    .max(20, 'at most 20 snapshotEpochs')
    .optional(),
  /**
   * More test sets hedged with the final weights (same seed and paths count): another test volatility and/or
   * cost (experiment E3). PnL stored as arrays `pnl@test<i>`, figures in metrics.training.extraTests.
   */
  extraTests: z
    .array(z.object({ sigma: sigmaField('extraTests.sigma').optional(), cost: finite('extraTests.cost').min(0, 'extraTests.cost must be >= 0').max(0.1, 'extraTests.cost must be <= 0.1').optional() }).strict())
    .max(8, 'at most 8 extraTests')
    .optional(),
  data: trainDataSchema.optional(),
};

const bsdhSchema = z.object({ model: z.literal('bsdh'), ...common, data: trainDataSchema.optional() }).strict();
const mlpSchema = z.object({ model: z.literal('mlp'), ...common, ...training }).strict();
const ntbSchema = z.object({ model: z.literal('ntb'), ...common, ...training }).strict();
const dhlnnSchema = z
  .object({
    model: z.literal('dhlnn'),
    ...common,
    ...training,
    innerSteps: finite('innerSteps')
      .int('innerSteps must be a whole number')
      .min(0, 'innerSteps must be >= 0 (0 = plain NTB training)')
      .max(100, 'innerSteps must be <= 100')
      .default(TRAIN_DEFAULTS.innerSteps),
    innerTol: finite('innerTol').min(0, 'innerTol must be >= 0').max(1, 'innerTol must be <= 1').default(TRAIN_DEFAULTS.innerTol),
  })
  .strict();

export const hedgeConfigSchema = z
  .discriminatedUnion('model', [bsdhSchema, mlpSchema, ntbSchema, dhlnnSchema], {
    error: `model must be one of: ${HEDGE_MODELS.join(', ')}`,
  })
  .refine((c) => c.paths * c.steps <= MAX_PATH_STEPS, {
    message: `paths x steps must be <= ${MAX_PATH_STEPS} (about a minute of work); lower paths or steps`,
    path: ['paths'],
  })
  .refine((c) => c.model === 'bsdh' || c.paths * c.steps <= MAX_TRAINED_TEST_ROWS, {
    message: `test paths x steps must be <= ${MAX_TRAINED_TEST_ROWS} for a trained model (network evaluations); lower paths or steps`,
    path: ['paths'],
  })
  .refine((c) => c.model === 'bsdh' || c.trainPaths * c.steps <= MAX_TRAIN_ROWS, {
    message: `trainPaths x steps must be <= ${MAX_TRAIN_ROWS} (memory of one training batch); lower trainPaths or steps`,
    path: ['trainPaths'],
  })
  .refine((c) => c.model === 'bsdh' || !c.snapshotEpochs || c.snapshotEpochs.every((e) => e <= c.epochs), {
    message: 'snapshotEpochs must all be <= epochs',
    path: ['snapshotEpochs'],
  });

export type HedgeConfig = z.output<typeof hedgeConfigSchema>;
export type BsdhConfig = Extract<HedgeConfig, { model: 'bsdh' }>;
export type TrainedHedgeConfig = Exclude<HedgeConfig, { model: 'bsdh' }>;
export type DhlnnConfig = Extract<HedgeConfig, { model: 'dhlnn' }>;

/**
 * What a hedging job actually runs, as stored in the run's config: a validated `HedgeConfig`, plus, for
 * runs made by 'hedging-resume' and 'hedging-evaluate', where their network comes from.
 */
export type HedgeRunConfig = HedgeConfig & {
  /** A continuation: load the checkpoint of `runId` after `epoch` and train on to `epochs`. */
  resume?: { runId: string; epoch: number };
  /** An evaluation: no training; load the weights of `runId` (after `epoch`) and hedge the test set. */
  evaluation?: { runId: string; epoch: number; sourceLabel: string };
  /** A run of an experiment: its place in the plan (see experiments.ts). */
  experimentSlot?: string;
};

/** The example the app opens on: at-the-money European call, sigma 0.1, 30 daily steps, cost 2e-3. */
export const DEFAULT_HEDGE_CONFIG: BsdhConfig = {
  model: 'bsdh',
  option: 'european',
  strike: 1,
  sigma: 0.1,
  drift: 0,
  days: 30,
  steps: 30,
  cost: 0.002,
  paths: 100_000,
  seed: 1,
};

/** Risk and summary figures of a PnL sample, all in units of P_0 (money) unless stated. */
export interface HedgeMetrics {
  paths: number;
  mean: number;
  std: number;
  /** Entropic loss rho = (1/a) log E[exp(-a PNL)], a = 1. */
  entropic: number;
  /** The criterion the run was trained on (BSDH: measured on); absent on runs stored before criteria (= entropic a = 1). */
  criterion?: Criterion;
  /** Its value on the test set (money; lower is better). */
  criterionValue?: number;
  /** Every measure a comparison may rank on (criteria.ts `reportedCriteria`), keyed by `criterionKey`, money. */
  measures?: Record<string, number>;
  /** Mean over test paths and dates of |delta_i| (asset units): how much the hedger holds. */
  meanAbsPosition?: number;
  /** BSDH's mean |position| on the same test paths (the reference of the "does not hedge" rule). */
  bsdhMeanAbsPosition?: number;
  var90: number;
  var95: number;
  var99: number;
  es90: number;
  es95: number;
  es99: number;
  /** Indifference price q(Z) = rho(PNL with Z) - min over static holdings of rho(PNL without Z). */
  indifferencePrice: number;
  /** The second term of the indifference price (0 when drift = 0). */
  noLiabilityRisk: number;
  /**
   * True when the best static holding hit the bound |h| = 100 units: with a strong drift the no-liability
   * risk has no finite minimum on the sample, and the indifference price is then not meaningful.
   */
  noLiabilityAtBound?: boolean;
  /**
   * Option value at t = 0, r = 0: Black-Scholes, or for the lookback the value with the maximum monitored at
   * the hedge dates (exact by Spitzer's identity for K <= P_0, else Broadie-Glasserman-Kou corrected).
   */
  premium: number;
  /** Mean transaction cost paid per path. */
  meanCost: number;
  /** Volatility of the test paths when it differs from `sigma` (out-of-distribution test), and its realised value. */
  testSigma?: number;
  testRealisedVol?: number;
  /** Trained hedgers only: the training record (see `TrainingRecord`). */
  training?: TrainingRecord;
}

/** One epoch of training as recorded and pushed live ('run-progress'.detail.epoch). */
export interface EpochRecord {
  epoch: number;
  /** The criterion trained (entropic a = 1 unless the run says otherwise) on the epoch's training batch at the weights before the step (money). */
  trainLoss: number;
  /** Entropic loss and ES90 on the monitor paths (the first `monitorPaths` test paths) after the step. */
  entropic: number;
  es90: number;
  /** The criterion trained, on the monitor paths after the step (money; absent on runs stored before criteria). */
  criterionValue?: number;
  /** Wall seconds of the training step (excludes the monitor evaluation). */
  seconds: number;
  /** DHLNN: inner iterations actually run (early stop on innerTol). */
  innerIterations?: number;
}

/** A compact histogram: `counts` over equal bins between `lo` and `hi` (money), of `n` samples. */
export interface CompactHistogram {
  lo: number;
  hi: number;
  counts: number[];
  n: number;
  /** Samples outside [lo, hi] (not counted). */
  clipped: number;
}

/** Full-test-set metrics at a snapshot epoch (experiment cells); its PnL is stored as array `pnl@<epoch>`. */
export interface SnapshotMetrics extends Pick<HedgeMetrics, 'criterion' | 'criterionValue' | 'measures' | 'meanAbsPosition' | 'bsdhMeanAbsPosition'> {
  epoch: number;
  entropic: number;
  es90: number;
  mean: number;
  std: number;
  meanCost: number;
}

/** Figures of an extra test set (config.extraTests[i]). */
export interface ExtraTestMetrics extends Omit<SnapshotMetrics, 'epoch'> {
  sigma: number;
  cost: number;
  realisedVol: number;
}

export interface TrainingRecord {
  epochs: number;
  /** Epoch the run started from (0, or the checkpoint epoch of a continuation). */
  startEpoch: number;
  history: EpochRecord[];
  /** Median wall seconds of a training step (epoch) in this run. */
  secondsPerEpoch: number;
  monitorPaths: number;
  /** Network shapes, in the order the weights are stored (`w0`, `b0`, `w1`, ...). */
  layers: Array<{ weight: [number, number]; bias: [number] }>;
  parameters: number;
  /** Full test-set metrics at the snapshot epochs (if any). */
  snapshots: SnapshotMetrics[];
  /** DHLNN: mean inner iterations per epoch. */
  meanInnerIterations?: number;
  /** Extra test sets (config.extraTests), in order; PnL in arrays `pnl@test<i>`. */
  extraTests?: ExtraTestMetrics[];
  /** The monitor histogram (and BSDH reference) after the last epoch, as pushed live. */
  lastDetail?: HedgeEpochDetail;
  /** Worker threads that shared the training batch. */
  threads?: number;
  /** Evaluation runs: the trained run and the epoch whose weights were used. */
  evaluatedFrom?: { runId: string; epoch: number };
}

/** What a trained run pushes with every epoch ('run-progress'.detail). */
export interface HedgeEpochDetail {
  kind: 'hedge-epoch';
  epoch: number;
  epochs: number;
  record: EpochRecord;
  /** Histogram of the model's PnL on the monitor paths after this epoch. */
  histogram: CompactHistogram;
  /** BSDH on the same monitor paths, the reference (same bins as `histogram`). */
  reference: CompactHistogram;
  referenceEntropic: number;
  referenceEs90: number;
  /** BSDH's value of the criterion trained on the monitor paths (absent on runs stored before criteria). */
  referenceCriterion?: number;
  monitorPaths: number;
}
