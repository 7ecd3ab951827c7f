import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HedgeMetrics } from '../../src-shared/hedging/config';
import { METRIC_DEFS } from '../../src-renderer/features/runs/metrics';
import { type E2E, displayedNumber, gridRow, openApp, paintedPixels, screenshot, shownMetrics } from './support';

const LABEL = 'e2e 50k paths, 2y daily';

describe('starting a run from the form', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows progress, then the histogram and the same metrics as runs-get, and survives a reload', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    // Big enough (50,000 paths x 730 steps) that progress is visible for a while.
    await page.fill('[data-testid="field-paths"]', '50000');
    await page.fill('[data-testid="field-days"]', '730');
    await page.fill('[data-testid="field-steps"]', '730');
    await page.fill('[data-testid="field-seed"]', '7');
    await page.fill('[data-testid="field-label"]', LABEL);
    const start = page.locator('[data-testid="start-button"]');
    expect(await start.isEnabled()).toBe(true);
    await start.click();

    // The new run becomes the active one and its progress bar appears.
    await page.locator('[data-testid="progress-bar"]').waitFor({ timeout: 30_000 });
    const panel = page.locator('[data-testid="active-run"]');
    const runId = (await panel.getAttribute('data-run-id'))!;
    expect(runId).toMatch(/^[0-9a-z-]{8,64}$/);
    expect(await page.locator('[data-testid="active-run-title"]').textContent()).toBe(LABEL);
    expect(await page.locator('[data-testid="progress-count"]').textContent()).toMatch(/ \/ 50,000 paths$/);
    // Wait for the first progress report (paths done > 0) unless the run has already finished.
    const phase = () =>
      page.evaluate(() => {
        if (document.querySelector('[data-testid="histogram-chart"]')) return 'finished';
        const count = document.querySelector('[data-testid="progress-count"]')?.textContent ?? '0 /';
        return count.startsWith('0 /') ? 'waiting' : 'progress';
      });
    await expect.poll(phase, { timeout: 150_000 }).not.toBe('waiting');
    if ((await phase()) === 'progress') {
      const pct = await page.evaluate(() => document.querySelector('[data-testid="progress-percent"]')?.textContent ?? null);
      if (pct !== null) expect(pct).toMatch(/^\d+\.\d%$/);
      await screenshot(page, '02a-run-in-progress');
    }

    // Finished: histogram drawn, metrics shown.
    await page.locator('[data-testid="histogram-chart"] canvas').waitFor({ timeout: 150_000 });
    await expect.poll(() => paintedPixels(page, 'histogram-chart'), { timeout: 10_000 }).toBeGreaterThan(2000);
    expect(await panel.getAttribute('data-status')).toBe('done');

    const stored = await rpc.call('runs-get', { runId });
    expect(stored.status).toBe('done');
    expect(stored.label).toBe(LABEL);
    expect(stored.config).toMatchObject({ paths: 50_000, days: 730, steps: 730, seed: 7, sigma: 0.1, cost: 0.002 });
    const shown = await shownMetrics(page);
    for (const d of METRIC_DEFS) {
      const want = (stored.metrics as HedgeMetrics)[d.key];
      expect(want, `${d.key} is stored`).toBeTypeOf('number');
      if (want === undefined) continue;
      const got = displayedNumber(shown[d.key] ?? '');
      expect(Number.isFinite(got), `${d.key} shows a number (got ${shown[d.key]})`).toBe(true);
      // Shown to 5 significant digits: relative rounding error <= 5e-5.
      expect(Math.abs(got - want), `${d.key}: shown ${shown[d.key]}, stored ${want}`).toBeLessThanOrEqual(Math.abs(want) * 5.01e-5 + 1e-15);
    }
    expect(displayedNumber(shown.paths)).toBe(50_000);
    await screenshot(page, '02b-run-finished');

    // Reload (the token stays in the URL): the run is still listed, as done, with its label.
    await page.reload();
    expect(new URL(page.url()).searchParams.get('token')).toBe(app.host.token);
    const row = gridRow(page, runId);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain(LABEL);
    expect(await row.textContent()).toContain('done');
    await screenshot(page, '02c-after-reload');
    expect(app.errors).toEqual([]);
  });
});
