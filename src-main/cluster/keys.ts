/**
 * Names shared by the host and the workers: the queue, BullMQ's key prefix, and the keys this app keeps beside
 * BullMQ's own (a job id never contains ':', so `…:hw:…` cannot collide with a job's keys).
 */
export const DEFAULT_QUEUE = 'hedge-workstation';
export const PREFIX = 'bull';
/** Results and failures stay in Redis this long (BullMQ removeOnComplete/removeOnFail age): 7 days. */
export const RESULT_TTL_S = 7 * 24 * 3600;
/** A checkpoint lives this long after its last save. */
export const CHECKPOINT_TTL_S = 7 * 24 * 3600;
/** A cancel request lives this long (enough for a waiting job to be taken and see it). */
export const CANCEL_TTL_S = 24 * 3600;

export const checkpointKey = (queue: string, runId: string): string => `${PREFIX}:${queue}:hw:ckpt:${runId}`;
export const cancelKey = (queue: string, runId: string): string => `${PREFIX}:${queue}:hw:cancel:${runId}`;
export const cancelChannel = (queue: string): string => `${PREFIX}:${queue}:hw:cancel`;

/** What a worker reports through job.updateProgress. */
export type ClusterProgress =
  | { type: 'started'; backend: string; worker: string; attempt: number; resumed: boolean }
  | { type: 'progress'; done: number; total: number; detail?: unknown };
