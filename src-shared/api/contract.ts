import { z } from 'zod';
import { type AppError } from './errors';
import { noDuplicates } from './unique';
import { readIdSchema } from './reads';
import { type AnyRun, type PnlDistribution, type RunStatus } from './runs';
import { hedgeConfigSchema } from '../hedging/config';
import { semistaticSchemas, type SemistaticResponses } from '../semistatic/contract';
import { qlbsSchemas, type QlbsResponses } from '../qlbs/contract';
import { orderbookSchemas, type OrderbookResponses } from '../orderbook/contract';
import { hedgingSchemas, type HedgingResponses } from '../hedging/contract';
import { portfolioSchemas, type PortfolioResponses } from '../portfolio/contract';
import { bsdeSchemas, type BsdeResponses } from '../bsde/contract';
import { hestonHedgeSchemas, type HestonHedgeResponses } from '../heston/hedgeContract';
import { hestonSchemas, type HestonResponses } from '../heston/contract';
import { clusterSchemas, type ClusterInfo, type ClusterResponses } from '../cluster/contract';

/**
 * The one contract between the renderer and the main process. Handlers are named `'domain-verb'` and take
 * one object; every request is validated against its schema here before a handler sees it. Electron IPC
 * and the browser-mode WebSocket host are two transports over the same table (src-main/host/dispatch.ts).
 */

const runId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'runId must be a run id');

/** Core handlers (system, hedging runs, the runs store). */
const coreSchemas = {
  'system-info': z.object({}).strict(),
  'hedging-start': hedgeConfigSchema,
  'runs-list': z.object({ kind: z.string().max(32).optional() }).strict(),
  'runs-count': z.object({}).strict(),
  'runs-get': z.object({ runId }).strict(),
  'runs-cancel': z.object({ runId }).strict(),
  /** Cancel the reads a caller named `readId` (e.g. a signature plot being computed): they answer 'cancelled'. */
  'reads-cancel': z.object({ readId: readIdSchema }).strict(),
  'runs-delete': z.object({ runIds: z.array(runId).min(1, 'select at least one run').max(1000) }).strict(),
  'runs-distribution': z
    .object({
      runIds: z
        .array(runId)
        .min(1, 'select at least one run')
        .max(12, 'compare at most 12 runs at once')
        .superRefine(noDuplicates((id: string) => id, (id) => `run ${id}`)),
      bins: z.number().int().min(10).max(400).optional(),
    })
    .strict(),
} as const;

/**
 * Every handler's request schema. A domain defines its own `<domain>Schemas` (and `<Domain>Responses`) in
 * src-shared/<domain>/contract.ts and adds one spread line here and one `extends` below.
 */
export const requestSchemas = {
  ...coreSchemas,
  ...qlbsSchemas,
  ...semistaticSchemas,
  ...orderbookSchemas,
  ...hedgingSchemas,
  ...portfolioSchemas,
  ...bsdeSchemas,
  ...hestonHedgeSchemas,
  ...hestonSchemas,
  ...clusterSchemas,
} as const;

export type Method = keyof typeof requestSchemas;
export const METHODS = Object.keys(requestSchemas) as Method[];

export interface SystemInfo {
  appVersion: string;
  /** tfjs backend chosen at run time: tfjs-node-gpu, tfjs-node, wasm or cpu (null while probing). */
  tensorBackend: string | null;
  /** Why better backends were not used, one line each. */
  backendNotes: string[];
  dataDir: string;
  /** `electron` or `browser`. */
  transport: 'electron' | 'browser';
  platform: string;
  cpus: number;
}

interface CoreResponses {
  'system-info': SystemInfo;
  'hedging-start': { runId: string };
  /** Newest first; only runs of `kind` when given. */
  'runs-list': AnyRun[];
  /** Stored runs (every kind, every status) and those queued or running: the status bar's count. */
  'runs-count': { runs: number; active: number };
  'runs-get': AnyRun;
  'runs-cancel': { runId: string; status: RunStatus };
  /** Requests cancelled (0 when none was waiting: the read had answered, or never started). */
  'reads-cancel': { cancelled: number };
  'runs-delete': { deleted: number };
  'runs-distribution': PnlDistribution;
}

/** Every handler's result type (see `requestSchemas`). */
export interface Responses extends CoreResponses, SemistaticResponses, QlbsResponses, OrderbookResponses, HedgingResponses, PortfolioResponses, BsdeResponses, HestonHedgeResponses, HestonResponses, ClusterResponses {}

/** What the caller passes (before defaults/coercion). */
export type Req<M extends Method> = z.input<(typeof requestSchemas)[M]>;
/** What the handler receives (after validation). */
export type Parsed<M extends Method> = z.output<(typeof requestSchemas)[M]>;
export type Res<M extends Method> = Responses[M];

/** Events pushed from main to every connected renderer. */
export interface Events {
  /** `detail`: a job's own live snapshot (e.g. per-epoch losses), when it sent one with this report. */
  'run-progress': { runId: string; done: number; total: number; etaMs: number | null; elapsedMs: number; detail?: unknown };
  'run-finished': { runId: string };
  'run-failed': { runId: string; error: AppError };
  'run-cancelled': { runId: string };
  /** The list of runs changed (created, deleted, status change): refetch. */
  'runs-changed': { runIds: string[] };
  'system-changed': SystemInfo;
  /** The cluster's state changed (configured, connected, lost, workers came or went): the Compute control's new state. */
  'cluster-changed': ClusterInfo;
}
export type EventName = keyof Events;

/** Envelopes on the wire (WebSocket) and through IPC. */
export type RpcResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: AppError };
export type PushMessage = { event: EventName; payload: unknown };

export const rpcRequestSchema = z
  .object({ id: z.number().int().nonnegative(), method: z.string().max(64), args: z.unknown() })
  .strict();

/** The object the Electron preload exposes as `window.workstation`. */
export interface PreloadApi {
  invoke(method: string, args: unknown): Promise<RpcResponse>;
  on(listener: (msg: PushMessage) => void): () => void;
  /**
   * Electron only: a native dialog to choose a file or folder; the chosen path becomes readable by the
   * workstation (the file policy grants it) and is returned, or null when the dialog was cancelled.
   */
  pickPath?(kind: 'file' | 'folder'): Promise<string | null>;
  /** Electron only: grant a file dropped on the window (a real File from the drop) and return its path. */
  grantDropped?(file: File): Promise<string | null>;
}
