import { z } from 'zod';
import { appError } from './errors';
import { type RunRecord } from './runs';
import { type HedgeMetrics, type HedgeRunConfig } from '../hedging/config';
import { qlbsConfigSchema, type QlbsConfig, type QlbsMetrics } from '../qlbs/config';
import { qlbsSweepSchema, type QlbsSweepConfig, type QlbsSweepMetrics } from '../qlbs/sweep';
import { semistaticMcSchema, type SemistaticMcConfig, type SemistaticMcMetrics } from '../semistatic/contract';
import { importConfigSchema, pathsConfigSchema, type ImportConfig, type ImportMetrics, type PathsConfig, type PathsMetrics } from '../orderbook/contract';
import { type BsdeHedgeRunConfig, type BsdeRunConfig } from '../bsde/contract';
import { type BsdeMetrics } from '../bsde/result';
import { hedgeConfigSchema as bsdeHedgeSettingsSchema, type BsdeHedgeMetrics } from '../bsde/hedge';
import { solverConfigSchema } from '../bsde/config';
import { bookContentSchema } from '../portfolio/book';
import { hestonHedgeConfigSchema, type HestonHedgeRunConfig } from '../heston/hedgeContract';
import { type HestonHedgeMetrics } from '../heston/hedge';
import { type HestonSolveMetrics, type HestonSolveRunConfig, HESTON_SOLVER_NAMES } from '../heston/contract';
import { hestonSolveConfigShape } from '../heston/config';

/**
 * Every kind of stored job (a run row of that `kind`), with the config it stores and runs and the metrics it
 * finishes with. The job manager's `submit<K>()`, the runner table (one typed runner per kind, registered by
 * the composition root) and typed reads of stored runs all derive from this map: adding a kind here makes a
 * missing runner a type error.
 */
export interface JobKinds {
  hedge: { config: HedgeRunConfig; metrics: HedgeMetrics };
  qlbs: { config: QlbsConfig; metrics: QlbsMetrics };
  'qlbs-sweep': { config: QlbsSweepConfig; metrics: QlbsSweepMetrics };
  semistatic: { config: SemistaticMcConfig; metrics: SemistaticMcMetrics };
  'orderbook-import': { config: ImportConfig; metrics: ImportMetrics };
  'orderbook-paths': { config: PathsConfig; metrics: PathsMetrics };
  'bsde-solve': { config: BsdeRunConfig; metrics: BsdeMetrics };
  'bsde-hedge': { config: BsdeHedgeRunConfig; metrics: BsdeHedgeMetrics };
  'heston-hedge': { config: HestonHedgeRunConfig; metrics: HestonHedgeMetrics };
  'heston-solve': { config: HestonSolveRunConfig; metrics: HestonSolveMetrics };
}

export type JobKind = keyof JobKinds;
export type JobConfig<K extends JobKind> = JobKinds[K]['config'];
export type JobMetrics<K extends JobKind> = JobKinds[K]['metrics'];
/** A stored run of kind K with its config and metrics typed. */
export type JobRun<K extends JobKind> = RunRecord<K, JobConfig<K>, JobMetrics<K>>;

/** What a handler submits: a kind and the config of that kind (kind and config checked together). */
export type JobSpec<K extends JobKind = JobKind> = { [P in K]: { kind: P; config: JobConfig<P> } }[K];

export const JOB_KINDS = [
  'hedge',
  'qlbs',
  'qlbs-sweep',
  'semistatic',
  'orderbook-import',
  'orderbook-paths',
  'bsde-solve',
  'bsde-hedge',
  'heston-hedge',
  'heston-solve',
] as const satisfies readonly JobKind[];

// Every key of JobKinds is listed in JOB_KINDS (a compile error names the missing one).
type Missing = Exclude<JobKind, (typeof JOB_KINDS)[number]>;
const everyKindListed: [Missing] extends [never] ? true : Missing = true;
void everyKindListed;

export const isJobKind = (k: string): k is JobKind => (JOB_KINDS as readonly string[]).includes(k);

const runIdSchema = z.string().regex(/^[0-9a-z-]{8,64}$/, 'must be a run id');

/**
 * Schemas of the stored config of each kind, built from the request schemas the handlers validate with; a
 * stored run of these kinds is parsed on read (`readStoredRun`). 'hedge' has no entry yet: its handlers store
 * extra keys beside the strict `HedgeConfig` union (resume, evaluation, experiment slot, snapshot epochs), so
 * it is typed but not re-validated on read.
 */
