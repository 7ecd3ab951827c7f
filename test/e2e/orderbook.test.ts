import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatasetSummary, type ImportMetrics, type PathsMetrics } from '../../src-shared/orderbook/contract';
import { ORDERBOOK_EXAMPLE_LABEL } from '../../src-main/domains/orderbook/seed';
import { writeGeneratedBooks } from '../../src-main/domains/orderbook/io/writeBooks';
import { DEFAULT_GENERATOR } from '../../src-main/engine/orderbook/generator';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';
import { type E2E, displayedNumber, openApp, paintedPixels, screenshot, waitForRunEnd } from './support';

const SAMPLES = join(ROOT, 'resources', 'samples', 'orderbook');

describe('the Order books view', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp({ width: 1500, height: 940 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('opens on the imported example: data sets, stocks, WAP chart with band, RV histogram', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.click('[data-testid="nav-orderbook"]');
    const datasets = await rpc.call('orderbook-datasets', {});
    const example = datasets.find((d) => d.label === ORDERBOOK_EXAMPLE_LABEL);
    expect(example, 'the host seeds the order-book example').toBeDefined();
    const row = page.locator(`[data-testid="ob-datasets-grid"] .ag-row[row-id="${example!.id}"]`).first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('8,740');
    await page.locator('[data-testid="ob-stocks-grid"] .ag-row[row-id="1"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="ob-wap-chart"] canvas').waitFor({ timeout: 30_000 });
    await expect.poll(() => paintedPixels(page, 'ob-wap-chart'), { timeout: 15_000 }).toBeGreaterThan(3000);
    await expect.poll(() => paintedPixels(page, 'ob-rv-chart'), { timeout: 15_000 }).toBeGreaterThan(1500);
    // The info line shows the rows of stock 0 as the grid does.
    const detail = await rpc.call('orderbook-dataset-get', { datasetId: example!.id });
    const rows0 = detail.stocksTable.find((s) => s.stockId === 0)!.rows;
    await expect.poll(() => page.locator('[data-testid="ob-wap-info"]').textContent()).toContain(`${rows0.toLocaleString('en-US')} rows`);
    expect(await page.locator('[data-testid="ob-rv-stats"]').textContent()).toMatch(/^24 buckets · median \d+(\.\d)?%/);
    // The example path set is listed with its preview.
    await page.locator('[data-testid="ob-pathset-row"]').first().waitFor();
    await expect.poll(() => paintedPixels(page, 'ob-paths-preview'), { timeout: 15_000 }).toBeGreaterThan(500);
    await screenshot(page, 'orderbook-01-example');

    // Zooming into the chart asks for the window again: fewer rows, not reduced to bins.
    const box = (await page.locator('[data-testid="ob-wap-chart"]').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.45);
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, -300);
    await page.locator('[data-testid="ob-zoom-reset"]').waitFor({ timeout: 15_000 });
    await expect.poll(async () => displayedNumber((await page.locator('[data-testid="ob-wap-info"]').textContent())!.split(' rows')[0]), { timeout: 15_000 }).toBeLessThan(rows0);
    await screenshot(page, 'orderbook-02-zoomed');

    // Other stock: click its row.
    await page.locator('[data-testid="ob-stocks-grid"] .ag-row[row-id="1"]').first().click();
    await expect.poll(() => page.locator('[data-testid="ob-wap-box"] .chart-title').textContent()).toContain('stock 1');
    expect(app.errors).toEqual([]);
  });

  it('maps the columns of a generic book with other names and imports it', async () => {
    const { page, rpc } = app;
    await page.fill('[data-testid="ob-path"]', join(SAMPLES, 'generic_custom_names.csv'));
    await page.click('[data-testid="ob-check"]');
    await page.locator('[data-testid="ob-mapping"]').waitFor();
    expect(await page.locator('[data-testid="ob-import-button"]').isDisabled()).toBe(true);
    await page.selectOption('[data-testid="ob-map-layout"]', 'generic');
    await page.fill('[data-testid="ob-map-levels"]', '2');
    await page.selectOption('[data-testid="ob-map-timestamp"]', 'ts_ms');
    await page.selectOption('[data-testid="ob-map-unit"]', 'ms');
    for (const k of [1, 2]) {
      await page.selectOption(`[data-testid="ob-map-bidPrice-${k}"]`, `bp${k}`);
      await page.selectOption(`[data-testid="ob-map-bidSize-${k}"]`, `bq${k}`);
      await page.selectOption(`[data-testid="ob-map-askPrice-${k}"]`, `ap${k}`);
    }
    await page.selectOption('[data-testid="ob-map-askSize-1"]', 'aq1');
    expect(await page.locator('[data-testid="ob-mapping-missing"]').textContent()).toBe('Still to map: ask size 2');
    await screenshot(page, 'orderbook-03-mapping');
    await page.selectOption('[data-testid="ob-map-askSize-2"]', 'aq2');
    await page.fill('[data-testid="ob-label"]', 'generic e2e');
    await page.click('[data-testid="ob-import-button"]');
    const result = page.locator('[data-testid="ob-import-result"]');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toMatch(/Imported 1,471 rows · 1 stock · 6 buckets/);
    const ds = (await rpc.call('orderbook-datasets', {})).find((d) => d.label === 'generic e2e') as DatasetSummary;
    expect(ds).toMatchObject({ layout: 'generic', rows: 1471, buckets: 6 });
    await page.locator(`[data-testid="ob-datasets-grid"] .ag-row[row-id="${ds.id}"].row-active`).first().waitFor({ timeout: 15_000 });
    await expect.poll(() => paintedPixels(page, 'ob-wap-chart'), { timeout: 15_000 }).toBeGreaterThan(3000);
    await screenshot(page, 'orderbook-04-imported');
    expect(app.errors).toEqual([]);
  });

  it('shows rows read, rows per second and time left while importing, and Cancel stores nothing', async () => {
    const { page, rpc } = app;
    const out = tempDir('hw-ob-e2e-');
    const written = await writeGeneratedBooks({ ...DEFAULT_GENERATOR, stocks: 1, buckets: 4000, format: 'csv', out });
    const before = (await rpc.call('orderbook-datasets', {})).length;
    await page.fill('[data-testid="ob-path"]', join(out, 'book_train.csv'));
    await page.click('[data-testid="ob-check"]');
    await page.locator('[data-testid="ob-inspect"]').waitFor();
    await page.click('[data-testid="ob-import-button"]');
    const progress = page.locator('[data-testid="ob-import-progress"]');
    await progress.waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="ob-rows-read"]').waitFor({ timeout: 60_000 });
    await expect.poll(async () => displayedNumber((await page.locator('[data-testid="ob-rows-read"]').textContent())!.split(' /')[0]), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="ob-rows-per-sec"]').textContent()).toMatch(/^[\d,]+ rows\/s$/);
    // The total is estimated from the bytes per row read so far: close to the file's real row count.
    const estimate = displayedNumber((await page.locator('[data-testid="ob-rows-read"]').textContent())!.split('≈')[1].split(' ')[0]);
    expect(estimate / written.rows).toBeGreaterThan(0.8);
    expect(estimate / written.rows).toBeLessThan(1.25);
    await expect.poll(() => page.locator('[data-testid="ob-time-left"]').textContent(), { timeout: 10_000 }).toMatch(/left ≈ \d/);
    await screenshot(page, 'orderbook-05-progress');
    const runId = (await progress.getAttribute('data-run-id'))!;
    await page.click('[data-testid="ob-import-cancel"]');
    await page.locator('[data-testid="ob-import-cancelled"]').waitFor({ timeout: 30_000 });
    expect((await waitForRunEnd(rpc, runId)).status).toBe('cancelled');
    expect((await rpc.call('orderbook-datasets', {})).length).toBe(before);
    expect(app.errors).toEqual([]);
  });

  it('names the file, row and column of a bad row', async () => {
    const { page } = app;
    const lines = readFileSync(join(SAMPLES, 'book_train.csv', 'stock_id=0', 'part-0.csv'), 'utf8').split('\n');
    lines[5] = lines[5].replace(/^(\d+),(\d+),([\d.]+),/, '$1,$2,1.5,'); // bid_price1 above the ask: crossed
    const file = join(tempDir('hw-ob-e2e-bad-'), 'stock_id=9.csv');
    writeFileSync(file, lines.join('\n'));
    await page.fill('[data-testid="ob-path"]', file);
    await page.click('[data-testid="ob-check"]');
    await page.locator('[data-testid="ob-inspect"]').waitFor();
    await page.click('[data-testid="ob-import-button"]');
    const err = page.locator('[data-testid="ob-import-error"]');
    await err.waitFor({ timeout: 60_000 });
    expect(await err.textContent()).toMatch(/stock_id=9\.csv, row 5 \(line 6\), column bid_price1: crossed book: bid_price1 = 1\.5 is not below ask_price1 = [\d.]+\. Fix the file, or import with "skip bad rows"/);
    expect(await err.textContent()).toContain('Nothing was stored.');
    await screenshot(page, 'orderbook-06-bad-row');
    // Skipping bad rows imports the rest and says what was dropped.
    await page.check('[data-testid="ob-skip-bad"]');
    await page.click('[data-testid="ob-import-button"]');
    const rejects = page.locator('[data-testid="ob-import-rejects"]');
    await rejects.waitFor({ timeout: 60_000 });
    expect(await rejects.textContent()).toMatch(/1 bad rows left out: crossed book \(bid >= ask\) 1/);
  });

  it('builds hedging paths from the selected data set', async () => {
    const { page, rpc } = app;
    const example = (await rpc.call('orderbook-datasets', {})).find((d) => d.label === ORDERBOOK_EXAMPLE_LABEL)!;
    await page.locator(`[data-testid="ob-datasets-grid"] .ag-row[row-id="${example.id}"]`).first().click();
    await expect.poll(() => page.locator('[data-testid="ob-paths-dataset"]').textContent()).toContain(ORDERBOOK_EXAMPLE_LABEL);
    await page.fill('[data-testid="ob-steps"]', '100');
    await expect.poll(() => page.locator('[data-testid="ob-paths-error"]').textContent()).toContain('does not fit in a 600 s bucket');
    expect(await page.locator('[data-testid="ob-build-paths"]').isDisabled()).toBe(true);
    await page.fill('[data-testid="ob-steps"]', '20');
    await page.fill('[data-testid="ob-interval"]', '5');
    await page.check('[data-testid="ob-wap-level1"]');
    await page.selectOption('[data-testid="ob-windows"]', 'rolling');
    await page.fill('[data-testid="ob-paths-label"]', 'e2e level-1 rolling');
    await page.click('[data-testid="ob-build-paths"]');
    const result = page.locator('[data-testid="ob-paths-result"]');
    await result.waitFor({ timeout: 60_000 });
    const set = (await rpc.call('orderbook-path-sets', { datasetId: example.id })).find((s) => s.label === 'e2e level-1 rolling')!;
    expect(set).toMatchObject({ steps: 20, intervalSeconds: 5, wap: 'level1', windows: 'rolling' });
    const text = (await result.textContent())!;
    expect(displayedNumber(text.split(' training')[0])).toBe(set.train);
    await page.locator(`[data-testid="ob-pathset-row"][data-id="${set.id}"]`).waitFor();
    const run = (await rpc.call('runs-list', { kind: 'orderbook-paths' }))[0];
    expect((run.metrics as PathsMetrics).pathSetId).toBe(set.id);
    await screenshot(page, 'orderbook-07-paths');
    const imports = await rpc.call('runs-list', { kind: 'orderbook-import' });
    expect(imports.some((r) => (r.metrics as ImportMetrics | null)?.rejectedRows === 1)).toBe(true);
    expect(app.errors).toEqual([]);
  });
});
