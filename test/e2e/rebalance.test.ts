import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOLVER_PRESETS } from '../../src-shared/bsde/config';
import { type BsdeHedgeMetrics, type HedgeComparison, type HedgeSchedule } from '../../src-shared/bsde/hedge';
import { presetBook } from '../../src-shared/portfolio/presets';
import { type E2E, displayedNumber, openApp, paintedPixels, screenshot, waitForRunEnd } from './support';

/**
 * The Rebalancing view on a quickly solved two-asset B1 book: a delta-gamma hedge with closed-form Greeks on
 * a finer grid and one with the network's Greeks; the statistics table and histogram; the median path's
 * schedule as grid and timeline, exported as a trades CSV; the R sweep as a comparison with its table.
 */
describe('rebalancing view', () => {
  let app: E2E;
  let solveRunId = '';
  beforeAll(async () => {
    app = await openApp({ width: 1500, height: 940 });
    // A small solve to hedge with (the Portfolio e2e test drives the solve form itself).
    const { bookId } = await app.rpc.call('portfolio-save', { bookId: null, baseVersion: null, book: { ...presetBook('B1', { assets: 2 }), name: 'B1 d=2 · e2e' } });
    const solver = { ...SOLVER_PRESETS.tiny.config, steps: 4, iterationsLast: 200, iterationsOther: 60, samplesT0: 16384 };
    ({ runId: solveRunId } = await app.rpc.call('bsde-solve', { bookId, scheme: 'osm', seed: 1, ...solver }));
    expect((await waitForRunEnd(app.rpc, solveRunId, 90_000)).status).toBe('done');
  });
  afterAll(async () => {
    await app?.close();
  });

  const tid = (id: string) => app.page.locator(`[data-testid="${id}"]`);
  const waitDone = async (): Promise<string> => {
    await app.page.locator('[data-testid="rb-run-panel"][data-status="done"]').waitFor({ timeout: 60_000 });
    return (await tid('rb-run-panel').getAttribute('data-run-id'))!;
  };

  it('hedges with closed-form and network Greeks and shows the statistics and histogram', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    // From the solve's results in the Portfolio view straight to hedging it.
    await page.click('[data-testid="nav-portfolio"]');
    await page.locator('[data-testid="book-item"]', { hasText: 'B1 d=2 · e2e' }).click();
    await page.locator(`[data-testid="solve-panel"][data-run-id="${solveRunId}"] [data-testid="solve-hedge"]`).click();
    await tid('view-rebalance').waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe('#rebalance');
    await expect.poll(() => tid('rb-solve-select').inputValue(), { timeout: 15_000 }).toBe(solveRunId);
    expect(await tid('rb-solve-facts').textContent()).toMatch(/d = 2 assets · 1 option · T = 1 y · N = 4/);
    // Network Greeks: only the R dividing the solve's N = 4 are offered.
    const offered = async () => tid('rb-field-rebalance').locator('option').allTextContents();
    expect(await offered()).toEqual(['1', '2', '4']);

    // A bad path count is named at its field and blocks Start.
    await page.fill('[data-testid="rb-field-paths"]', '8');
    expect(await tid('rb-error-paths').textContent()).toBe('paths must be >= 16');
    expect(await tid('rb-hedge-start').isDisabled()).toBe(true);
    await page.fill('[data-testid="rb-field-paths"]', '256');

    // Closed form on its own grid N = 12: R = 12 becomes available.
    await page.selectOption('[data-testid="rb-field-greeks"]', 'closed-form');
    await page.fill('[data-testid="rb-field-steps"]', '12');
    await expect.poll(offered).toEqual(['1', '2', '4', '12', '3', '6'].map((r, i) => (i < 4 ? r : `${r} (divisor of N)`)));
    await page.selectOption('[data-testid="rb-field-rebalance"]', '12');
    await screenshot(page, 'rebalance-01-form');
    await page.click('[data-testid="rb-hedge-start"]');
    const cfId = await waitDone();
    const cf = await rpc.call('runs-get', { runId: cfId });
    const m = cf.metrics as BsdeHedgeMetrics;
    expect(m).toMatchObject({ strategy: 'delta-gamma', greeks: 'closed-form', rebalance: 12, steps: 12, paths: 256 });

    // The statistics table shows the stored numbers in % of |V0| (variance of X itself).
    await tid('rb-stats-table').waitFor();
    const shown = async (k: string) => displayedNumber((await tid(`rb-stat-${k}`).textContent()) ?? '');
    expect(await shown('mean')).toBeCloseTo(100 * m.stats.mean, 3);
    expect(Math.abs((await shown('variance')) / m.stats.variance - 1)).toBeLessThan(1e-3);
    // VaR/ES as positive losses with their level: "VaR 99% (loss)" = −(1% quantile of X), not a signed "VaR 1%"
    expect(await shown('es1')).toBeCloseTo(-100 * m.stats.es.p1, 2);
    expect(await shown('var1')).toBeCloseTo(-100 * m.stats.var.p1, 2);
    const rowLabel = async (k: string) => (await tid(`rb-stat-${k}`).locator('xpath=..').locator('td').first().textContent()) ?? '';
    expect(await rowLabel('var1')).toBe('VaR 99% (loss)');
    expect(await rowLabel('es5')).toBe('ES 95% (loss)');
    expect(await tid('rb-stats-table').textContent()).not.toMatch(/VaR 1%|ES 1%|VaR 5%|ES 5%/);
    expect(await shown('var99')).toBeCloseTo(100 * m.stats.var.p99, 2);
    expect(await shown('n')).toBe(256);
    expect(await tid('rb-selffinancing-verdict').textContent()).toBe('holds to rounding');
    expect(displayedNumber((await tid('rb-lsqr-solves').textContent()) ?? '')).toBe(m.lsqr!.solves);
    await expect.poll(() => paintedPixels(page, 'rb-histogram'), { timeout: 10_000 }).toBeGreaterThan(1500);
    await screenshot(page, 'rebalance-02-closed-form-stats');

    // Network Greeks at R = 4.
    // Back on the network's grid N = 4, R = 12 no longer fits: said at the field, Start blocked until R is changed.
    await page.selectOption('[data-testid="rb-field-greeks"]', 'network');
    await expect.poll(offered).toEqual(['12 (does not divide N)', '1', '2', '4']);
    expect(await tid('rb-error-rebalance').textContent()).toMatch(/R = 12 does not divide the grid N = 4; pick one of 1, 2, 4/);
    expect(await tid('rb-hedge-start').isDisabled()).toBe(true);
    await page.selectOption('[data-testid="rb-field-rebalance"]', '4');
    expect(await tid('rb-hedge-start').isDisabled()).toBe(false);
    await page.click('[data-testid="rb-hedge-start"]');
    await expect.poll(async () => (await tid('rb-run-panel').getAttribute('data-run-id')) !== cfId, { timeout: 15_000 }).toBe(true);
    const netId = await waitDone();
    const net = (await rpc.call('runs-get', { runId: netId })).metrics as BsdeHedgeMetrics;
    expect(net).toMatchObject({ greeks: 'network', scheme: 'osm', rebalance: 4, steps: 4 });
    expect(await tid('rb-run-title').textContent()).toBe('Δ-Γ · network (OSM) · R = 4 · 256 paths');
    expect(await shown('mean')).toBeCloseTo(100 * net.stats.mean, 3);
    await expect.poll(() => paintedPixels(page, 'rb-histogram'), { timeout: 10_000 }).toBeGreaterThan(1500);
    // Both runs are listed for this solve.
    expect(await page.locator('[data-testid="rb-runs-grid"] .ag-row[row-id]').count()).toBe(2);
    await screenshot(page, 'rebalance-03-network-stats');
  });

  it('shows live progress of a long hedge and cancels it', async () => {
    const { page, rpc } = app;
    await page.selectOption('[data-testid="rb-field-greeks"]', 'closed-form');
    await page.fill('[data-testid="rb-field-steps"]', '120');
    await page.selectOption('[data-testid="rb-field-rebalance"]', '120');
    await page.fill('[data-testid="rb-field-paths"]', '65536');
    await page.click('[data-testid="rb-hedge-start"]');
    await page.locator('[data-testid="rb-run-panel"][data-status="running"] [data-testid="rb-hedge-progress"]').waitFor({ timeout: 20_000 });
    const runId = (await tid('rb-run-panel').getAttribute('data-run-id'))!;
    await expect.poll(async () => (await tid('progress-count').textContent()) ?? '', { timeout: 20_000 }).toMatch(/^[1-9][\d,]* \/ 7,744 chunk-dates$/);
    await screenshot(page, 'rebalance-04-progress');
    await page.click('[data-testid="rb-hedge-cancel"]');
    await page.locator('[data-testid="rb-run-panel"][data-status="cancelled"]').waitFor({ timeout: 20_000 });
    expect(await tid('rb-run-stopped').textContent()).toMatch(/Run cancelled after/);
    expect((await rpc.call('runs-get', { runId })).status).toBe('cancelled');
    // Back to the finished network run for the schedule.
    await page.locator('[data-testid="rb-runs-grid"] .ag-row', { hasText: 'network (OSM)' }).first().click();
    await page.locator('[data-testid="rb-run-panel"][data-status="done"]').waitFor();
  });

  it('shows the median path as grid and timeline and exports its trades', async () => {
    const { page, rpc } = app;
    const runId = (await tid('rb-run-panel').getAttribute('data-run-id'))!;
    await page.click('[data-testid="rb-tab-schedule"]');
    await page.locator('[data-testid="rb-schedule"][data-pick="median"]').waitFor({ timeout: 20_000 });
    const s = await rpc.call('bsde-hedge-schedule', { runId, path: 'median' });
    expect(await tid('rb-schedule-path').textContent()).toBe(String(s.path));
    expect(Number(await tid('rb-schedule-grid').getAttribute('data-rows'))).toBe(s.rows.length);
    // Rebalancing dates 0..3 and the final settlement.
    expect(s.rows.map((r) => r.kind)).toEqual(['rebalance', 'rebalance', 'rebalance', 'rebalance', 'final']);
    const rowIds = () => page.locator('[data-testid="rb-schedule-grid"] .ag-row[row-id]').evaluateAll((rs) => [...new Set(rs.map((r) => r.getAttribute('row-id')))].length);
    await expect.poll(rowIds).toBe(s.rows.length);
    const cellText = (row: number, col: string) => page.locator(`[data-testid="rb-schedule-grid"] .ag-row[row-id="${row}"] [col-id="${col}"]`).first().textContent();
    expect(await cellText(4, 'kind')).toBe('final');
    await expect.poll(() => paintedPixels(page, 'rb-timeline'), { timeout: 10_000 }).toBeGreaterThan(800);
    await screenshot(page, 'rebalance-05-schedule-median');

    const downloads: Array<{ suggestedFilename(): string; path(): Promise<string | null> }> = [];
    page.on('download', (d) => downloads.push(d));
    await page.click('[data-testid="rb-export-trades"]');
    await expect.poll(() => downloads.length).toBe(2);
    const dl = downloads.find((d) => d.suggestedFilename().endsWith('.csv'))!;
    expect(dl.suggestedFilename()).toBe(`hedge-${runId.slice(0, 8)}-path-${s.path}-median-trades.csv`);
    const lines = readFileSync((await dl.path())!, 'utf8').split('\r\n');
    // plain CSV a spreadsheet opens: the header row first, no '#' lines; the notes are in the sidecar JSON
    expect(lines.some((l) => l.startsWith('#'))).toBe(false);
    const side = downloads.find((d) => d.suggestedFilename().endsWith('.csv.json'))!;
    expect(side.suggestedFilename()).toBe(`hedge-${runId.slice(0, 8)}-path-${s.path}-median-trades.csv.json`);
    const meta = JSON.parse(readFileSync((await side.path())!, 'utf8')) as { title: string; columns: Record<string, string> };
    expect(meta.title).toBe(`Trades of hedge run ${runId}, path ${s.path} (median relative PnL)`);
    const data = lines.filter((l) => l);
    expect(data[0]).toBe('time_years,grid_index,event,instrument,instrument_type,underlying,strike_or_ratio,maturity_years,side,quantity,price,notional');
    // The first trade: the initial purchase of S1 at t = 0, at its spot.
    const r0 = s.rows[0];
    const q = r0.tradeAssets[0];
    expect(data[1]).toBe(['0', '0', 'rebalance', 'S1', 'asset', 'S1', '', '', q > 0 ? 'BUY' : 'SELL', String(Math.abs(q)), String(r0.spots[0]), String(Math.abs(q) * r0.spots[0])].join(','));
    // Gamma instruments: puts and the exchange call, at their closed-form prices from the schedule.
    const instr = data.filter((l) => /,(put|exchange),/.test(l));
    expect(instr.length).toBeGreaterThan(0);
    const firstPut = s.rows.find((r) => r.tradeInstruments.some((x) => x !== 0))!;
    const k = firstPut.tradeInstruments.findIndex((x) => x !== 0);
    expect(firstPut.instrumentPrices![k]).toBeGreaterThan(0);
    expect(instr[0]).toMatch(new RegExp(`,(BUY|SELL),[0-9.e-]+,${String(firstPut.instrumentPrices![k]).replace('.', '\\.')},[0-9.e-]+$`));

    // The worst path.
    await page.click('[data-testid="rb-path-worst"]');
    await page.locator('[data-testid="rb-schedule"][data-pick="worst"]').waitFor({ timeout: 20_000 });
    const worst = await rpc.call('bsde-hedge-schedule', { runId, path: 'worst' });
    expect(await tid('rb-schedule-path').textContent()).toBe(String(worst.path));
    await page.check('[data-testid="rb-show-holdings"]');
    await screenshot(page, 'rebalance-06-schedule-worst-holdings');
    expect((worst as HedgeSchedule).pnl).toBeLessThanOrEqual(s.pnl);
  });

  it('fills in the R sweep as a comparison and shows its table and convergence', async () => {
    const { page, rpc } = app;
    await page.click('[data-testid="rb-tab-stats"]');
    await page.click('[data-testid="rb-conv-fill"]');
    await tid('rb-conv-fill-note').waitFor();
    expect(await tid('rb-conv-fill-note').textContent()).toMatch(/Started 6 hedge runs/);
    await page.click('[data-testid="rb-mode-compare"]');
    const cmp = page.locator('[data-testid="rb-comparison"]');
    await cmp.waitFor({ timeout: 15_000 });
    const groupId = (await cmp.getAttribute('data-group-id'))!;
    await expect.poll(async () => cmp.getAttribute('data-done'), { timeout: 60_000 }).toBe('6');
    const c = (await rpc.call('bsde-compare-get', { groupId })) as HedgeComparison;
    expect(c.cells.every((x) => x.status === 'done')).toBe(true);
    const cell = c.cells.find((x) => x.strategy === 'delta' && x.rebalance === 2)!;
    const txt = (await tid('rb-cmp-cell-0-delta-2-variance').textContent()) ?? '';
    expect(Math.abs(displayedNumber(txt) / cell.stats!.variance - 1)).toBeLessThan(1e-3);
    await expect.poll(() => page.locator('[data-testid="rb-finding"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => paintedPixels(page, 'rb-cmp-chart'), { timeout: 10_000 }).toBeGreaterThan(800);
    expect(await tid('rb-cmp-chart').getAttribute('data-series-count')).toBe('2');
    await screenshot(page, 'rebalance-07-comparison');
  });

  it('starts a preset comparison in one action (solve, then hedge) and cancels it', async () => {
    const { page, rpc } = app;
    expect(await page.locator('[data-testid="rb-preset-book"]').count()).toBeGreaterThanOrEqual(4);
    await page.selectOption('[data-testid="rb-cmp-solver"]', 'tiny');
    await page.fill('[data-testid="rb-cmp-steps"]', '12');
    await page.fill('[data-testid="rb-cmp-paths"]', '256');
    const b1 = page.locator('[data-testid="rb-preset-book"][data-preset="B1"]', { hasText: 'European' });
    await b1.locator('[data-testid="rb-compare-preset-B1"]').click();
    const cmp = page.locator('[data-testid="rb-comparison"]');
    await expect.poll(async () => (await cmp.getAttribute('data-total')) !== '6', { timeout: 15_000 }).toBe(true);
    const groupId = (await cmp.getAttribute('data-group-id'))!;
    const c = (await rpc.call('bsde-compare-get', { groupId })) as HedgeComparison;
    // OSM networks at R in {1, 2, 4, 12} x 2 strategies, closed form at every preset R x 2 strategies.
    expect(c.cells.filter((x) => x.greeks === 'network')).toHaveLength(8);
    expect(c.cells.filter((x) => x.greeks === 'closed-form')).toHaveLength(14);
    expect(await tid('rb-cmp-title').textContent()).toMatch(/^B1 · geometric call · d=5 · European — delta versus delta-gamma across R/);
    await tid('rb-cmp-solve').first().waitFor();
    await screenshot(page, 'rebalance-08-preset-comparison-running');
    await page.click('[data-testid="rb-cmp-cancel"]');
    await page.click('[data-testid="confirm-ok"]');
    await expect.poll(async () => cmp.getAttribute('data-ended'), { timeout: 30_000 }).toBe('22');
    const after = (await rpc.call('bsde-compare-get', { groupId })) as HedgeComparison;
    expect(after.cells.some((x) => x.status === 'cancelled')).toBe(true);
    expect(await tid('rb-cmp-counts').textContent()).toMatch(/0 done · 0 running · 0 queued · 22 cancelled/);
    // The solve stops at its next check (or its worker is ended after the grace period).
    expect((await waitForRunEnd(rpc, after.solveRunIds[0], 20_000)).status).toBe('cancelled');
    await expect.poll(() => page.locator('[data-testid="rb-cmp-solve"] [data-status="cancelled"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('[data-testid="rb-cmp-cancel"]').count()).toBe(0);
    await screenshot(page, 'rebalance-09-preset-comparison-cancelled');
    expect(app.errors).toEqual([]);
  });
});