export const storedConfigSchemas: { [K in JobKind]?: z.ZodType<JobConfig<K>> } = {
  qlbs: qlbsConfigSchema,
  'qlbs-sweep': qlbsSweepSchema,
  semistatic: semistaticMcSchema,
  'orderbook-import': importConfigSchema,
  'orderbook-paths': pathsConfigSchema,
  'bsde-solve': z
    .object({ bookId: z.string().min(1), version: z.number().int().min(1), book: bookContentSchema, solver: solverConfigSchema })
    .strict(),
  'bsde-hedge': bsdeHedgeSettingsSchema.extend({ solveRunId: runIdSchema }),
  'heston-hedge': hestonHedgeConfigSchema,
  'heston-solve': z
    .object({
      market: hestonSolveConfigShape.market,
      claim: hestonSolveConfigShape.claim,
      solver: z.object((({ market: _m, claim: _c, ...rest }) => ({ ...rest, preset: z.enum(HESTON_SOLVER_NAMES) }))(hestonSolveConfigShape)).strict(),
    })
    .strict(),
};

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const count = z.number().int().min(0);

/**
 * Schemas of stored metrics, for the kinds that have one so far ('orderbook-paths'); the other kinds' metrics
 * are typed by JobKinds but not yet re-validated on read. Loose objects: keys added by a later version pass
 * through untouched.
 */
export const storedMetricsSchemas: { [K in JobKind]?: z.ZodType<JobMetrics<K>> } = {
  'orderbook-paths': z.looseObject({
    pathSetId: z.string().min(1),
    datasetId: z.string().min(1),
    steps: count,
    intervalSeconds: finite,
    dtYears: finite,
    train: count,
    test: count,
    dropped: count,
    shortBuckets: count,
    sigmaTrain: finite,
    sigmaTest: finite,
    cutTimeId: finite,
    seconds: finite,
  }),
};

/** Issue of a failed parse as `field: message`. */
function firstIssue(error: z.ZodError): string {
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.join('.')}: ` : '';
  return `${where}${first?.message ?? 'invalid'}`;
}

/**
 * A stored run as a run of kind K: refuses a run of another kind (naming both) and parses its config with the
 * kind's schema where there is one, so a row written by an older version or edited by hand is reported as
 * such instead of flowing on as a wrongly typed object.
 */
export function readStoredRun<K extends JobKind>(run: RunRecord, kind: K): JobRun<K> {
  if (run.kind !== kind) throw appError('validation', 'WRONG_RUN_KIND', `run ${run.id} is a ${run.kind} run, not a ${kind} run`);
  const schema = storedConfigSchemas[kind] as z.ZodType<JobConfig<K>> | undefined;
  let config: JobConfig<K>;
  if (schema) {
    const parsed = schema.safeParse(run.config);
    if (!parsed.success) {
      throw appError(
        'conflict',
        'STORED_CONFIG',
        `the stored settings of run ${run.id} (${kind}) do not read back (${firstIssue(parsed.error)}): it was stored by another version; run it again`,
      );
    }
    config = parsed.data;
  } else {
    config = run.config as JobConfig<K>;
  }
  const metricsSchema = storedMetricsSchemas[kind] as z.ZodType<JobMetrics<K>> | undefined;
  let metrics: JobMetrics<K> | null;
  if (run.metrics === null || !metricsSchema) {
    metrics = run.metrics as JobMetrics<K> | null;
  } else {
    const parsed = metricsSchema.safeParse(run.metrics);
    if (!parsed.success) {
      throw appError(
        'conflict',
        'STORED_METRICS',
        `the stored results of run ${run.id} (${kind}) do not read back (${firstIssue(parsed.error)}): they were stored by another version; run it again`,
      );
    }
    metrics = parsed.data;
  }
  return { ...run, kind, config, metrics };
}

/** `readStoredRun`, or null when the run is of another kind or its config does not read back (for filters over lists). */
export function tryReadStoredRun<K extends JobKind>(run: RunRecord, kind: K): JobRun<K> | null {
  try {
    return readStoredRun(run, kind);
  } catch {
    return null;
  }
}

/** A finished run of kind K: `readStoredRun` plus its metrics, refusing a run that has none (not done). */
export function readFinishedRun<K extends JobKind>(run: RunRecord, kind: K): JobRun<K> & { metrics: JobMetrics<K> } {
  const r = readStoredRun(run, kind);
  const { metrics } = r;
  if (r.status !== 'done' || metrics === null) {
    throw appError('conflict', 'RUN_NOT_DONE', `run ${run.label || run.id} has no results (status: ${run.status})`);
  }
  return { ...r, metrics };
}
