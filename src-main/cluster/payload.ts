import { deserialize, serialize } from 'node:v8';
import { z } from 'zod';
import { type AppError } from '../../src-shared/api/errors';
import { isJobKind, storedConfigSchemas } from '../../src-shared/api/jobs';
import { type HedgeRunConfig, hedgeConfigSchema } from '../../src-shared/hedging/config';
import { hedgeNeedsStore } from '../domains/hedging/resumeState';
import { type WireJob } from '../jobs/protocol';
import { type StoredArray } from '../store/queries/runs';

/**
 * What crosses the network between the app and a cluster worker, and the checks on it. A job's data is
 * `{ runId, kind, config, v }`; the worker validates `config` with the SAME schema the app's handlers use for the
 * kind (storedConfigSchemas, and hedgeConfigSchema for 'hedge') before running anything. A result travels as
 * v8-serialized bytes in base64 (typed arrays bit for bit), a checkpoint as v8 bytes in a Redis key.
 */
export const PAYLOAD_VERSION = 1;

export interface ClusterPayload {
  runId: string;
  kind: string;
  config: unknown;
  v: number;
}

/** Why a kind cannot run on a cluster worker (it reads this machine's store), or null when it can. */
export function refusalOf(job: WireJob): string | null {
  switch (job.kind) {
    case 'orderbook-import':
      return 'an order-book import reads files on this machine and writes its store';
    case 'orderbook-paths':
      return 'a path build reads order books stored on this machine';
    case 'bsde-hedge':
      return 'a BSDE rebalancing run reads its solved networks from the store on this machine';
    case 'heston-hedge':
      return 'a Heston hedge reads its solve from the store on this machine';
    case 'hedge':
      // the hedging runner refuses the same configs when it has no store (resumeState.ts)
      return typeof job.config === 'object' && job.config !== null ? hedgeNeedsStore(job.config as HedgeRunConfig) : null;
    default:
      return isJobKind(job.kind) ? null : `no job kind "${job.kind}" runs on the cluster`;
  }
}

const runIdSchema = z.string().regex(/^[0-9a-z-]{8,64}$/, 'must be a run id');

/** A 'hedge' config as the hedging handlers validate it, plus the experiment slot they add. */
function checkHedge(config: unknown): z.ZodSafeParseResult<unknown> {
  if (typeof config !== 'object' || config === null) return hedgeConfigSchema.safeParse(config);
  const { experimentSlot, ...rest } = config as Record<string, unknown>;
  if (experimentSlot !== undefined && (typeof experimentSlot !== 'string' || experimentSlot.length > 200)) {
    return z.string().max(200).safeParse(experimentSlot);
  }
  return hedgeConfigSchema.safeParse(rest);
}

function issueText(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? `config.${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
}

/** A job's data as a worker receives it: the payload (validated) or the reason it is refused. */
export function checkPayload(data: unknown): { ok: true; payload: ClusterPayload } | { ok: false; reason: string } {
  if (typeof data !== 'object' || data === null) return { ok: false, reason: 'the job carries no payload object' };
  const p = data as Partial<ClusterPayload>;
  if (p.v !== PAYLOAD_VERSION) {
    return { ok: false, reason: `payload version ${String(p.v)} is not ${PAYLOAD_VERSION}: the app and this worker are different versions; update one of them` };
  }
  if (!runIdSchema.safeParse(p.runId).success) return { ok: false, reason: `runId ${JSON.stringify(p.runId)} is not a run id` };
  if (typeof p.kind !== 'string' || !isJobKind(p.kind)) return { ok: false, reason: `no job kind ${JSON.stringify(p.kind)} on this worker` };
  const refusal = refusalOf({ kind: p.kind, config: p.config });
  if (refusal) return { ok: false, reason: `${p.kind} jobs do not run on the cluster: ${refusal}` };
  const schema = storedConfigSchemas[p.kind] as z.ZodType | undefined;
  const parsed = p.kind === 'hedge' ? checkHedge(p.config) : schema ? schema.safeParse(p.config) : null;
  if (!parsed) return { ok: false, reason: `no schema to check a ${p.kind} config with` };
  if (!parsed.success) return { ok: false, reason: `invalid ${p.kind} config — ${issueText(parsed.error)}` };
  return { ok: true, payload: { runId: p.runId!, kind: p.kind, config: p.config, v: p.v } };
}

/** A finished job's output as it travels back (returnvalue of the BullMQ job). */
export interface EncodedResult {
  v: number;
  /** v8.serialize({ wallMs, metrics, arrays }) in base64: typed arrays survive bit for bit. */
  data: string;
}

export interface JobResult {
  wallMs: number;
  metrics: unknown;
  arrays: Record<string, StoredArray>;
}

export function encodeResult(r: JobResult): EncodedResult {
  return { v: PAYLOAD_VERSION, data: serialize({ wallMs: r.wallMs, metrics: r.metrics, arrays: r.arrays }).toString('base64') };
}

/** The result back from its encoding; throws with what is wrong when it is not one. */
export function decodeResult(x: unknown): JobResult {
  const e = x as Partial<EncodedResult> | null;
  if (!e || typeof e !== 'object' || e.v !== PAYLOAD_VERSION || typeof e.data !== 'string') {
    throw new Error('the cluster returned a result in an unknown format (a worker of another version?)');
  }
  const r = deserialize(Buffer.from(e.data, 'base64')) as Partial<JobResult>;
  if (!r || typeof r !== 'object' || typeof r.wallMs !== 'number' || typeof r.arrays !== 'object' || r.arrays === null) {
    throw new Error('the cluster returned a result without wall time or arrays');
  }
  for (const [name, a] of Object.entries(r.arrays)) {
    if (!(a instanceof Float64Array || a instanceof Float32Array || a instanceof Int32Array)) throw new Error(`result array ${name} is not a Float64/Float32/Int32 array`);
  }
  return { wallMs: r.wallMs, metrics: r.metrics ?? null, arrays: r.arrays };
}

/** A job's failure as it travels back: BullMQ keeps an Error's message as the job's failedReason. */
const APP_ERROR_TAG = 'APPERROR ';
export const CANCELLED_REASON = 'CANCELLED the job was cancelled from the app';

export const failureMessage = (e: AppError): string => `${APP_ERROR_TAG}${JSON.stringify(e)}`;

/** A failedReason as the AppError the worker meant (or a generic one for BullMQ's own reasons: stalled, …). */
export function failureOf(reason: string | undefined): AppError {
  const r = reason ?? '';
  if (r.startsWith(APP_ERROR_TAG)) {
    try {
      const e = JSON.parse(r.slice(APP_ERROR_TAG.length)) as AppError;
      if (e && typeof e.code === 'string' && typeof e.message === 'string') return e;
    } catch {
      // fall through
    }
  }
  return { type: 'job', code: 'CLUSTER_JOB_FAILED', message: `the cluster job failed: ${r || 'no reason given'}` };
}

export const isCancelledReason = (reason: string | undefined): boolean => (reason ?? '').startsWith('CANCELLED');
