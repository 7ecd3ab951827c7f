import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, SCREENSHOT_DIR, openApp, paintedPixels, screenshot } from './support';

describe('deep hedging experiments view', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp({ width: 1500, height: 1000 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs E1 at quick scale for K = 1 and shows the grid of histograms, the metric lines and each cell\'s verdict; exports CSV and PNG', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.click('[data-testid="nav-experiments"]');
    await page.locator('[data-testid="preset-E1"]').waitFor();
    // E4 runs on an order-book path set: the picker defaults to the newest (the first-start example), with its steps and sigma
    const sets = await rpc.call('orderbook-path-sets', {});
    const example = sets.find((x) => x.label.startsWith('Example: 30 x 10 s'))!;
    expect(example).toBeTruthy();
    await page.locator('[data-testid="preset-E4-pathset"]').waitFor();
    expect(await page.locator('[data-testid="preset-E4-pathset"]').inputValue()).toBe(example.id);
    const info = (await page.locator('[data-testid="preset-E4-pathset-info"]').textContent()) ?? '';
    expect(info).toContain(`${example.steps} steps`);
    expect(info).toContain(`all ${example.test} test windows`);
    expect(await page.locator('[data-testid="preset-E4-unavailable"]').count()).toBe(0);
    expect(await page.locator('[data-testid="run-E4"]').isEnabled()).toBe(true);
    await page.locator('[data-testid="preset-E4"]').screenshot({ path: join(SCREENSHOT_DIR, 'hedging-09-e4-path-set.png') });
    expect(await page.locator('[data-testid="experiment-scale"]').inputValue()).toBe('full');
    await page.selectOption('[data-testid="experiment-scale"]', 'quick');
    await page.uncheck('[data-testid="preset-E1-strike-1.2"]');
    await page.click('[data-testid="run-E1"]');
    const panel = page.locator('[data-testid="experiment-panel"]');
    await panel.waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="quick-badge"]').waitFor();
    const groupId = (await panel.getAttribute('data-group-id'))!;
    // 4 cells (epochs 2, 4, 6, 8 at quick scale), 4 runs (BSDH + three trained to 8 epochs with snapshots)
    await expect.poll(() => page.locator('[data-testid^="cell-conv:"]').count(), { timeout: 30_000 }).toBe(4);
    await screenshot(page, 'hedging-10-experiment-running');
    await expect.poll(() => page.locator('[data-testid^="cell-conv:"][data-claim="pending"]').count(), { timeout: 300_000, interval: 2000 }).toBe(0);
    const detail = await rpc.call('hedging-experiment-get', { groupId });
    expect(detail.runs).toBe(4);
    expect(detail.done).toBe(4);
    for (const c of detail.cells) {
      const shown = await page.locator(`[data-testid="cell-${c.key}"] [data-testid="cell-claim"]`).textContent();
      expect(shown).toBe(c.claim === 'held' ? 'claim held' : 'claim not held');
      await page.locator(`[data-testid="cell-chart-${c.key}"] canvas`).waitFor({ timeout: 30_000 });
      expect(await page.locator(`[data-testid="cell-chart-${c.key}"]`).getAttribute('data-series-count')).toBe('4');
    }
    await expect.poll(() => paintedPixels(page, `cell-chart-${detail.cells[0].key}`), { timeout: 10_000 }).toBeGreaterThan(500);
    expect(await page.locator('[data-testid="claim-summary"]').textContent()).toMatch(/held in \d of 4 finished cells/);
    await screenshot(page, 'hedging-11-experiment-grid');

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
    const text = readFileSync((await csv.path())!, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^experiment,scale,seed,section,cell/);
    expect(lines).toHaveLength(1 + 4 * 4);
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-png"]')]);
    const bytes = readFileSync((await png.path())!);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(20_000);
    expect(png.suggestedFilename()).toBe('E1-quick-seed1.png');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, 'hedging-12-exported-grid.png'), bytes);

    // E4 at quick scale on the example path set: 20 grouped runs, all on the set's windows; cancelled at once
    await page.click('[data-testid="run-E4"]');
    await expect.poll(async () => (await panel.getAttribute('data-group-id')) !== groupId, { timeout: 30_000 }).toBe(true);
    const e4Group = (await panel.getAttribute('data-group-id'))!;
    const e4 = await rpc.call('hedging-experiment-get', { groupId: e4Group });
    await rpc.call('hedging-experiment-cancel', { groupId: e4Group });
    expect(e4.id).toBe('E4');
    expect(e4.label).toContain(example.label);
    expect(e4.runList).toHaveLength(20);
    for (const r of e4.runList) expect(r.config).toMatchObject({ option: 'lookback', strike: 1, steps: example.steps, paths: example.test, data: { kind: 'paths', datasetId: example.id } });
    expect(app.errors).toEqual([]);
  }, 420_000);
});
