import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, openApp, screenshot } from './support';

/**
 * A fresh store has no solve run: the Rebalancing tab says so, offers the one-click B1 example solve, shows it
 * solving, and picks it when done, with the hedge form ready (delta-gamma, N = 12, R = 12, 5 puts + 10
 * exchange calls).
 */
describe('rebalancing on a fresh store', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp({ width: 1440, height: 900 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('solves the B1 example in one click and is ready to hedge it', async () => {
    const { page } = app;
    await page.click('[data-testid="nav-rebalance"]');
    await page.locator('[data-testid="rb-no-solves"]').waitFor();
    expect(await page.locator('[data-testid="rb-no-solves"]').textContent()).toContain('No finished solve run yet');
    await page.click('[data-testid="rb-solve-example"]');
    await page.locator('[data-testid="rb-solving"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="rb-solving"]').textContent()).toMatch(/Solving OSM · B1 · geometric call · d=5 · European/);
    await screenshot(page, 'rebalance-10-first-start-solving');
    await page.locator('[data-testid="rb-solve-select"]').waitFor({ timeout: 150_000 });
    expect(await page.locator('[data-testid="rb-solve-facts"]').textContent()).toMatch(/d = 5 assets · 1 option · T = 1 y · N = 12/);
    expect(await page.locator('[data-testid="rb-form-note"]').textContent()).toContain('5 puts + 10 exchange calls');
    await screenshot(page, 'rebalance-11-first-start-solved');
    expect(app.errors).toEqual([]);
  }, 180_000);
});
