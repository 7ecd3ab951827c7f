import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost as startServer, type Host } from '../../src-main/host/server';
import { type Workstation } from '../../src-main/workstation';
import { storeBigRuns, storePathSet, stallDuring } from '../helpers/bigRuns';
import { openWorkstation } from '../helpers/host';
import { tempDir } from '../helpers/tmp';
import { callsFromAnotherThread, connectWs, type WsClient } from '../helpers/wsClient';

/**
 * Issue 13 item 2: heavy reads ran on the thread that serves requests (runs-distribution over 12 copies of
 * a 2M-path run froze every client for 9.9 s). Here, 12 finished runs (the most one request may compare) of
 * 1,000,000 paths each: the read takes well over a second, and meanwhile another client's `system-info` must
 * answer in under 100 ms.
 */
let ws: Workstation;
let host: Host;
let heavyClient: WsClient;
let otherClient: WsClient;
let runIds: string[];
const PATH_SET = 'ps-stall-test-0001';

beforeAll(async () => {
  const staticDir = tempDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  ws = await openWorkstation();
  runIds = storeBigRuns(ws, 12, 1_000_000);
  storePathSet(ws, PATH_SET, 2000, 4 * 499, (w, j) => 1 + 1e-3 * Math.sin(w + 0.37 * j));
  host = await startServer(ws, { port: 0, staticDir });
  heavyClient = await connectWs(host.port, host.token);
  otherClient = await connectWs(host.port, host.token);
  await otherClient.call('system-info', {}); // warm
});
afterAll(async () => {
  heavyClient?.close();
  otherClient?.close();
  await host?.close();
  await ws?.close();
});

describe('heavy reads never block the host (issue 13 item 2)', () => {
  const ping = () => otherClient.call('system-info', {});

  it('answers another client in under 100 ms while runs-distribution runs for over a second', async () => {
    const { result, heavyMs, maxPingMs, pings } = await stallDuring(() => heavyClient.call('runs-distribution', { runIds }), ping);
    console.log(`runs-distribution x12 x 1M: ${heavyMs.toFixed(0)} ms; system-info longest ${maxPingMs.toFixed(1)} ms over ${pings} calls`);
    expect(result.reply.ok).toBe(true);
    expect(heavyMs).toBeGreaterThan(1000);
    expect(pings).toBeGreaterThan(5);
    expect(maxPingMs).toBeLessThan(100);
  });

  it('answers another client in under 100 ms while hedging-distribution runs for over a second', async () => {
    const items = runIds.map((runId) => ({ runId, array: 'pnl' }));
    const { result, heavyMs, maxPingMs } = await stallDuring(() => heavyClient.call('hedging-distribution', { items, bins: 50 }), ping);
    console.log(`hedging-distribution x12 x 1M: ${heavyMs.toFixed(0)} ms; system-info longest ${maxPingMs.toFixed(1)} ms`);
    expect(result.reply.ok).toBe(true);
    expect(heavyMs).toBeGreaterThan(1000);
    expect(maxPingMs).toBeLessThan(100);
  });

  it('answers another client in under 100 ms while orderbook-paths-get reads and encodes full pages (1M points each)', async () => {
    // the heavy client runs on another thread (as the browser would): only the host's own work shares this one
    const calls = [0, 1, 2, 3].map((i) => ({ method: 'orderbook-paths-get', args: { pathSetId: PATH_SET, split: 'train', offset: i * 499, limit: 499 } }));
    const pages = async () => {
      const replies = await callsFromAnotherThread(host.port, host.token, calls);
      for (const r of replies) expect(r.head).toMatch(/^\{"id":\d+,"ok":true/);
      return Math.max(...replies.map((r) => r.bytes));
    };
    const { result: largest, heavyMs, maxPingMs } = await stallDuring(pages, ping);
    console.log(`orderbook-paths-get 4 pages x 499 x 2001 points: ${heavyMs.toFixed(0)} ms, largest reply ${(largest / 2 ** 20).toFixed(1)} MiB; system-info longest ${maxPingMs.toFixed(1)} ms`);
    expect(heavyMs).toBeGreaterThan(1000);
    expect(maxPingMs).toBeLessThan(100);
  });

  it('answers a repeat from the cache, byte for byte, and forgets it when a run is deleted', async () => {
    const first = await heavyClient.call('runs-distribution', { runIds });
    expect(first.reply.ok, JSON.stringify(first.reply.error)).toBe(true);
    const again = await heavyClient.call('runs-distribution', { runIds });
    expect(JSON.stringify(again.reply.result)).toBe(JSON.stringify(first.reply.result));
    expect(again.ms).toBeLessThan(100);
    expect(ws.reads.stats.cached).toBeGreaterThan(0);
    const del = await heavyClient.call('runs-delete', { runIds: [runIds[11]] });
    expect(del.reply.ok).toBe(true);
    const after = await heavyClient.call('runs-distribution', { runIds });
    expect(after.reply).toMatchObject({ ok: false, error: { code: 'RUN_NOT_FOUND' } });
  });
});
