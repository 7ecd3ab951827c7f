import { type ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { type AppFault, appError } from '../../src-shared/api/errors';
import { type ClusterSettings } from './types';

/**
 * How the host and the workers reach the cluster's Redis: the URL parsed into ioredis options, a check that the
 * server is reachable, that the credentials work and that it does not accept connections without a password
 * (unless `insecure`), and ioredis errors mapped onto AppErrors a user can act on. The password never appears
 * in a message or a log line: `where` is the URL without it.
 */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The URL without its password, for messages and logs. */
  where: string;
}

const DEFAULT_PORT = 6379;

/** `redis://[user[:password]@]host[:port][/db]` or `rediss://…` (TLS). */
export function parseRedisUrl(url: string): RedisTarget {
  const bad = (why: string): AppFault =>
    appError('validation', 'CLUSTER_URL', `the Redis address is not usable (${why}): write it as redis://[user:password@]host:port[/db], or rediss://… for TLS`, [
      { field: 'redisUrl', message: why, value: redact(url) },
    ]);
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw bad('not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw bad(`scheme ${u.protocol.replace(/:$/, '')} is neither redis nor rediss`);
  if (!u.hostname) throw bad('no host');
  const port = u.port ? Number(u.port) : DEFAULT_PORT;
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15) throw bad(`database "${dbText}" is not a number 0–15`);
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const tls = u.protocol === 'rediss:';
  const where = `${tls ? 'rediss' : 'redis'}://${username ? `${encodeURIComponent(username)}@` : ''}${u.host}${db ? `/${db}` : ''}`;
  return { host, port, db, ...(username ? { username } : {}), ...(password ? { password } : {}), tls, where };
}

/** A URL with its password replaced by `***` (for messages about a URL that did not parse as one). */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/** ioredis options for BullMQ's connections (which must not give up on a request: maxRetriesPerRequest null). */
export function redisOptions(t: RedisTarget, extra: Partial<RedisOptions> = {}): RedisOptions {
  return {
    host: t.host,
    port: t.port,
    db: t.db,
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    ...(t.tls ? { tls: { servername: t.host } } : {}),
    connectTimeout: 10_000,
    maxRetriesPerRequest: null,
    ...extra,
  };
}

/** The same options typed for BullMQ's Queue / Worker / QueueEvents (its RedisOptions type is its own). */
export const bullConnection = (t: RedisTarget): ConnectionOptions => redisOptions(t) as ConnectionOptions;

/** Open one connection, PING it, close it: resolves with the reply or rejects with the first error seen. */
async function ping(t: RedisTarget, withCredentials: boolean, timeoutMs: number): Promise<string> {
  const opts = redisOptions(withCredentials ? t : { ...t, username: undefined, password: undefined }, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
  });
  const c = new Redis(opts);
  let first: unknown = null;
  c.on('error', (e) => {
    first ??= e;
  });
  try {
    await c.connect();
    return await c.ping();
  } catch (e) {
    throw first ?? e;
  } finally {
    c.disconnect();
  }
}

/**
 * Check the cluster's Redis before using it: reachable, the credentials accepted, and not open to anyone (a
 * connection without credentials is refused) unless `insecure`. Rejects with an AppFault: CLUSTER_URL,
 * CLUSTER_UNREACHABLE, CLUSTER_TLS, CLUSTER_AUTH or CLUSTER_INSECURE.
 */
export async function checkRedis(settings: Pick<ClusterSettings, 'redisUrl' | 'insecure'>, timeoutMs = 5000): Promise<RedisTarget> {
  const t = parseRedisUrl(settings.redisUrl);
  try {
    await ping(t, true, timeoutMs);
  } catch (e) {
    throw clusterError(e, t);
  }
  if (!settings.insecure) {
    // Without credentials in the URL the PING above already got in; with them, try once without (NOAUTH is right).
    const open = !t.password || (await ping(t, false, timeoutMs).then(() => true, () => false));
    if (open) {
      throw appError(
        'conflict',
        'CLUSTER_INSECURE',
        `the Redis at ${t.where} accepts connections without a password, so anyone who reaches it can read and inject jobs: ` +
          `set a password (requirepass or an ACL user) and put it in the URL (redis://user:password@host:port), ` +
          `or, on a trusted private network only, allow it with --insecure (the "insecure" setting)`,
      );
    }
  }
  return t;
}

/** An ioredis / network error as an AppError a user can act on (never carrying the password). */
export function clusterError(e: unknown, t: Pick<RedisTarget, 'where' | 'host' | 'port' | 'tls'>): AppFault {
  const err = e as NodeJS.ErrnoException & { message?: string };
  const msg = String(err?.message ?? e);
  const code = err?.code ?? '';
  if (/WRONGPASS|invalid password|invalid username-password/i.test(msg)) {
    return appError('conflict', 'CLUSTER_AUTH', `the Redis at ${t.where} refused the user name or password (WRONGPASS): check the password in the URL against the server's requirepass or ACL user`);
  }
  if (/NOAUTH|Authentication required/i.test(msg)) {
    return appError('conflict', 'CLUSTER_AUTH', `the Redis at ${t.where} needs a password: put it in the URL as redis://:password@host:port (or redis://user:password@host:port for an ACL user)`);
  }
  if (/NOPERM/i.test(msg)) {
    return appError('conflict', 'CLUSTER_AUTH', `the Redis user of ${t.where} lacks a permission BullMQ needs (${msg.slice(0, 160)}): grant it the commands and keys of the queue (e.g. +@all ~bull:*)`);
  }
  if (code === 'ECONNREFUSED') {
    return appError('job', 'CLUSTER_UNREACHABLE', `nothing accepts connections at ${t.host}:${t.port} (connection refused): start redis-server there, or fix the host and port in the URL`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return appError('job', 'CLUSTER_UNREACHABLE', `the host "${t.host}" of ${t.where} was not found (${code}): check its spelling and this machine's DNS`);
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /CERT|certificate|self[- ]signed|SSL|TLS/i.test(`${code} ${msg}`) || code === 'EPROTO') {
    return appError(
      'job',
      'CLUSTER_TLS',
      `the TLS connection to ${t.where} failed (${code || msg.slice(0, 120)}): use rediss:// only for a Redis with TLS on (redis:// otherwise); for a private certificate authority start the app or worker with NODE_EXTRA_CA_CERTS=<ca.pem>`,
    );
  }
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(msg)) {
    return appError(
      'job',
      'CLUSTER_UNREACHABLE',
      `no answer from ${t.where} within the time allowed: check that the host and port are right, that a firewall lets this machine through${t.tls ? '' : ', and that the server does not require TLS (rediss://)'}`,
    );
  }
  if (code === 'ECONNRESET' || /Connection is closed/i.test(msg)) {
    return appError('job', 'CLUSTER_UNREACHABLE', `the connection to ${t.where} was closed by the other side: is it a Redis${t.tls ? ' with TLS on' : ' (a TLS-only one needs rediss://)'}?`);
  }
  return appError('job', 'CLUSTER_UNREACHABLE', `could not use the Redis at ${t.where}: ${msg.slice(0, 200)}`);
}
