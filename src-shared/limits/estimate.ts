import { TRAIN_DEFAULTS } from '../hedging/config';

/**
 * What a job will cost before it starts: its work in the job's own unit, the wall time that work takes at a
 * measured rate, and the disk it writes. One pure estimator per job kind, used by the handlers (to refuse
 * work beyond the limits, see limits.ts) and by the forms (to show the estimate before the user starts).
 *
 * The times are estimates, not promises: each rate was measured on the reference machine (2 cores, tfjs
 * wasm backend, one job running; see RATES) and a job on a busy or faster machine can take several times
 * less or more. Forms show them as "≈" with the unit; the refusal message quotes the same figures.
 */

/**
 * Measured throughputs on the reference machine (2 cores shared with other work, tfjs wasm backend), each
 * with how it was measured. Figures are rounded to two digits; estimates built on them are good to about a
 * factor of two.
 */
export const RATES = {
  /**
   * Trained hedging models: seconds of fixed work per epoch (the monitor evaluation, histogram, progress and
   * checkpoint) and path-steps of training per second. Fitted to two runs: `npm run -s cli -- hedge --model mlp
   * --epochs 20 --train-paths 8192 --paths 20000 --json` gave secondsPerEpoch 5.85 (8,192 x 30 training and
   * 10,000 x 30 monitor path-steps an epoch), and issue 13's probe measured 5,000 epochs x 200,000 paths x 30
   * steps at 9.5 h (6.84 s an epoch): 5.85 = a + 245,760/R + m, 6.84 = a + 6,000,000/R + m, m = 300,000 /
   * hedgeTestPathStepsPerSec, so R = 5.8e6 and a = 5.7 s.
   */
  hedgeEpochOverheadSec: 5.7,
  hedgeTrainPathStepsPerSec: 5.8e6,
  /**
   * Hedging a test set (all models) and the per-epoch monitor: path-steps per second. `npm run -s cli -- hedge
   * --model bsdh --paths 200000 --json`: 6,000,000 path-steps in wallSeconds 2.73.
   */
  hedgeTestPathStepsPerSec: 2.2e6,
  /**
   * Deep-BSDE solves: samples x assets per second of Adam training (iterations x batch x d). `npm run -s cli
   * -- bsde solve --preset B1 --solver tiny --json` (d = 5, batch 256): a step's two stages of 200 iterations
   * took 2.5-4.7 s (3.8 s on average), 400 x 256 x 5 / 3.8 s = 1.3e5.
   */
  bsdeSampleDimsPerSec: 1.3e5,
  /**
   * Order-book path sets: window points per second (cut, normalise, stage, copy). Not measured at scale; set
   * from the sample's path set (about 0.2 s at start-up). Path sets are bounded by disk far sooner than time.
   */
  pathPointsPerSec: 2e7,
} as const;

export interface WorkEstimate {
  /** What the job is, in words: `hedging (mlp)`, `BSDE solve (osm)`, `path set`. */
  what: string;
  /** Work in `workUnit` (e.g. 3.0e10 path-steps). */
  work: number;
  workUnit: string;
  /** Estimated wall time, seconds (≈, see RATES). */
  seconds: number;
  /** Bytes the job adds to the data folder (≈; results, arrays, staging). */
  diskBytes: number;
}

/** Hedging run sizes as the form and `hedging-start` give them (defaults already filled for trained models). */
export interface HedgeSize {
  model: 'bsdh' | 'mlp' | 'ntb' | 'dhlnn';
  /** Rebalancing steps per path. */
  steps: number;
  /** Test paths. */
  paths: number;
  epochs?: number;
  trainPaths?: number;
  /** DHLNN inner iterations per epoch (each a training pass). */
  innerSteps?: number;
  /** Test paths hedged after every epoch (default TRAIN_DEFAULTS.monitorPaths). */
  monitorPaths?: number;
}

/** The sizes of a hedging config (any model; trained-model fields when present). */
export function hedgeSizeOf(c: { model: HedgeSize['model']; steps: number; paths: number; epochs?: number; trainPaths?: number; innerSteps?: number; monitorPaths?: number }): HedgeSize {
  return { model: c.model, steps: c.steps, paths: c.paths, epochs: c.epochs, trainPaths: c.trainPaths, innerSteps: c.innerSteps, monitorPaths: c.monitorPaths };
}

/**
 * Hedging: per epoch, {@link RATES.hedgeEpochOverheadSec} plus trainPaths x steps x (1 + innerSteps for DHLNN)
 * path-steps of training at {@link RATES.hedgeTrainPathStepsPerSec} plus monitorPaths x steps at
 * {@link RATES.hedgeTestPathStepsPerSec}; then the test set, paths x steps at the test rate. Disk: the test
 * PnL (8 bytes a path) and the per-epoch history (~200 bytes an epoch).
 */
