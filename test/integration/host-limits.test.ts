import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATHS_PAGE_MAX_CELLS, type PathsPage } from '../../src-shared/orderbook/contract';
import { REPLY_BUDGET_BYTES } from '../../src-main/host/reply';
import { startHost as startServer, type Host } from '../../src-main/host/server';
import { type Workstation } from '../../src-main/workstation';
import { storePathSet } from '../helpers/bigRuns';
import { openWorkstation } from '../helpers/host';
import { tempDir } from '../helpers/tmp';
import { connectWs, type WsClient } from '../helpers/wsClient';

/**
 * Issue 13 item 1, scaled down: the probe built a path set of 2,000 steps with 15,836 windows and asked
 * for all of them in one orderbook-paths-get; the host died stringifying ~0.6 GB. Here: 2,000 steps and
 * 1,600 windows (3.2 M points, a ~60 MB reply before the fix), written straight into the store.
 */
const STEPS = 2000;
const WIDTH = STEPS + 1;
const WINDOWS = 1600;
/** The point j of window w: distinct, non-round values, so a page that drops or repeats a cell is caught. */
const cell = (w: number, j: number): number => (j === 0 ? 1 : 1 + 1e-3 * Math.sin(w * 7.1 + j * 0.37));

let ws: Workstation;
let host: Host;
let client: WsClient;
const PATH_SET = 'ps-budget-test-0001';

beforeAll(async () => {
  const staticDir = tempDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  ws = await openWorkstation();
  storePathSet(ws, PATH_SET, STEPS, WINDOWS, cell);
  host = await startServer(ws, { port: 0, staticDir });
  client = await connectWs(host.port, host.token);
});
afterAll(async () => {
  client?.close();
  await host?.close();
  await ws?.close();
});

describe('no reply exceeds the budget; the host survives a request for too much (issue 13 item 1)', () => {
  it('refuses a page beyond the cell budget with an error naming the limit and how to page, and stays alive', async () => {
    const { reply, bytes } = await client.call('orderbook-paths-get', { pathSetId: PATH_SET, split: 'train', limit: WINDOWS });
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatchObject({ type: 'validation', code: 'PAGE_TOO_LARGE' });
    const pageLimit = Math.floor(PATHS_PAGE_MAX_CELLS / WIDTH);
    expect(reply.error!.message).toContain(`limit 1,600 asks for 1,600 windows x 2,001 points = 3,201,600 points`);
    expect(reply.error!.message).toContain(`at most ${pageLimit} windows of this path set: page with offset 0, ${pageLimit}`);
    expect(reply.error!.fields?.[0].field).toBe('limit');
    expect(bytes).toBeLessThan(4096);
    const info = await client.call('system-info', {});
    expect(info.reply.ok).toBe(true);
  });

  it('returns every cell of the set, bit for bit, by paging with pageLimit; each page within the budget', async () => {
    let offset = 0;
    let pages = 0;
    let largest = 0;
    let mismatches = 0;
    let pageLimit = 1;
    while (offset < WINDOWS) {
      const { reply, bytes } = await client.call<PathsPage>('orderbook-paths-get', { pathSetId: PATH_SET, split: 'train', offset, ...(pages ? { limit: pageLimit } : {}) });
      expect(reply.ok).toBe(true);
      const page = reply.result!;
      pageLimit = page.pageLimit;
      expect(page.offset).toBe(offset);
      expect(page.paths.length).toBe(Math.min(pageLimit, WINDOWS - offset));
      for (let w = 0; w < page.paths.length; w++) {
        expect(page.paths[w].length).toBe(WIDTH);
        for (let j = 0; j < WIDTH; j++) if (page.paths[w][j] !== cell(offset + w, j)) mismatches++;
        expect(page.stockId[w]).toBe(offset + w);
      }
      largest = Math.max(largest, bytes);
      offset += page.paths.length;
      pages++;
    }
    expect(pageLimit).toBe(Math.floor(PATHS_PAGE_MAX_CELLS / WIDTH));
    expect(offset).toBe(WINDOWS);
    expect(pages).toBe(Math.ceil(WINDOWS / pageLimit));
    expect(mismatches).toBe(0);
    expect(largest).toBeLessThan(REPLY_BUDGET_BYTES);
    console.log(`paths pages: ${pages} pages of <= ${pageLimit} windows; largest reply ${(largest / 2 ** 20).toFixed(1)} MiB`);
  });

  it('refuses the same run listed twice in a distribution request', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const { reply } = await client.call('runs-distribution', { runIds: [id, id] });
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatchObject({ type: 'validation' });
    expect(reply.error!.message).toContain(`runs #2: run ${id} is listed twice (also at 0); list each once`);
    const h = await client.call('hedging-distribution', { items: [{ runId: id, array: 'pnl' }, { runId: id, array: 'pnl@test0' }, { runId: id, array: 'pnl' }] });
    expect(h.reply.ok).toBe(false);
    expect(h.reply.error!.message).toContain(`items #3: array pnl of run ${id} is listed twice (also at 0)`);
  });
});
