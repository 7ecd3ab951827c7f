import { parseArgs } from 'node:util';
import { toAppError } from '../../src-shared/api/errors';
import { type ClusterWorkerHandle, startClusterWorker } from './worker';

/**
 * The headless cluster worker: `npm run worker -- --redis redis://[user:pass@]host:port [--concurrency N]
 * [--insecure] [--queue NAME] [--name W]`. Runs jobs the app (or the CLI) sends to the queue with the same engine
 * as the app, prints one line per job, and on SIGINT/SIGTERM hands its running jobs back to the queue and exits.
 */
const USAGE = `usage: npm run worker -- --redis redis://[user:password@]host:port[/db] [options]
  --redis URL            the cluster's Redis (rediss://… for TLS); or the REDIS_URL (else HEDGE_CLUSTER_REDIS) environment variable
  --concurrency N        jobs at once, each on its own thread (default 1)
  --queue NAME           queue name (default hedge-workstation)
  --name W               this worker's name as the app shows it (default host-pid)
  --insecure             accept a Redis that needs no password (trusted private networks only)
  --lock-ms MS           job lock; a dead worker's job is retried after about this long (default 10000)
  --stalled-ms MS        how often to look for jobs of dead workers (default 5000)`;

function positiveInt(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`${flag} must be a whole number >= 1 (got "${text}")\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        redis: { type: 'string' },
        concurrency: { type: 'string' },
        queue: { type: 'string' },
        name: { type: 'string' },
        insecure: { type: 'boolean', default: false },
        'lock-ms': { type: 'string' },
        'stalled-ms': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const redisUrl = values.redis ?? process.env.REDIS_URL ?? process.env.HEDGE_CLUSTER_REDIS;
  if (!redisUrl) {
    process.stderr.write(`no Redis given: pass --redis redis://host:port (or set REDIS_URL or HEDGE_CLUSTER_REDIS)\n${USAGE}\n`);
    process.exit(2);
  }
  // Signals are handled from here on, before "ready" is printed: a stop that comes while the worker is still
  // connecting closes it as soon as it has started.
  let handle: ClusterWorkerHandle | null = null;
  let stopping: string | null = null;
  const close = (h: ClusterWorkerHandle, signal: string): void => {
    const t0 = Date.now();
    process.stdout.write(`[${h.name}] ${signal}: handing running jobs back to the queue and closing\n`);
    h.close().then(
      () => {
        process.stdout.write(`[${h.name}] closed in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(`[${h.name}] close failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(130);
    }
    stopping = signal;
    if (handle) close(handle, signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    handle = await startClusterWorker({
      redisUrl,
      insecure: values.insecure,
      queue: values.queue,
      name: values.name,
      concurrency: positiveInt(values.concurrency, '--concurrency', 1),
      lockDurationMs: positiveInt(values['lock-ms'], '--lock-ms', 10_000),
      stalledIntervalMs: positiveInt(values['stalled-ms'], '--stalled-ms', 5_000),
    });
  } catch (e) {
    const err = toAppError(e);
    process.stderr.write(`worker not started: ${err.message} [${err.code}]\n`);
    process.exit(1);
  }
  if (stopping) return close(handle, stopping);
  process.stdout.write(`[${handle.name}] ready: taking jobs of queue ${values.queue ?? 'hedge-workstation'}\n`);
}

void main();
