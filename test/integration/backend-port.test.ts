import { fork } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FromBackend } from '../../src-main/backend/protocol';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

/**
 * The Electron backend entry (src-main/backend/main.ts) in a child process, with Electron's
 * `process.parentPort` stood in for by Node's IPC channel (Electron itself cannot run here): it opens the
 * store, says ready, answers calls with encoded replies (an invalid one with an error reply), pushes
 * events, and exits cleanly on shutdown.
 */
const SHIM = `
  process.parentPort = {
    on: (ev, l) => process.on('message', (data) => l({ data })),
    postMessage: (m) => process.send(m),
  };`;

describe('workstation backend over a message port (utilityProcess entry)', () => {
  const dataDir = tempDir();
  const child = fork(join(ROOT, 'src-main/backend/main.ts'), ['--data-dir', dataDir, '--no-example'], {
    execArgv: ['--require', 'tsx/cjs', '--eval', `${SHIM} require(${JSON.stringify(join(ROOT, 'src-main/backend/main.ts'))});`],
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: FromBackend[] = [];
  const waitFor = (pred: (m: FromBackend) => boolean, ms = 30_000): Promise<FromBackend> =>
    new Promise((resolve, reject) => {
      const hit = messages.find(pred);
      if (hit) return resolve(hit);
      const t = setTimeout(() => reject(new Error('timed out waiting for the backend')), ms);
      const on = (m: FromBackend): void => {
        if (!pred(m)) return;
        clearTimeout(t);
        child.off('message', on);
        resolve(m);
      };
      child.on('message', on);
    });
  child.on('message', (m: FromBackend) => messages.push(m));
  const parse = (m: FromBackend) => (m.type === 'reply' ? JSON.parse(typeof m.payload === 'string' ? m.payload : Buffer.from(m.payload).toString()) : null);
  afterAll(() => {
    if (child.exitCode === null) child.kill();
  });

  it('starts, answers calls with encoded replies and refuses invalid ones', async () => {
    await waitFor((m) => m.type === 'ready', 60_000);
    child.send({ type: 'call', id: 7, method: 'system-info', args: {} });
    const info = parse(await waitFor((m) => m.type === 'reply' && m.id === 7));
    expect(info).toMatchObject({ id: 7, ok: true, result: { transport: 'electron', dataDir } });
    const id = '00000000-0000-4000-8000-000000000009';
    child.send({ type: 'call', id: 8, method: 'runs-distribution', args: { runIds: [id, id] } });
    const dup = parse(await waitFor((m) => m.type === 'reply' && m.id === 8));
    expect(dup).toMatchObject({ id: 8, ok: false, error: { type: 'validation' } });
    child.send({ type: 'call', id: 9, method: 'runs-nuke', args: {} });
    expect(parse(await waitFor((m) => m.type === 'reply' && m.id === 9))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  }, 90_000);

  it('pushes events and exits cleanly when asked to shut down', async () => {
    child.send({ type: 'call', id: 10, method: 'runs-delete', args: { runIds: ['00000000-0000-4000-8000-00000000000a'] } });
    await waitFor((m) => m.type === 'reply' && m.id === 10);
    const push = await waitFor((m) => m.type === 'push');
    expect(JSON.parse((push as { payload: string }).payload)).toMatchObject({ event: 'runs-changed' });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.send({ type: 'shutdown' });
    expect(await exited).toBe(0);
  }, 60_000);
});
