import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, SCREENSHOT_DIR, openApp } from './support';

/**
 * Issue 13 item 4 in the UI: the hedging form, the BSDE solve form and the path builder show the estimated
 * work (≈ time, work in its unit, disk) before starting; a hedging run over the limits is refused with the
 * estimate shown where the user acted.
 */
let app: E2E;
beforeAll(async () => {
  app = await openApp();
});
afterAll(async () => app?.close());

describe('work estimates in the forms', () => {
  it('shows the estimate in the hedging form and refuses an over-limit run with it', async () => {
    const { page } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    const est = page.locator('[data-testid="hedge-form"] [data-testid="work-estimate"]');
    await expect.poll(() => est.textContent()).toMatch(/Estimate: (≈ .+|under 1 s) of work \(.+ path-steps\), ≈ .+ on disk/);
    await page.selectOption('[data-testid="field-model"]', 'mlp');
    await page.fill('[data-testid="field-steps"]', '5');
    await page.fill('[data-testid="field-epochs"]', '5000');
    await page.fill('[data-testid="field-trainPaths"]', '200000');
    await expect.poll(() => est.textContent()).toMatch(/≈ \d+\.\d h of work/);
    await page.locator('[data-testid="start-button"]').click();
    const err = page.locator('[data-testid="form-error"]');
    await expect.poll(() => err.textContent()).toMatch(/too big to start: ≈ \d+\.\d h of work is over the limit of 2\.0 h/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/work-estimate-hedging.png` });
    expect(app.errors).toEqual([]);
  });

  it('shows the estimate in the BSDE solve form', async () => {
    const { page } = app;
    await page.locator('[data-testid="nav-portfolio"]').click();
    await page.locator('[data-testid="book-item"]').first().waitFor();
    const est = page.locator('[data-testid="work-estimate"]', { hasText: 'sample-dims' }).first();
    await expect.poll(() => est.textContent()).toMatch(/Estimate: (≈ .+|under 1 s) of work \(.+ sample-dims\), ≈ .+ on disk/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/work-estimate-bsde.png` });
  });

  it('shows the windows and disk in the path builder', async () => {
    const { page } = app;
    await page.click('[data-testid="nav-orderbook"]');
    await page.locator('[data-testid="ob-datasets-grid"] .ag-row').first().click();
    const est = page.locator('[data-testid="ob-paths"] [data-testid="work-estimate"]');
    await expect.poll(() => est.textContent(), { timeout: 30_000 }).toMatch(/Estimate: [\d,]+ windows, (≈ .+|under 1 s) of work \(.+ window points\), ≈ .+ on disk/);
    await est.screenshot({ path: `${SCREENSHOT_DIR}/work-estimate-paths.png` });
  });
});
