import { z } from 'zod';
import { type EpochRecord, type HedgeEpochDetail, hedgeConfigSchema } from './config';
import { type AnyRun, type PnlDistribution } from '../api/runs';
import { type Criterion, criterionSchemaFields } from './criteria';
import { noDuplicates } from '../api/unique';
import { EXPERIMENT_IDS, EXPERIMENT_SCALES, type ExperimentCell, type CellEntry, type ExperimentInfo, type ExperimentPlan } from './experiments';

/**
 * The deep-hedging lab's handlers (besides the foundation's 'hedging-start', whose schema is
 * `hedgeConfigSchema`): resume a training run, evaluate a trained run on other data, run an experiment
 * preset, and read experiments and stored PnL arrays.
 */
const runId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'runId must be a run id');
const groupId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'groupId must be an experiment id');
const sigma = (what: string) =>
  z.number({ error: `${what} must be a number` }).gt(0, `${what} must be > 0`).max(5, `${what} must be <= 5 (500%/yr)`);

/** Data to evaluate a trained hedger on: GBM paths of another volatility, or an order-book path dataset. */
export const evaluateDataSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('gbm'),
        sigma: sigma('data.sigma'),
        drift: z.number({ error: 'data.drift must be a number' }).min(-5, 'data.drift must be >= -5').max(5, 'data.drift must be <= 5').optional(),
        paths: z.number({ error: 'data.paths must be a number' }).int('data.paths must be a whole number').min(2, 'data.paths must be >= 2').max(1_000_000, 'data.paths must be <= 1000000').optional(),
        seed: z.number({ error: 'data.seed must be a number' }).int('data.seed must be a whole number').min(0, 'data.seed must be >= 0').max(2 ** 32 - 1, 'data.seed must be < 2^32').optional(),
      })
      .strict(),
    z.object({ kind: z.literal('paths'), datasetId: z.string().min(1, 'data.datasetId is required').max(64) }).strict(),
  ],
  { error: 'data.kind must be gbm or paths' },
);

