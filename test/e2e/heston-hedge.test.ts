import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HestonHedgeMetrics } from '../../src-shared/heston/hedge';
import { H1_CLAIM, H1_MARKET } from '../../src-shared/heston/types';
import { type E2E, displayedNumber, openApp, screenshot, waitForRunEnd } from './support';

/**
 * The Heston section of the Rebalancing tab on a quick OSM solve of a European put (H1 market, N = 4): start a
 * hedge from the form (all five strategies, R = 2, 4, 64 paths), watch it finish, and check the statistics
 * table against the stored metrics, the per-strategy histograms, variance against R and a path's schedule.
 */
describe('heston hedging view', () => {
  let app: E2E;
  let solveRunId = '';
  beforeAll(async () => {
    app = await openApp({ width: 1500, height: 1000 });
    ({ runId: solveRunId } = await app.rpc.call('heston-solve', { market: H1_MARKET, claim: { ...H1_CLAIM, exerciseDates: 1 }, scheme: 'osm', solver: 'quick', steps: 4, seed: 2 }));
    expect((await waitForRunEnd(app.rpc, solveRunId, 120_000)).status).toBe('done');
  });
  afterAll(async () => {
    await app?.close();
  });
  const tid = (id: string) => app.page.locator(`[data-testid="${id}"]`);

  it('starts a hedge from the form and shows the statistics table of every strategy and R', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.click('[data-testid="nav-rebalance"]');
    await page.click('[data-testid="rb-mode-heston"]');
    await expect.poll(() => tid('hh-solve').inputValue(), { timeout: 15_000 }).toBe(solveRunId);
    // A bad R is named before anything starts.
    await page.fill('[data-testid="hh-rebalance"]', '2, 9');
    expect(await tid('hh-form-error').textContent()).toMatch(/R = "9" must be a whole number in 1\.\.4/);
    expect(await tid('hh-start').isDisabled()).toBe(true);
    await page.fill('[data-testid="hh-rebalance"]', '2, 4');
    await page.fill('[data-testid="hh-paths"]', '64');
    await page.click('[data-testid="hh-start"]');
    await page.locator('[data-testid="hh-run-panel"][data-status="done"]').waitFor({ timeout: 90_000 });
    const runId = (await tid('hh-run-panel').getAttribute('data-run-id'))!;
    const run = await rpc.call('runs-get', { runId });
    const m = run.metrics as HestonHedgeMetrics;
    expect(m).toMatchObject({ solveRunId, greeks: 'osm', steps: 4, paths: 64, rebalance: [2, 4] });

    const rows = tid('hh-stats-row');
    await expect.poll(() => rows.count()).toBe(10);
    for (const cell of m.cells) {
      const row = page.locator(`[data-testid="hh-stats-row"][data-strategy="${cell.strategy}"][data-r="${cell.rebalance}"]`);
      const variance = displayedNumber((await row.locator('[data-testid="hh-stat-variance"]').textContent()) ?? '');
      expect(Math.abs(variance / cell.stats.variance - 1)).toBeLessThan(1e-3);
      // VaR 99% as a positive loss in % of |V0|
      const var99 = displayedNumber((await row.locator('[data-testid="hh-stat-var1"]').textContent()) ?? '');
      expect(Math.abs(var99 - -100 * cell.stats.var.p1)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(100 * cell.stats.var.p1)));
    }
    // one histogram (with its KDE) per strategy, and variance against R with one line per strategy
    for (const s of m.strategies) await tid(`hh-hist-${s}`).waitFor();
    expect(await tid('hh-variance-r').getAttribute('data-series-count')).toBe('5');
    await screenshot(page, 'heston-hedge-01-results');

    // The median path of delta-vega at R = 4, replayed: its PnL is the stored one
    await page.selectOption('[data-testid="hh-sched-strategy"]', 'delta-vega');
    await page.selectOption('[data-testid="hh-sched-r"]', '4');
    await page.click('[data-testid="hh-path-median"]');
    await tid('hh-schedule-summary').waitFor();
    const cell = m.cells.find((x) => x.strategy === 'delta-vega' && x.rebalance === 4)!;
    expect(Number(await tid('hh-schedule-path').textContent())).toBe(cell.pathIndex.median);
    expect(await tid('hh-export-trades').isDisabled()).toBe(false);
    await screenshot(page, 'heston-hedge-02-schedule');
  });
});
