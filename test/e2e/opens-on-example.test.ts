import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_LABEL } from '../../src-main/workstation';
import { type E2E, displayedNumber, gridRow, openApp, paintedPixels, screenshot, shownMetrics } from './support';

describe('the app opens on the example run', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists the finished BSDH example and shows its histogram and metrics at once', async () => {
    const { page, rpc } = app;
    const runs = await rpc.call('runs-list', {});
    const example = runs.find((r) => r.label === EXAMPLE_LABEL);
    expect(example, 'the host seeds the example run').toBeDefined();
    expect(example!.status, `example run: ${example!.error?.message ?? ''}`).toBe('done');
    expect(example!.model).toBe('bsdh');

    // Listed in the grid, marked done.
    const row = gridRow(page, example!.id);
    await row.waitFor({ timeout: 30_000 });
    await expect.poll(() => row.textContent()).toContain('done');
    expect(await row.textContent()).toContain('BSDH');

    // Selected without a click: the active panel shows it with a drawn histogram and the metrics.
    const panel = page.locator('[data-testid="active-run"]');
    await expect.poll(() => panel.getAttribute('data-run-id'), { timeout: 30_000 }).toBe(example!.id);
    await page.locator('[data-testid="histogram-chart"] canvas').waitFor({ timeout: 30_000 });
    await expect.poll(() => paintedPixels(page, 'histogram-chart'), { timeout: 10_000 }).toBeGreaterThan(2000);

    const shown = await shownMetrics(page);
    for (const key of ['mean', 'std', 'entropic', 'var90', 'var95', 'var99', 'es90', 'es95', 'es99', 'indifferencePrice', 'premium', 'meanCost']) {
      expect(Number.isFinite(displayedNumber(shown[key] ?? '')), `metric ${key} shows a number (got ${shown[key]})`).toBe(true);
    }
    // Risk figures are consistent with each other as displayed: ES >= VaR at each level, ES rises with the level.
    const m = (k: string) => displayedNumber(shown[k]);
    expect(m('es90')).toBeGreaterThanOrEqual(m('var90'));
    expect(m('es99')).toBeGreaterThanOrEqual(m('es95'));
    expect(m('es95')).toBeGreaterThanOrEqual(m('es90'));

    // Status bar: backend, data directory, transport, connection, version.
    const status = page.locator('[data-testid="status-bar"]');
    await expect.poll(() => status.textContent()).toContain('connected');
    const text = (await status.textContent()) ?? '';
    expect(text).toContain('browser');
    expect(text).toContain(app.host.dataDir);
    expect(text).toMatch(/v\S+/);

    await screenshot(page, '01-opens-on-example');

    // The chart follows the window size.
    const canvasWidth = () => page.locator('[data-testid="histogram-chart"] canvas').first().evaluate((c) => c.getBoundingClientRect().width);
    const wide = await canvasWidth();
    await page.setViewportSize({ width: 1100, height: 760 });
    await expect.poll(canvasWidth).toBeLessThan(wide - 200);
    await expect.poll(() => paintedPixels(page, 'histogram-chart')).toBeGreaterThan(2000);
    await screenshot(page, '01b-smaller-window');
    expect(app.errors).toEqual([]);
  });
});
