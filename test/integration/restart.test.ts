import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_HEDGE_CONFIG } from '../../src-shared/hedging/config';
import { openWorkstation } from '../helpers/host';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

/** The real browser-mode host (built by `npm test`) is killed mid-run; on the next start the run is interrupted. */
describe('a run in progress when the app dies', () => {
  it('shows as interrupted after a restart, never as done, and the other runs survive', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, [join(ROOT, 'out', 'main', 'host.js'), '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<URL>((resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (d) => {
        buf += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(buf);
        if (m) resolve(new URL(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`host exited early (${code})`)));
    });
    const sock = new WebSocket(`ws://${url.host}/rpc?token=${url.searchParams.get('token')}`, { origin: url.origin });
    await new Promise((r) => sock.once('open', r));
    const runId = await new Promise<string>((resolve) => {
      let id = '';
      sock.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.id === 1) id = m.result.runId;
        if (m.event === 'run-progress' && m.payload.runId === id) resolve(id);
      });
      sock.send(JSON.stringify({ id: 1, method: 'hedging-start', args: { ...DEFAULT_HEDGE_CONFIG, paths: 2_000_000, steps: 100 } }));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    sock.terminate();

    const ws = await openWorkstation({ dataDir });
    try {
      const run = ws.runs.get(runId)!;
      expect(run.status).toBe('interrupted');
      expect(run.metrics).toBeNull();
      expect(ws.runs.getArray(runId, 'pnl')).toBeNull();
      const example = ws.runs.list().find((r) => r.id !== runId)!;
      expect(example.status).toBe('done');
    } finally {
      await ws.close();
    }
  }, 60_000);
});
