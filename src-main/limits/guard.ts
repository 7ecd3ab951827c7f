import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appError } from '../../src-shared/api/errors';
import { type WorkEstimate } from '../../src-shared/limits/estimate';
import { DEFAULT_LIMITS, type Limits, limitsFromSettings, overLimits } from '../../src-shared/limits/limits';

/**
 * The limits in force in this process and the check every job-starting handler makes before it submits
 * (see src-shared/limits). `force` (CLI `--force`, `HEDGE_FORCE=1`) lets every job through, as `allowLong`
 * does for one request.
 */
export interface WorkGuard {
  readonly limits: Limits;
  readonly force: boolean;
  /** Settings that were ignored (bad values in limits.json, the environment or flags), for the start-up log. */
  readonly problems: string[];
  /** Throw a validation error quoting the estimate when it is over the limits and not overridden. */
  check(e: WorkEstimate, allowLong: boolean | undefined): void;
}

export const LIMITS_FILE = 'limits.json';

/**
 * Limits from the defaults, then `<dataDir>/limits.json` ({ "maxHours": 2, "maxDiskGB": 2, "maxQueued": 20 }),
 * then HEDGE_MAX_HOURS / HEDGE_MAX_DISK_GB / HEDGE_MAX_QUEUED, then `flags` (the host's --max-* options).
 */
export function loadWorkGuard(opts: { dataDir: string; env?: NodeJS.ProcessEnv; flags?: Record<string, unknown>; force?: boolean }): WorkGuard {
  const env = opts.env ?? process.env;
  let limits = DEFAULT_LIMITS;
  const problems: string[] = [];
  const apply = (s: Record<string, unknown>, source: string): void => {
    const r = limitsFromSettings(limits, s, source);
    limits = r.limits;
    problems.push(...r.problems);
  };
  const file = join(opts.dataDir, LIMITS_FILE);
  if (existsSync(file)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) apply(parsed as Record<string, unknown>, LIMITS_FILE);
      else problems.push(`${LIMITS_FILE}: must be a JSON object like {"maxHours": 2}`);
    } catch (e) {
      problems.push(`${LIMITS_FILE}: not valid JSON (${(e as Error).message.slice(0, 80)})`);
    }
  }
  const fromEnv: Record<string, unknown> = {};
  if (env.HEDGE_MAX_HOURS) fromEnv.maxHours = env.HEDGE_MAX_HOURS;
  if (env.HEDGE_MAX_DISK_GB) fromEnv.maxDiskGB = env.HEDGE_MAX_DISK_GB;
  if (env.HEDGE_MAX_QUEUED) fromEnv.maxQueued = env.HEDGE_MAX_QUEUED;
  apply(fromEnv, 'environment');
  const fromFlags = Object.fromEntries(Object.entries(opts.flags ?? {}).filter(([, v]) => v !== undefined));
  apply(fromFlags, 'flags');
  const force = opts.force ?? env.HEDGE_FORCE === '1';
  const final = limits;
  return {
    limits: final,
    force,
    problems,
    check(e, allowLong) {
      if (force || allowLong) return;
      const msg = overLimits(e, final);
      if (msg) throw appError('validation', 'TOO_MUCH_WORK', msg);
    },
  };
}
