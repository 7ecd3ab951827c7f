import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HEDGE_CONFIG } from '../../src-shared/hedging/config';
import { EXAMPLE_LABEL } from '../../src-main/workstation';
import { type E2E, displayedNumber, gridRow, openApp, paintedPixels, screenshot, waitForRunEnd } from './support';

describe('comparing runs', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('overlays two runs and puts their metrics side by side', async () => {
    const { page, rpc } = app;
    const example = (await rpc.call('runs-list', {})).find((r) => r.label === EXAMPLE_LABEL)!;
    // A second, different run (higher cost) started through the handler; the UI hears about it by events.
    const { runId } = await rpc.call('hedging-start', { ...DEFAULT_HEDGE_CONFIG, cost: 0.01, paths: 40_000, label: 'e2e cost 100 bp' });
    const other = await waitForRunEnd(rpc, runId);
    expect(other.status).toBe('done');

    await gridRow(page, runId).waitFor({ timeout: 30_000 });
    await expect.poll(() => gridRow(page, runId).textContent()).toContain('done');
    const compare = page.locator('[data-testid="compare-button"]');
    expect(await compare.isDisabled()).toBe(true);
    await gridRow(page, example.id).locator('input.ag-checkbox-input').click();
    expect(await compare.isDisabled()).toBe(true);
    await gridRow(page, runId).locator('input.ag-checkbox-input').click();
    await expect.poll(() => compare.isEnabled()).toBe(true);
    await compare.click();

    const chart = page.locator('[data-testid="compare-chart"]');
    await chart.locator('canvas').waitFor({ timeout: 30_000 });
    expect(await chart.getAttribute('data-series-count')).toBe('2');
    await expect.poll(() => paintedPixels(page, 'compare-chart'), { timeout: 10_000 }).toBeGreaterThan(2000);

    const table = page.locator('[data-testid="compare-table"]');
    const headers = await table.locator('thead [data-testid="compare-run-col"]').allTextContents();
    expect(headers).toHaveLength(2);
    expect(headers.some((h) => h.includes('e2e cost 100 bp'))).toBe(true);
    // Side by side: one value per run in each metric row, and the best of each row is marked.
    for (const key of ['entropic', 'es90', 'meanCost']) {
      const cells = table.locator(`[data-testid^="compare-${key}-"]`);
      expect(await cells.count()).toBe(2);
      const values = (await cells.allTextContents()).map(displayedNumber);
      expect(values.every(Number.isFinite)).toBe(true);
    }
    // The example (20 bp) pays less cost on average than the 100 bp run, and is highlighted as best.
    const costCells = table.locator('[data-testid^="compare-meanCost-"]');
    const costs = (await costCells.allTextContents()).map(displayedNumber);
    const cheaper = costs[0] < costs[1] ? 0 : 1;
    expect(await costCells.nth(cheaper).getAttribute('class')).toContain('best');
    expect(await table.locator('td.best').count()).toBeGreaterThan(3);
    await screenshot(page, '05-compare-two-runs');
    expect(app.errors).toEqual([]);
  });

  it('deletes the selected run after a confirmation', async () => {
    const { page, rpc } = app;
    const before = await rpc.call('runs-list', {});
    const victim = before.find((r) => r.label === 'e2e cost 100 bp')!;
    const keep = before.find((r) => r.label === EXAMPLE_LABEL)!;
    // Leave only the victim ticked.
    await gridRow(page, keep.id).locator('input.ag-checkbox-input').click();
    await expect.poll(() => page.locator('[data-testid="runs-count"]').textContent()).toContain('1 selected');
    await page.click('[data-testid="delete-button"]');
    const dialog = page.locator('[data-testid="confirm-dialog"]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Delete 1 selected run');
    await screenshot(page, '06a-delete-confirm');
    // Cancelling keeps it; confirming deletes it.
    await page.click('[data-testid="confirm-cancel"]');
    expect(await dialog.count()).toBe(0);
    expect((await rpc.call('runs-list', {})).some((r) => r.id === victim.id)).toBe(true);
    await page.click('[data-testid="delete-button"]');
    await page.click('[data-testid="confirm-ok"]');
    await expect.poll(() => gridRow(page, victim.id).count(), { timeout: 30_000 }).toBe(0);
    expect((await rpc.call('runs-list', {})).map((r) => r.id)).toEqual([keep.id]);
    // The comparison that showed it is closed; the remaining run is still listed.
    expect(await page.locator('[data-testid="compare-view"]').count()).toBe(0);
    expect(await gridRow(page, keep.id).count()).toBe(1);
    expect(app.errors).toEqual([]);
  });
});
