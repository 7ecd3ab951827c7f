import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, gridRow, openApp, screenshot } from './support';

/**
 * Conventions across the tabs (issue 12, section 4, and the experiment items of section 3): the status bar
 * counts stored runs, dates are ISO to the minute, experiment runs stay out of the Hedging runs list unless
 * asked for, and an experiment opened from the list can be exported as PNG at once.
 */
describe('one set of conventions across the tabs', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp({ width: 1500, height: 950 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('status bar count, ISO dates, the experiment-runs filter and Export PNG after opening an experiment', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    const statusRuns = async () => Number((await page.locator('[data-testid="status-runs"]').textContent()) ?? 'NaN');
    // the number of stored runs, whatever the open tab lists
    await expect.poll(async () => (await statusRuns()) === (await rpc.call('runs-list', {})).length, { timeout: 20_000 }).toBe(true);
    const before = await statusRuns();

    // dates: ISO, to the minute
    const example = (await rpc.call('runs-list', { kind: 'hedge' }))[0]!;
    const created = gridRow(page, example.id).locator('[col-id="createdAt"]');
    await created.waitFor({ timeout: 20_000 });
    expect(((await created.textContent()) ?? '').trim()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    // an experiment: 4 runs, stopped at once (the count and the lists are what is checked here)
    const { groupId, runIds } = await rpc.call('hedging-experiment', { id: 'E1', scale: 'quick', seed: 1, strikes: [1] });
    await rpc.call('hedging-experiment-cancel', { groupId });
    await expect.poll(statusRuns, { timeout: 20_000 }).toBe(before + runIds.length);

    // the Hedging runs list leaves experiment runs out until "show experiment runs" is ticked
    await expect.poll(() => page.locator('[data-testid="runs-count"]').textContent(), { timeout: 20_000 }).toContain(`${runIds.length} experiment runs hidden`);
    expect(await gridRow(page, runIds[0]!).count()).toBe(0);
    await page.check('[data-testid="show-experiment-runs"]');
    await gridRow(page, runIds[0]!).waitFor({ timeout: 10_000 });
    await screenshot(page, 'conventions-01-experiment-runs-shown');
    await page.uncheck('[data-testid="show-experiment-runs"]');
    await expect.poll(() => gridRow(page, runIds[0]!).count()).toBe(0);

    // Experiments: open it from the list; Export PNG is enabled without switching tabs
    await page.click('[data-testid="nav-experiments"]');
    await page.click(`[data-testid="experiment-${groupId}"]`);
    await page.locator(`[data-testid="experiment-panel"][data-group-id="${groupId}"]`).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="experiment-grid"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="export-png"]').isEnabled(), { timeout: 5_000 }).toBe(true);
    await screenshot(page, 'conventions-02-experiment-opened');

    // deleting one of its runs (once all have stopped): the experiment offers to re-run the missing ones
    const live = async () => (await Promise.all(runIds.map((id) => rpc.call('runs-get', { runId: id })))).filter((r) => r.status === 'queued' || r.status === 'running').length;
    await expect.poll(live, { timeout: 30_000 }).toBe(0);
    await rpc.call('runs-delete', { runIds: [runIds[0]!] });
    // the open experiment updates by itself: one run deleted, offered for a re-run with the planned settings
    const rerun = page.locator('[data-testid="experiment-rerun"]');
    await expect.poll(() => rerun.textContent(), { timeout: 20_000 }).toBe('Re-run 1 deleted run');
    await expect.poll(() => page.locator(`[data-testid="experiment-${groupId}"]`).textContent(), { timeout: 20_000 }).toMatch(/1 deleted/);
    await expect.poll(statusRuns, { timeout: 20_000 }).toBe(before + runIds.length - 1);
    await screenshot(page, 'conventions-03-experiment-deleted-run');
    await rerun.click();
    await expect.poll(statusRuns, { timeout: 20_000 }).toBe(before + runIds.length);
    await expect.poll(() => rerun.count(), { timeout: 20_000 }).toBe(0);
    await rpc.call('hedging-experiment-cancel', { groupId });
  });

  it('an emptied numeric cell shows its error, and the issue list names the cell as the editor does', async () => {
    const { page } = app;
    await page.click('[data-testid="nav-portfolio"]');
    await page.locator('[data-testid="book-item"]').first().waitFor();
    const cell = (grid: string, row: number, col: string) => page.locator(`[data-testid="${grid}"] .ag-row[row-id="${row}"] [col-id="${col}"]`).first();
    const s0 = cell('assets-grid', 1, 's0');
    await s0.click();
    const editor = page.locator('[data-testid="assets-grid"] .ag-cell-inline-editing input').first();
    await editor.waitFor();
    await editor.fill('');
    await editor.press('Enter');
    await expect.poll(() => s0.textContent()).toBe('S0 must be a number');
    // painted as an invalid cell (the portfolio module's error tint, as test/e2e/portfolio.test.ts checks it)
    expect(await s0.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(251, 213, 209)');
    const issue = page.locator('[data-testid="book-issue"][data-path="assets.1.s0"]');
    await issue.waitFor();
    expect(await issue.textContent()).toBe('S0 of S2: S0 must be a number');
    expect(await page.locator('[data-testid="book-issues"]').textContent()).not.toMatch(/NaN|assets\.1\.s0/);
    await screenshot(page, 'conventions-04-emptied-cell');
    await page.locator('[data-testid="book-revert"]').click();
  });

  it('after a reload the still-running run is selected; a cancelled run and its resume link both ways', async () => {
    const { page, rpc } = app;
    await page.click('[data-testid="nav-hedging"]');
    const cfg = { model: 'ntb', option: 'european', strike: 1, sigma: 0.1, drift: 0, days: 30, steps: 30, cost: 0.002, paths: 4000, seed: 3, epochs: 400, trainPaths: 1000, monitorPaths: 1000, label: 'long e2e run' } as const;
    const { runId } = await rpc.call('hedging-start', cfg);
    await expect.poll(async () => (await rpc.call('runs-get', { runId })).status, { timeout: 30_000 }).toBe('running');
    await page.reload();
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await expect.poll(() => page.locator('[data-testid="active-run"]').getAttribute('data-run-id'), { timeout: 20_000 }).toBe(runId);
    await screenshot(page, 'conventions-05-running-run-after-reload');

    // stop it after an epoch, resume it: the two rows are linked both ways
    await expect.poll(async () => (await rpc.call('hedging-checkpoints', { runId })).latest ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
    await rpc.call('runs-cancel', { runId });
    await expect.poll(async () => (await rpc.call('runs-get', { runId })).status, { timeout: 30_000 }).toBe('cancelled');
    const resumed = await rpc.call('hedging-resume', { runId });
    await gridRow(page, resumed.runId).waitFor({ timeout: 20_000 });
    await gridRow(page, resumed.runId).locator('[col-id="label"]').click();
    await expect.poll(() => page.locator('[data-testid="active-run"]').getAttribute('data-run-id'), { timeout: 10_000 }).toBe(resumed.runId);
    expect(await page.locator('[data-testid="resume-of"]').getAttribute('data-run-id')).toBe(runId);
    await page.click('[data-testid="resume-of"]');
    await expect.poll(() => page.locator('[data-testid="active-run"]').getAttribute('data-run-id')).toBe(runId);
    expect(await page.locator('[data-testid="resumed-as"]').getAttribute('data-run-id')).toBe(resumed.runId);
    // no second resume of the same run: the note opens the running resume instead
    expect(await page.locator('[data-testid="resume-button"]').count()).toBe(0);
    await page.locator('[data-testid="open-resumed"]').waitFor();
    await screenshot(page, 'conventions-06-resume-links');
    await rpc.call('runs-cancel', { runId: resumed.runId });
  });
});
