import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths';
import { tempDir } from './tmp';

/** A free loopback TCP port (bound and released; a tiny race with other processes is accepted). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < until && i < 400; i++) {
    if (child.pid === undefined) throw new Error(`${what} could not be started: is it installed? (apt-get install redis-server; .ci/run installs it)`);
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not listen on port ${port} within ${timeoutMs} ms`);
}

export interface TestRedis {
  port: number;
  password: string | null;
  /** redis://:password@127.0.0.1:port (or without the password) */
  url: string;
  stop(): Promise<void>;
}

/**
 * A throwaway redis-server on a free loopback port: no persistence (`--save ''`, `--appendonly no`), its own temp
 * folder, a password unless `password: null`. `stop()` kills it and removes the folder.
 */
export async function startRedis(opts: { password?: string | null; tls?: TestCerts } = {}): Promise<TestRedis> {
  const password = opts.password === undefined ? `pw-${Math.random().toString(36).slice(2)}` : opts.password;
  const port = await freePort();
  const dir = tempDir('hw-redis-');
  const listen = opts.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', opts.tls.cert, '--tls-key-file', opts.tls.key, '--tls-ca-cert-file', opts.tls.ca, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const args = [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no', '--loglevel', 'warning'];
  if (password) args.push('--requirepass', password);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.once('error', (e) => (out += String(e)));
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()).length > 20_000 && (out = out.slice(-10_000)));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  try {
    await waitForPort(port, 10_000, child, 'redis-server');
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${out}`, { cause: e });
  }
  return {
    port,
    password,
    url: `${opts.tls ? 'rediss' : 'redis'}://${password ? `:${encodeURIComponent(password)}@` : ''}${opts.tls ? 'localhost' : '127.0.0.1'}:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestCerts {
  /** PEM files: a throwaway certificate authority and a server certificate it signed for localhost / 127.0.0.1. */
  ca: string;
  cert: string;
  key: string;
  dir: string;
}

/** A throwaway CA and a server certificate for localhost, made with openssl in a temp folder (valid one day). */
export function makeTestCerts(): TestCerts {
  const dir = tempDir('hw-tls-');
  const f = (n: string): string => join(dir, n);
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-subj', '/CN=hw-test-ca', '-days', '1');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost');
  writeFileSync(f('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '1', '-extfile', f('san.ext'));
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key'), dir };
}

export interface WorkerProcess {
  child: ChildProcess;
  name: string;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves when its output matches `re` (rejects after `timeoutMs` or when it exits). */
  waitFor(re: RegExp, timeoutMs: number): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * src-main/cluster/workerMain.ts as ONE child process (`node --import tsx`, what `npm run worker -- …` runs through
 * tsx's launcher): a kill -9 of this pid kills the worker itself, not a launcher that would leave it running.
 */
export function startWorkerProcess(args: string[], name: string, env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cluster', 'workerMain.ts'), '--name', name, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (b: Buffer): void => {
    out += b.toString();
    waiters.forEach((w) => w());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.on('exit', () => waiters.forEach((w) => w()));
  return {
    child,
    name,
    output: () => out,
    waitFor(re, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = re.exec(out);
          if (m) {
            done();
            resolve(m[0]);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`worker ${name} exited (${child.exitCode ?? child.signalCode}) before printing ${re}:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`worker ${name} did not print ${re} within ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const gone = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await gone;
      clearTimeout(t);
      return code;
    },
  };
}

/** Wait (bounded) for `cond` to hold, polling every `everyMs`; throws naming `what` after `timeoutMs`. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 200): Promise<void> {
  const n = Math.ceil(timeoutMs / everyMs);
  for (let i = 0; i < n; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
