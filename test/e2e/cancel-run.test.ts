import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, gridRow, openApp, screenshot, waitForRunEnd } from './support';

describe('cancelling a run', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('cancels a 2,000,000-path run and shows it as cancelled', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.fill('[data-testid="field-paths"]', '2000000');
    await page.fill('[data-testid="field-label"]', 'e2e large run to cancel');
    await page.click('[data-testid="start-button"]');

    await page.locator('[data-testid="progress-bar"]').waitFor({ timeout: 30_000 });
    const panel = page.locator('[data-testid="active-run"]');
    const runId = (await panel.getAttribute('data-run-id'))!;
    // Cancel mid-run: after the first progress report.
    await expect
      .poll(() => page.locator('[data-testid="progress-count"]').textContent(), { timeout: 60_000 })
      .toMatch(/^[1-9][\d,]* \/ 2,000,000 paths$/);
    await screenshot(page, '04a-large-run-running');

    await page.click('[data-testid="cancel-button"]');
    await expect.poll(() => panel.getAttribute('data-status'), { timeout: 60_000 }).toBe('cancelled');
    expect(await page.locator('[data-testid="run-status-note"]').textContent()).toContain('cancelled');
    await expect.poll(() => gridRow(page, runId).textContent(), { timeout: 30_000 }).toContain('cancelled');

    const stored = await waitForRunEnd(rpc, runId, 30_000);
    expect(stored.status).toBe('cancelled');
    expect(stored.progress.done).toBeLessThan(2_000_000);
    await screenshot(page, '04b-large-run-cancelled');
    expect(app.errors).toEqual([]);
  });
});
