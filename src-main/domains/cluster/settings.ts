import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { COMPUTE_MODES, redisUrlProblem, type ComputeMode } from '../../../src-shared/cluster/contract';

/**
 * The cluster settings of one data folder: `<dataDir>/cluster.json` = { redisUrl, insecure, compute }. The URL may
 * hold a password, so the file is written with mode 0600 (owner read/write only) and a looser file found at load
 * is tightened. `HEDGE_CLUSTER_REDIS` gives the URL when the file has none (it never turns the cluster on).
 */

export const CLUSTER_FILE = 'cluster.json';
export const CLUSTER_ENV = 'HEDGE_CLUSTER_REDIS';

export interface SavedClusterSettings {
  /** With its password when it has one; null when none was saved. */
  redisUrl: string | null;
  insecure: boolean;
  compute: ComputeMode;
}

export interface LoadedClusterSettings extends SavedClusterSettings {
  /** The URL came from HEDGE_CLUSTER_REDIS, not the file. */
  fromEnv: boolean;
  /** Why the file was ignored (unreadable, not JSON, wrong shape), to show in the status; null when fine or absent. */
  problem: string | null;
}

const fileSchema = z
  .object({
    redisUrl: z.string().max(2048).nullable(),
    insecure: z.boolean(),
    compute: z.enum(COMPUTE_MODES),
  })
  .strict();

export const clusterFile = (dataDir: string): string => join(dataDir, CLUSTER_FILE);

/** The saved settings, else the defaults (compute on this machine; the URL from HEDGE_CLUSTER_REDIS when set). */
export function loadClusterSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): LoadedClusterSettings {
  const file = clusterFile(dataDir);
  const envUrl = env[CLUSTER_ENV]?.trim() || null;
  const defaults = (problem: string | null): LoadedClusterSettings => ({ redisUrl: envUrl, insecure: false, compute: 'local', fromEnv: envUrl !== null, problem });
  if (!existsSync(file)) return defaults(null);
  let saved: SavedClusterSettings;
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) return defaults(`${CLUSTER_FILE} in the data folder is not a cluster settings file (${parsed.error.issues[0]?.message ?? 'wrong shape'}); choose Cluster again to rewrite it`);
    saved = parsed.data;
  } catch (e) {
    return defaults(`${CLUSTER_FILE} in the data folder could not be read (${e instanceof Error ? e.message.replace(file, CLUSTER_FILE) : String(e)}); choose Cluster again to rewrite it`);
  }
  if (saved.redisUrl !== null && redisUrlProblem(saved.redisUrl)) {
    return defaults(`${CLUSTER_FILE} in the data folder holds a Redis URL that ${redisUrlProblem(saved.redisUrl)}; enter it again under Compute`);
  }
  if (saved.redisUrl === null && envUrl) return { ...saved, redisUrl: envUrl, fromEnv: true, problem: null };
  return { ...saved, fromEnv: false, problem: null };
}

/** Write the settings (mode 0600, replaced in one rename so a crash leaves the old or the new file). */
export function saveClusterSettings(dataDir: string, s: SavedClusterSettings): void {
  const file = clusterFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ redisUrl: s.redisUrl, insecure: s.insecure, compute: s.compute }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // the umask may have cleared bits of the requested mode, never added any; make it exact
  renameSync(tmp, file);
}

/** `url` with `password` put in (the URL setter percent-encodes it), or as it is when `password` is empty or absent. */
export function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  const u = new URL(url);
  u.password = password;
  return u.toString().replace(/\/$/, '');
}

/** True when both URLs name the same user at the same host, port and database (passwords aside). */
export function sameEndpoint(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.protocol === y.protocol && x.username === y.username && x.hostname === y.hostname && x.port === y.port && x.pathname.replace(/\/$/, '') === y.pathname.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/** The URL's password ('' when none). */
export function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
