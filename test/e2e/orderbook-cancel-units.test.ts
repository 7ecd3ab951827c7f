import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERBOOK_EXAMPLE_LABEL } from '../../src-main/domains/orderbook/seed';
import { writeGeneratedBooks } from '../../src-main/domains/orderbook/io/writeBooks';
import { DEFAULT_GENERATOR } from '../../src-main/engine/orderbook/generator';
import { type E2E, displayedNumber, openApp, screenshot, waitForRunEnd } from './support';
import { tempDir } from '../helpers/tmp';

/**
 * Issue 15's loose ends in the Order books view: (1) the RV histogram and the data-set grid are annualised in
 * the data set's trading time and say so; editing the units (250 sessions x 8 h) scales the histogram's
 * median by sqrt(250 x 8 / (252 x 6.5)). (2) The signature plot of a big stock (generated: 1 stock x 3,000
 * buckets of 600 s) shows Cancel while it computes; Cancel stops it ('cancelled', Read again), and Read again
 * draws it.
 */
describe('order-book trading time and cancellable analyses', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp({ width: 1500, height: 940 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('labels the RV histogram with its trading year and rescales it when the units are edited', async () => {
    const { page } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.click('[data-testid="nav-orderbook"]');
    await page.locator('[data-testid="ob-rv-chart"] canvas').waitFor({ timeout: 30_000 });
    const stats = page.locator('[data-testid="ob-rv-stats"]');
    await expect.poll(() => stats.textContent()).toMatch(/per year \(annualised, 252 d × 6\.5 h trading time\)$/);
    const medianOf = (t: string | null): number => displayedNumber(/median ([\d.]+)%/.exec(t ?? '')![1]);
    const before = medianOf(await stats.textContent());
    await page.click('[data-testid="ob-time-units-edit"]');
    await page.fill('[data-testid="ob-time-units-hours"]', '8');
    await page.fill('[data-testid="ob-time-units-sessions"]', '250');
    await page.click('[data-testid="ob-time-units-save"]');
    await expect.poll(() => stats.textContent(), { timeout: 20_000 }).toMatch(/per year \(annualised, 250 d × 8 h trading time set for this data set\)$/);
    const after = medianOf(await stats.textContent());
    // shown to 0.1%: the ratio within the rounding of both numbers
    const k = Math.sqrt((250 * 8) / (252 * 6.5));
    expect(Math.abs(after - before * k)).toBeLessThanOrEqual(0.05 + 0.05 * k + 1e-9);
    // the data-set list (the grid's RV columns and RV year) is in the new units too
    const listed = (await app.rpc.call('orderbook-datasets', {})).find((d) => d.label === ORDERBOOK_EXAMPLE_LABEL)!;
    expect(listed.timeUnits).toMatchObject({ sessionsPerYear: 250, sessionHours: 8, source: 'dataset' });
    await screenshot(page, 'orderbook-units-00-edited');
    expect(app.errors).toEqual([]);
  });

  it('cancels a signature plot being computed, then reads it again', async () => {
    const { page, rpc } = app;
    const out = tempDir('hw-e2e-big-book-');
    await writeGeneratedBooks({ ...DEFAULT_GENERATOR, stocks: 1, buckets: 3000, seed: 5, format: 'parquet', out });
    const { runId } = await rpc.call('orderbook-import', { path: join(out, 'book_train.parquet'), label: 'big book e2e' });
    expect((await waitForRunEnd(rpc, runId, 170_000)).status).toBe('done');
    const ds = (await rpc.call('orderbook-datasets', {})).find((d) => d.label === 'big book e2e')!;
    await page.locator(`[data-testid="ob-datasets-grid"] .ag-row[row-id="${ds.id}"]`).first().click();
    await page.locator(`[data-testid="ob-datasets-grid"] .ag-row[row-id="${ds.id}"].row-active`).first().waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('[data-testid="ob-detail-head"]').textContent(), { timeout: 15_000 }).toContain('big book e2e');
    await page.click('[data-testid="ob-tab-signature"]');
    const cancel = page.locator('[data-testid="ob-signature-cancel"]');
    await cancel.click({ timeout: 10_000 });
    await page.locator('[data-testid="ob-signature-cancelled"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="ob-signature-box"]').textContent()).toContain('Cancelled: press Read again to compute the signature plot.');
    await screenshot(page, 'orderbook-cancel-00-cancelled');
    await page.click('[data-testid="ob-signature-retry"]');
    await page.locator('[data-testid="ob-signature-chart"] canvas').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.locator('[data-testid="ob-signature-box"]').textContent(), { timeout: 120_000 }).toMatch(/3000 sessions · \d+ ms/);
    await screenshot(page, 'orderbook-cancel-01-read-again');
    expect(app.errors).toEqual([]);
  });
});
