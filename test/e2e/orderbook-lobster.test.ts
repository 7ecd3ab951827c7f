import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatasetSummary } from '../../src-shared/orderbook/contract';
import { writePair } from '../helpers/lobster';
import { tempDir } from '../helpers/tmp';
import { type E2E, openApp, screenshot } from './support';

/**
 * Issue 15 in the Order books view: a LOBSTER pair typed by path is recognised (no mapping step), imported with
 * a chosen bucket length, and its stock appears by its ticker with its buckets and per-bucket message
 * statistics (test/helpers/lobster.ts: 11 messages, 3 buckets of 600 s, one halt).
 */
describe('a LOBSTER pair in the Order books view', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp({ width: 1500, height: 940 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('imports by path and shows the ticker, its buckets and the message statistics', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.click('[data-testid="nav-orderbook"]');
    const folder = join(tempDir('hw-ob-e2e-lobster-'), 'pair');
    writePair(folder, { ticker: 'AAPL' });
    await page.fill('[data-testid="ob-path"]', folder);
    await page.click('[data-testid="ob-check"]');
    const pairs = page.locator('[data-testid="ob-lobster-pairs"]');
    await pairs.waitFor();
    expect(await pairs.textContent()).toContain('AAPL2012-06-2109:30–16:002');
    expect(await page.locator('[data-testid="ob-mapping"]').count()).toBe(0);
    expect(await page.locator('[data-testid="ob-lobster-bucket"]').inputValue()).toBe('600');
    await page.fill('[data-testid="ob-label"]', 'lobster e2e');
    await page.click('[data-testid="ob-import-button"]');
    const result = page.locator('[data-testid="ob-import-result"]');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toMatch(/Imported 9 rows · 1 stock · 3 buckets · 2 csv files/);
    expect(await page.locator('[data-testid="ob-import-lobster"]').textContent()).toMatch(/LOBSTER: 1 pair, 11 messages, 600 s buckets; 1 halt \(2 messages inside, 1 of their books left out\); 1 one-sided books/);
    const ds = (await rpc.call('orderbook-datasets', {})).find((d) => d.label === 'lobster e2e') as DatasetSummary;
    expect(ds).toMatchObject({ source: 'lobster', rows: 9, buckets: 3, bucketSeconds: 600 });
    await screenshot(page, 'orderbook-lobster-00-result');
    expect(app.errors).toEqual([]);
    await page.locator(`[data-testid="ob-datasets-grid"] .ag-row[row-id="${ds.id}"]`).first().click();
    await page.locator(`[data-testid="ob-datasets-grid"] .ag-row[row-id="${ds.id}"].row-active`).first().waitFor({ timeout: 15_000 });
    // The stock by its ticker, with its 3 buckets.
    const stockRow = page.locator('[data-testid="ob-stocks-grid"] .ag-row[row-id="0"]').first();
    await stockRow.waitFor({ timeout: 15_000 });
    await expect.poll(() => stockRow.textContent()).toMatch(/^0AAPL39/);
    // Message statistics: one row per bucket, from the session start; bucket 2 (09:40) has the halt.
    const rows = page.locator('[data-testid="ob-messages-row"]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    expect(await rows.nth(0).textContent()).toBe(['09:30:00', 1, 0, 1, 1, 0, 0, 0, 20, 0, 1, 0].join(''));
    expect(await rows.nth(1).textContent()).toBe(['09:40:00', 1, 0, 0, 0, 1, 0, 3, 0, 7, 1, 2].join(''));
    expect(await page.locator('[data-testid="ob-messages"]').textContent()).toContain('halts: 09:41:40–09:43:20');
    await screenshot(page, 'orderbook-lobster-01-imported');
    expect(app.errors).toEqual([]);
  });
});
