import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost as startServer, type Host } from '../../src-main/host/server';
import { type Workstation } from '../../src-main/workstation';
import { openWorkstation } from '../helpers/host';
import { tempDir } from '../helpers/tmp';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let ws: Workstation;
let host: Host;

beforeAll(async () => {
  const staticDir = tempDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  ws = await openWorkstation();
  host = await startServer(ws, { port: 0, staticDir });
});
afterAll(async () => {
  await host.close();
  await ws.close();
});

const origin = () => `http://127.0.0.1:${host.port}`;

function connect(opts: { token?: string; origin?: string; path?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const s = new WebSocket(`ws://127.0.0.1:${host.port}${opts.path ?? '/rpc'}?token=${opts.token ?? host.token}`, { origin: opts.origin ?? origin() });
    s.once('open', () => resolve(s));
    s.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    s.once('error', reject);
  });
}

function request(s: WebSocket, msg: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString());
      if ('id' in m) {
        s.off('message', on);
        resolve(m);
      }
    };
    s.on('message', on);
    s.send(msg);
  });
}

describe('browser-mode host', () => {
  it('listens on loopback only and serves the page with a CSP', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const res = await fetch(`${origin()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses a wrong token, a foreign Origin and another path', async () => {
    await expect(connect({ token: 'nope' })).rejects.toThrow(/403/);
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect({ path: '/other' })).rejects.toThrow(/403/);
  });

  it('answers a valid call and rejects malformed and unknown messages without dying', async () => {
    const s = await connect();
    expect(await request(s, JSON.stringify({ id: 1, method: 'runs-list', args: {} }))).toMatchObject({ id: 1, ok: true, result: [] });
    expect(await request(s, '{not json')).toMatchObject({ id: -1, ok: false, error: { type: 'protocol', code: 'MALFORMED' } });
    expect(await request(s, JSON.stringify({ id: 2, nothing: true }))).toMatchObject({ id: 2, ok: false, error: { code: 'MALFORMED' } });
    expect(await request(s, JSON.stringify({ id: 3, method: 'runs-nuke', args: {} }))).toMatchObject({ id: 3, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await request(s, JSON.stringify({ id: 4, method: 'hedging-start', args: { sigma: -1 } }))).toMatchObject({ id: 4, ok: false, error: { type: 'validation' } });
    expect(await request(s, JSON.stringify({ id: 5, method: 'system-info', args: {} }))).toMatchObject({ id: 5, ok: true });
    s.close();
  });

  it('pushes events to connected clients', async () => {
    const s = await connect();
    const pushed = new Promise<Record<string, unknown>>((resolve) => {
      s.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.event === 'runs-changed') resolve(m);
      });
    });
    await request(s, JSON.stringify({ id: 9, method: 'hedging-start', args: { model: 'bsdh', option: 'european', strike: 1, sigma: 0.1, drift: 0, days: 30, steps: 30, cost: 0.002, paths: 1000, seed: 3 } }));
    expect((await pushed).payload).toHaveProperty('runIds');
    await ws.jobs.idle();
    s.close();
  });
});