export const hedgingSchemas = {
  /**
   * Continue a cancelled, interrupted or failed training run from its last saved epoch (a new run); one with
   * no saved epoch, or a BSDH run, starts again from the beginning.
   */
  'hedging-resume': z.object({ runId, label: z.string().max(120, 'label must be at most 120 characters').optional() }).strict(),
  /**
   * Train every model on the same settings (BSDH, DHMLP, DHNTB, DHLNN; the same seed, so the same test
   * paths), grouped as one comparison; the training fields of the request apply to all trained models.
   */
  'hedging-compare': hedgeConfigSchema,
  /** Per-epoch training record of a run so far (from its last checkpoint while it trains). */
  'hedging-history': z.object({ runId }).strict(),
  /** What can be resumed / evaluated of a run: its saved epochs. */
  'hedging-checkpoints': z.object({ runId }).strict(),
  /** Hedge new test data with a trained run's weights (a new run, kind 'hedge'). */
  'hedging-evaluate': z
    .object({
      runId,
      /** Weights after this epoch (a snapshot or the final epoch); default the final one. */
      epoch: z.number().int('epoch must be a whole number').min(1, 'epoch must be >= 1').optional(),
      data: evaluateDataSchema,
      cost: z.number({ error: 'cost must be a number' }).min(0, 'cost must be >= 0').max(0.1, 'cost must be <= 0.1').optional(),
      label: z.string().max(120, 'label must be at most 120 characters').optional(),
    })
    .strict(),
  /** Run every cell of an experiment preset (all four hedgers per cell), grouped under one experiment. */
  'hedging-experiment': z
    .object({
      id: z.enum(EXPERIMENT_IDS, { error: `id must be one of: ${EXPERIMENT_IDS.join(', ')}` }),
      scale: z.enum(EXPERIMENT_SCALES, { error: 'scale must be full or quick' }).default('full'),
      seed: z.number().int('seed must be a whole number').min(0, 'seed must be >= 0').max(2 ** 32 - 1, 'seed must be < 2^32').default(1),
      strikes: z.array(z.number().gt(0, 'strikes must be > 0')).min(1, 'give at least one strike').max(4).optional(),
      /** E4 only: the order-book path set (default: the newest one). */
      pathSetId: z.string().min(1, 'pathSetId must not be empty').max(64, 'pathSetId must be at most 64 characters').optional(),
      /** The criterion every trained run of the experiment minimises (default: the source's entropic, a = 1). */
      ...criterionSchemaFields,
    })
    .strict(),
  'hedging-experiments': z.object({}).strict(),
  'hedging-experiment-get': z.object({ groupId }).strict(),
  /** Cancel every queued or running run of an experiment. */
  'hedging-experiment-cancel': z.object({ groupId }).strict(),
  /** Start again the planned runs whose run was deleted (same settings and seed as planned). */
  'hedging-experiment-rerun': z.object({ groupId }).strict(),
  /** Histograms + KDE of stored PnL arrays ('pnl', 'pnl@<epoch>', 'pnl@test<i>') of several runs on common bins. */
  'hedging-distribution': z
    .object({
      items: z
        .array(z.object({ runId, array: z.string().regex(/^pnl(@(\d{1,5}|test\d))?$/, 'array must be pnl, pnl@<epoch> or pnl@test<i>'), label: z.string().max(120).optional() }).strict())
        .min(1, 'give at least one item')
        .max(12, 'at most 12 items')
        .superRefine(noDuplicates((it: { runId: string; array: string }) => `${it.runId}\u0000${it.array}`, (k) => `array ${k.split('\u0000')[1]} of run ${k.split('\u0000')[0]}`)),
      bins: z.number().int().min(10).max(400).optional(),
    })
    .strict(),
} as const;

export interface ExperimentSummary {
  groupId: string;
  id: string;
  label: string;
  scale: string;
  seed: number;
  strikes: number[];
  createdAt: number;
  runs: number;
  done: number;
  failed: number;
  cancelled: number;
  live: number;
  /** Label of the criterion trained ("entropic (a = 1)" for experiments stored before criteria). */
  criterionLabel: string;
  /** Planned runs whose run was deleted (no stored run for their slot): 'hedging-experiment-rerun' starts them again. */
  missing: number;
}

export interface ExperimentCellResult extends ExperimentCell {
  entries: CellEntry[];
  claim: 'held' | 'not held' | 'pending';
}

export interface ExperimentDetail extends ExperimentSummary {
  info: ExperimentInfo;
  /** The criterion the experiment's runs were trained on, and that its cells are ranked and judged on. */
  criterion: Criterion;
  plan: Pick<ExperimentPlan, 'id' | 'scale' | 'seed' | 'strikes'>;
  /** The run of each slot (the newest one when a slot was resumed). */
  slots: Record<string, string>;
  runList: AnyRun[];
  cells: ExperimentCellResult[];
}

export interface HedgingResponses {
  'hedging-compare': { groupId: string; runIds: string[] };
  'hedging-history': { runId: string; history: EpochRecord[]; last: HedgeEpochDetail | null };
  'hedging-resume': { runId: string; fromEpoch: number };
  'hedging-checkpoints': { runId: string; epochs: number[]; latest: number | null; resumable: boolean; reason: string | null };
  'hedging-evaluate': { runId: string };
  'hedging-experiment': { groupId: string; runIds: string[] };
  'hedging-experiments': { experiments: ExperimentSummary[]; presets: ExperimentInfo[] };
  'hedging-experiment-get': ExperimentDetail;
  'hedging-experiment-cancel': { groupId: string; cancelled: number };
  'hedging-experiment-rerun': { groupId: string; runIds: string[] };
  'hedging-distribution': PnlDistribution;
}
