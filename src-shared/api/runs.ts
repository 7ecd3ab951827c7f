import { type AppError } from './errors';
import { type HedgeConfig, type HedgeMetrics } from '../hedging/config';

export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Finished one way or another: no more progress will come. */
export const isTerminal = (s: RunStatus): boolean => s !== 'queued' && s !== 'running';

/**
 * One stored run as the renderer sees it (arrays such as the PnL sample are fetched separately). Every
 * domain stores its jobs as runs of its own `kind` with its own config and metrics shapes.
 */
export interface RunRecord<K extends string = string, C = unknown, M = unknown> {
  id: string;
  kind: K;
  model: string;
  label: string;
  status: RunStatus;
  config: C;
  seed: number;
  /** Compute backend that did the work, e.g. `js-float64` or `wasm`. */
  backend: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Wall time of the compute in milliseconds. */
  wallMs: number | null;
  progress: { done: number; total: number };
  metrics: M | null;
  error: AppError | null;
  /** Experiment or comparison this run belongs to (null for a single run). */
  groupId: string | null;
  /**
   * Where it computes: 'local' (a worker thread of this machine) or 'cluster' (a BullMQ worker on Redis; while
   * no cluster is connected a queued or running cluster run is waiting for it, not interrupted).
   */
  compute: 'local' | 'cluster';
}

/** A run of any kind, as listed by 'runs-list'. */
export type AnyRun = RunRecord<string, unknown, unknown>;
/** A single-option hedging run (kind 'hedge'). */
export type RunSummary = RunRecord<'hedge', HedgeConfig, HedgeMetrics>;
export const isHedgeRun = (r: AnyRun): r is RunSummary => r.kind === 'hedge';

/** Histogram (as a density) and KDE line of several runs' PnL on common bins, for overlaying. */
export interface PnlDistribution {
  /** Bin edges, length bins + 1, in units of P_0. */
  edges: number[];
  series: Array<{
    runId: string;
    label: string;
    /** Density per bin (integrates to 1 over the edges). */
    density: number[];
    /** KDE evaluated on `kdeX`. */
    kde: number[];
    /** Samples that fell outside the shown range (beyond the 0.05%/99.95% quantiles of all runs). */
    clipped: number;
  }>;
  kdeX: number[];
}
