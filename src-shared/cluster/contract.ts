import { z } from 'zod';

/**
 * Where jobs compute: on this machine (worker threads, the default) or on a cluster of BullMQ workers on Redis
 * (src-main/cluster). The host keeps the choice and the Redis URL in `<dataDir>/cluster.json` (mode 0600: the URL
 * may hold a password); `HEDGE_CLUSTER_REDIS` gives the URL when none is saved. Shared by the handlers, the
 * renderer's Compute control and the CLI's `--cluster`.
 */

export const COMPUTE_MODES = ['local', 'cluster'] as const;
export type ComputeMode = (typeof COMPUTE_MODES)[number];

const URL_SHAPE = 'redis://[user:password@]host:port (or rediss://… for TLS)';

/**
 * Why `text` is not a Redis URL the cluster can use, or null when it is: scheme redis: or rediss:, a host, a
 * port 1..65535 when given, and at most a database number 0–15 as the path (src-main/cluster/connection.ts). The reason reads after the field's
 * name ("Redis URL must start with redis://…").
 */
export function redisUrlProblem(text: string): string | null {
  const t = text.trim();
  if (t === '') return `is empty; enter it as ${URL_SHAPE}`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(t)?.[1];
  if (scheme === undefined) return `must start with redis:// or rediss:// (TLS), e.g. redis://${t.length <= 60 ? t : 'host:6379'}`;
  if (scheme !== 'redis' && scheme !== 'rediss') return `must start with redis:// or rediss:// (TLS), not ${scheme}://`;
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return `is not a URL; it must look like ${URL_SHAPE}`;
  }
  if (!u.hostname) return `needs a host; it must look like ${URL_SHAPE}`;
  if (u.port !== '' && (Number(u.port) < 1 || Number(u.port) > 65535)) return `must have a port in 1..65535 (got ${u.port})`;
  if (u.pathname !== '' && u.pathname !== '/' && !(/^\/\d{1,2}$/.test(u.pathname) && Number(u.pathname.slice(1)) <= 15)) {
    return `must have at most a database number 0–15 as its path, such as /0 (got ${u.pathname})`;
  }
  if (u.search || u.hash) return 'must not have a query (?…) or a fragment (#…)';
  return null;
}

/** The URL without its password (user, host, port, database kept): what may be shown and logged. */
export function redisUrlWithoutPassword(text: string): string {
  try {
    const u = new URL(text.trim());
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

const redisUrl = z
  .string({ error: 'the Redis URL must be text' })
  .max(2048, 'the Redis URL must be at most 2048 characters')
  .superRefine((v, ctx) => {
    const p = redisUrlProblem(v);
    if (p) ctx.addIssue({ code: 'custom', message: `redisUrl ${p}` });
  });

export const clusterSchemas = {
  'cluster-status': z.object({}).strict(),
  'cluster-configure': z
    .object({
      /** Without it, the saved URL (or HEDGE_CLUSTER_REDIS) is used. */
      redisUrl: redisUrl.optional(),
      /** Put into the URL; when absent and the URL has none, a saved password for the same user@host:port is kept. */
      password: z.string().max(512, 'the password must be at most 512 characters').optional(),
      /** Accept a Redis that asks no password. */
      insecure: z.boolean().optional(),
      compute: z.enum(COMPUTE_MODES, { error: 'compute must be "local" or "cluster"' }),
    })
    .strict(),
} as const;

/** The cluster as the Compute control shows it. Never holds the password. */
export interface ClusterInfo {
  /** The saved choice: where new jobs go while connected. */
  compute: ComputeMode;
  /** Where jobs go now: 'cluster' only while compute is 'cluster' and the backend is connected. */
  effective: ComputeMode;
  /** The Redis URL without its password, null when none is saved or set in HEDGE_CLUSTER_REDIS. */
  where: string | null;
  /** The URL came from HEDGE_CLUSTER_REDIS (nothing saved yet). */
  fromEnv: boolean;
  /** A password is saved with the URL (it is never sent back). */
  hasPassword: boolean;
  tls: boolean;
  insecure: boolean;
  /** A connection attempt is under way (at start, or a configure). */
  connecting: boolean;
  connected: boolean;
  /** Workers seen on the queue, jobs waiting and running there (0 when not connected). */
  workers: number;
  waiting: number;
  active: number;
  /** Why the cluster is not in use although chosen, in words a user can act on. */
  error?: string;
}

export interface ClusterResponses {
  'cluster-status': ClusterInfo;
  /** The new state; a failed connection rejects with the backend's AppError (field `redisUrl`) and saves nothing. */
  'cluster-configure': ClusterInfo;
}
