import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatasetSummary } from '../../src-shared/orderbook/contract';
import { writePair } from '../helpers/lobster';
import { tempDir } from '../helpers/tmp';
import { type E2E, openApp, screenshot } from './support';

/**
 * Issue 15's loose end in the Order books view: the two files of a LOBSTER pair chosen together in the upload
 * dialog go into one upload folder that is checked and imported as a pair (the stock named by its ticker); a
 * message file dropped alone gets the "no orderbook file for …" error in the dialog. The pair is
 * test/helpers/lobster.ts's (11 messages, 9 rows stored, 3 buckets of 600 s).
 */
describe('uploading a LOBSTER pair in the Order books view', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp({ width: 1500, height: 940 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('uploads both files of a pair at once and imports the pair by its ticker', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.click('[data-testid="nav-orderbook"]');
    const pair = writePair(join(tempDir('hw-ob-e2e-upload-'), 'pair'), { ticker: 'NVDA' });
    await page.setInputFiles('[data-testid="ob-upload-input"]', [pair.message, pair.orderbook]);
    const pairs = page.locator('[data-testid="ob-lobster-pairs"]');
    await pairs.waitFor({ timeout: 30_000 });
    expect(await pairs.textContent()).toContain('NVDA2012-06-2109:30–16:002');
    expect(await page.locator('[data-testid="ob-inspect"]').textContent()).toMatch(/^1 LOBSTER pair \(/);
    // the path field now names the upload folder (both files in it)
    expect(await page.locator('[data-testid="ob-path"]').inputValue()).toMatch(/orderbook-uploads[\\/][0-9a-f-]{36}$/);
    await screenshot(page, 'orderbook-upload-00-pair-checked');
    await page.fill('[data-testid="ob-label"]', 'uploaded pair e2e');
    await page.click('[data-testid="ob-import-button"]');
    const result = page.locator('[data-testid="ob-import-result"]');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toMatch(/Imported 9 rows · 1 stock · 3 buckets · 2 csv files/);
    const ds = (await rpc.call('orderbook-datasets', {})).find((d) => d.label === 'uploaded pair e2e') as DatasetSummary;
    expect(ds).toMatchObject({ source: 'lobster', rows: 9, buckets: 3 });
    await page.locator(`[data-testid="ob-datasets-grid"] .ag-row[row-id="${ds.id}"]`).first().click();
    const stockRow = page.locator('[data-testid="ob-stocks-grid"] .ag-row[row-id="0"]').first();
    await expect.poll(() => stockRow.textContent(), { timeout: 15_000 }).toMatch(/^0NVDA39/);
    await screenshot(page, 'orderbook-upload-01-imported');
    expect(app.errors).toEqual([]);
  });

  it('a message file dropped alone gets "no orderbook file for …" in the dialog', async () => {
    const { page } = app;
    const pair = writePair(join(tempDir('hw-ob-e2e-upload-'), 'alone'), { ticker: 'AMD' });
    const file = { name: basename(pair.message), text: readFileSync(pair.message, 'utf8') };
    const dt = await page.evaluateHandle((f) => {
      const d = new DataTransfer();
      d.items.add(new File([f.text], f.name, { type: 'text/csv' }));
      return d;
    }, file);
    await page.dispatchEvent('[data-testid="ob-import"]', 'dragover', { dataTransfer: dt });
    await page.dispatchEvent('[data-testid="ob-import"]', 'drop', { dataTransfer: dt });
    const err = page.locator('[data-testid="ob-path-error"]');
    await err.waitFor({ timeout: 30_000 });
    expect(await err.textContent()).toBe(
      'AMD_2012-06-21_34200000_57600000_message_2.csv: no orderbook file for this LOBSTER message file: its pair AMD_2012-06-21_34200000_57600000_orderbook_2.csv must sit beside it (same ticker, date, START, END and levels); put the two files of the pair in the same folder, or upload them together',
    );
    expect(await page.locator('[data-testid="ob-import-button"]').isDisabled()).toBe(true);
    await screenshot(page, 'orderbook-upload-02-unpaired');
    expect(app.errors).toEqual([]);
  });
});
