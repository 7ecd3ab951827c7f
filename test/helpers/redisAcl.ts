import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './redis';
import { tempDir } from './tmp';

export interface AclRedis {
  port: number;
  /** The ACL user's URL with its password. */
  url: string;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/**
 * A real redis-server set up as README.md ("Running on a cluster") tells users to: the default user off and one ACL
 * user (`hedge`, a random password) with the README's rule (or `acl`). Free loopback port, no persistence; waits
 * (bounded, 10 s) until it answers. test/helpers/redis.ts has the plain `requirepass` server.
 */
export async function startAclRedis(opts: { acl?: string } = {}): Promise<AclRedis> {
  const port = await freePort();
  const user = 'hedge';
  const password = randomBytes(12).toString('hex');
  const dir = tempDir('hw-redis-');
  const conf = join(dir, 'redis.conf');
  writeFileSync(
    conf,
    [`port ${port}`, 'bind 127.0.0.1', 'save ""', 'appendonly no', `dir ${dir}`, 'user default off', `user ${user} on >${password} ${opts.acl ?? README_ACL}`].join('\n') + '\n',
    { mode: 0o600 },
  );
  const proc: ChildProcess = spawn('redis-server', [conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `redis://${user}:${password}@127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  let up = false;
  for (let i = 0; i < 100 && !up && proc.exitCode === null; i++) {
    try {
      if (probe.status !== 'ready') await probe.connect();
      up = (await probe.ping()) === 'PONG';
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  probe.disconnect();
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (!up) {
    await stop();
    throw new Error(`redis-server did not answer on port ${port} within 10 s: ${stderr.trim() || '(no output)'}`);
  }
  return { port, url, user, password, stop };
}

/** The ACL rule README.md ("Running on a cluster") gives the workstations' and workers' Redis user. */
export const README_ACL = '~bull:* &bull:* +@all -@dangerous +info +client|list';