export function estimateHedging(c: HedgeSize): WorkEstimate {
  const trained = c.model !== 'bsdh';
  const epochs = trained ? (c.epochs ?? TRAIN_DEFAULTS.epochs) : 0;
  const passes = c.model === 'dhlnn' ? 1 + (c.innerSteps ?? TRAIN_DEFAULTS.innerSteps) : 1;
  const train = epochs * (c.trainPaths ?? TRAIN_DEFAULTS.trainPaths) * c.steps * passes;
  const monitor = epochs * Math.min(c.monitorPaths ?? TRAIN_DEFAULTS.monitorPaths, c.paths) * c.steps;
  const test = c.paths * c.steps;
  const seconds = epochs * RATES.hedgeEpochOverheadSec + train / RATES.hedgeTrainPathStepsPerSec + (monitor + test) / RATES.hedgeTestPathStepsPerSec;
  return { what: `hedging run (${c.model})`, work: train + monitor + test, workUnit: 'path-steps', seconds, diskBytes: 8 * c.paths + 200 * epochs };
}

/** A BSDE solve's sizes (SolverConfig's fields) and the book's number of assets d. */
export interface BsdeSize {
  scheme: 'osm' | 'rdbdp';
  steps: number;
  batch: number;
  iterationsLast: number;
  iterationsOther: number;
  samplesT0: number;
  width: number;
  depth: number;
  d: number;
}

/**
 * BSDE solve: Adam iterations (OSM: a Z and a C stage per step; RDBDP: one) = stages x (iterationsLast +
 * (steps - 2) x iterationsOther), each on `batch` samples of d assets: work = iterations x batch x d at
 * {@link RATES.bsdeSampleDimsPerSec}. Disk: the stored networks, 4 bytes a weight for steps + 6 networks.
 */
export function estimateBsde(c: BsdeSize): WorkEstimate {
  const stages = c.scheme === 'osm' ? 2 : 1;
  const iterations = c.steps > 1 ? stages * (c.iterationsLast + (c.steps - 2) * c.iterationsOther) : stages * c.iterationsLast;
  const work = iterations * c.batch * c.d + c.samplesT0 * c.d;
  const paramsPerStep = (c.d + 1) * c.width + (c.depth - 1) * (c.width + 1) * c.width + (c.width + 1) * (c.d + 1);
  return { what: `BSDE solve (${c.scheme})`, work, workUnit: 'sample-dims', seconds: work / RATES.bsdeSampleDimsPerSec, diskBytes: 4 * paramsPerStep * (c.steps + 6) * stages };
}

/** Bytes a path set stores per window beyond its points: stock id (4), time id (4), start second (8). */
export const PATH_WINDOW_META_BYTES = 16;

/**
 * Windows a path set cuts (an upper bound on those it stores: windows straddling the train/test cut are
 * dropped, and empty buckets add none): bucket mode, per bucket windowCount(points per bucket, steps, stride);
 * rolling mode, per stock over its joined series of buckets x (points per bucket - 1) points.
 * `floor((len - steps - 1) / stride) + 1` windows in a series of len points (len >= steps + 1).
 */
export function pathSetWindows(p: { steps: number; stride: number; intervalSeconds: number; bucketSeconds: number; rolling: boolean; bucketsPerStock: number[] }): number {
  const perBucket = Math.floor(p.bucketSeconds / p.intervalSeconds + 1e-9) + 1;
  const count = (len: number): number => (len >= p.steps + 1 ? Math.floor((len - p.steps - 1) / p.stride) + 1 : 0);
  return p.bucketsPerStock.reduce((a, b) => a + (p.rolling ? count(b * (perBucket - 1)) : b * count(perBucket)), 0);
}

/**
 * A path set: windows x (steps + 1) points of 8 bytes, plus {@link PATH_WINDOW_META_BYTES} a window; it is
 * staged and then copied, so the peak disk use is twice that. Time at {@link RATES.pathPointsPerSec}.
 */
export function estimatePathSet(windows: number, steps: number): WorkEstimate {
  const points = windows * (steps + 1);
  const bytes = 8 * points + PATH_WINDOW_META_BYTES * windows;
  return { what: 'path set', work: points, workUnit: 'window points', seconds: points / RATES.pathPointsPerSec, diskBytes: 2 * bytes };
}

/** An upload: its bytes (written once to the uploads folder). */
export function estimateUpload(bytes: number): WorkEstimate {
  return { what: 'upload', work: bytes, workUnit: 'bytes', seconds: 0, diskBytes: bytes };
}

/** `42 s`, `12.5 min`, `9.5 h`, `4.0 days`. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return '< 1 s';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

/** `512 B`, `3.2 MB`, `15.1 GB` (decimal units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** One line for a form or a message: `≈ 9.5 h of work (3.00e+10 path-steps), ≈ 1.6 MB on disk` (`under 1 s of work` below a second). */
export function describeEstimate(e: WorkEstimate): string {
  const work = e.work >= 1e6 ? e.work.toExponential(2) : Math.round(e.work).toLocaleString('en-US');
  return `${e.seconds < 1 ? 'under 1 s' : `≈ ${formatDuration(e.seconds)}`} of work (${work} ${e.workUnit}), ≈ ${formatBytes(e.diskBytes)} on disk`;
}
