import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost as startServer, type Host as Server } from '../../src-main/host/server';
import { type Workstation } from '../../src-main/workstation';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/browser';
import { ROOT, openWorkstation } from '../helpers/host';
import { screenshot, watchPage } from './support';

const STATIC_DIR = join(ROOT, 'out', 'renderer');

describe('browser transport reconnects', () => {
  let ws: Workstation;
  let server: Server | null = null;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    ws = await openWorkstation({ seedExample: false, probe: false });
    server = await startServer(ws, { port: 0, staticDir: STATIC_DIR });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    errors = await watchPage(page);
  });
  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.close();
    await ws?.close();
  });

  it('shows the dropped connection, queues calls, and resumes on the same address', async () => {
    const { port, token, url } = server!;
    await page.goto(url);
    const conn = page.locator('[data-testid="status-connection"]');
    await expect.poll(() => conn.textContent()).toContain('connected');
    expect(await page.locator('[data-testid="status-transport"]').textContent()).toContain('browser');

    await server!.close();
    server = null;
    await expect.poll(() => conn.textContent(), { timeout: 15_000 }).toContain('disconnected');
    await page.locator('[data-testid="connection-banner"]').waitFor();
    // A call made while down waits in the queue.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => conn.textContent()).toContain('1 queued');
    expect(await page.locator('[data-testid="start-button"]').isDisabled()).toBe(true);
    await screenshot(page, '07-disconnected');

    server = await startServer(ws, { port, staticDir: STATIC_DIR, token });
    await expect.poll(() => conn.textContent(), { timeout: 30_000 }).toMatch(/^\s*connected$/);
    expect(await page.locator('[data-testid="connection-banner"]').count()).toBe(0);
    expect(await page.locator('[data-testid="start-button"]').isEnabled()).toBe(true);
    // Failed reconnect attempts are logged by the browser itself; anything else is a fault.
    expect(errors.filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([]);
  });
});
