import { type WorkEstimate, describeEstimate, formatBytes, formatDuration } from './estimate';

/**
 * The caps on work a client may start. Defaults below; the host reads overrides from `<data dir>/limits.json`,
 * the environment (`HEDGE_MAX_HOURS`, `HEDGE_MAX_DISK_GB`, `HEDGE_MAX_QUEUED`) and its flags (`--max-hours`,
 * `--max-disk-gb`, `--max-queued`), in that order (later wins). A request beyond `maxSeconds` or `maxDiskBytes`
 * is refused with its estimate unless it says `allowLong: true` (CLI: `--force`); the queue cap has no
 * override (wait or cancel).
 */
export interface Limits {
  /** Longest estimated work of one job, seconds. */
  maxSeconds: number;
  /** Most disk one job may add, bytes. */
  maxDiskBytes: number;
  /** Most jobs waiting (queued, not running) at once. */
  maxQueued: number;
}

export const DEFAULT_LIMITS: Limits = { maxSeconds: 2 * 3600, maxDiskBytes: 2e9, maxQueued: 20 };

/** What is over: null when the estimate is within the limits, else a message with the estimate and the way out. */
export function overLimits(e: WorkEstimate, limits: Limits): string | null {
  const over: string[] = [];
  if (e.seconds > limits.maxSeconds) over.push(`≈ ${formatDuration(e.seconds)} of work is over the limit of ${formatDuration(limits.maxSeconds)}`);
  if (e.diskBytes > limits.maxDiskBytes) over.push(`≈ ${formatBytes(e.diskBytes)} on disk is over the limit of ${formatBytes(limits.maxDiskBytes)}`);
  if (over.length === 0) return null;
  return (
    `this ${e.what} is too big to start: ${over.join('; ')} (estimate: ${describeEstimate(e)}). ` +
    'Make it smaller, or start it anyway with "allowLong" (CLI: --force); the limits are set in limits.json in the data folder or with --max-hours / --max-disk-gb'
  );
}

/** Parse limits from a settings object ({ maxHours, maxDiskGB, maxQueued }); unknown or bad entries are reported. */
export function limitsFromSettings(base: Limits, s: Record<string, unknown>, source: string): { limits: Limits; problems: string[] } {
  const limits = { ...base };
  const problems: string[] = [];
  const positive = (k: string): number | null => {
    const v = s[k];
    if (v === undefined) return null;
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
      problems.push(`${source}: ${k} must be a number > 0 (got ${JSON.stringify(v)?.slice(0, 40)})`);
      return null;
    }
    return n;
  };
  const h = positive('maxHours');
  if (h !== null) limits.maxSeconds = h * 3600;
  const g = positive('maxDiskGB');
  if (g !== null) limits.maxDiskBytes = g * 1e9;
  const q = positive('maxQueued');
  if (q !== null) limits.maxQueued = Math.floor(q);
  for (const k of Object.keys(s)) if (!['maxHours', 'maxDiskGB', 'maxQueued'].includes(k)) problems.push(`${source}: unknown setting ${JSON.stringify(k).slice(0, 40)} (known: maxHours, maxDiskGB, maxQueued)`);
  return { limits, problems };
}
