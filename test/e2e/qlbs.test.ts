import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QlbsMetrics } from '../../src-shared/qlbs/config';
import { type QlbsSweepMetrics } from '../../src-shared/qlbs/sweep';
import { join } from 'node:path';
import { type E2E, SCREENSHOT_DIR, displayedNumber, openApp, paintedPixels, screenshot, waitForRunEnd } from './support';

/** Text of every metric cell of the QLBS results table, keyed by metric. */
async function shownQlbsMetrics(app: E2E): Promise<Record<string, string>> {
  return app.page.locator('[data-testid="qlbs-results"] [data-testid^="qlbs-metric-"]').evaluateAll((cells) =>
    Object.fromEntries(cells.map((c) => [c.getAttribute('data-testid')!.slice('qlbs-metric-'.length), c.textContent ?? ''])),
  );
}

const qlbsRow = (app: E2E, runId: string) => app.page.locator(`[data-testid="qlbs-runs-grid"] .ag-row[row-id="${runId}"]`).first();

describe('QLBS view', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs the reference setting, shows prices beside Black-Scholes, hedges, Q(S, a), the portfolio, sweeps; cancels', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.click('[data-testid="nav-qlbs"]');
    await page.locator('[data-testid="qlbs-form"]').waitFor();
    expect(await page.locator('[data-testid="qlbs-run"]').textContent()).toContain('No QLBS run yet');
    // The form opens on the spec's reference setting.
    for (const [f, v] of Object.entries({ s0: '100', strike: '100', mu: '0.05', sigma: '0.15', r: '0.03', maturity: '1', steps: '24', fqiSteps: '6', paths: '10000', lambda: '0.001', reg: '0.001', basisSize: '12', degree: '4', eta: '0.5', seed: '42' })) {
      expect(await page.inputValue(`[data-testid="qlbs-field-${f}"]`), f).toBe(v);
    }

    // Bad input: the field says what is wrong and Start is disabled.
    await page.fill('[data-testid="qlbs-field-fqiSteps"]', '5');
    await page.locator('[data-testid="qlbs-error-fqiSteps"]').waitFor();
    expect(await page.locator('[data-testid="qlbs-error-fqiSteps"]').textContent()).toMatch(/FQI steps must divide steps = 24/);
    expect(await page.locator('[data-testid="qlbs-start-button"]').isDisabled()).toBe(true);
    await screenshot(page, 'qlbs-01-invalid-field');

    // A big run: live progress per backward step, then Cancel.
    await page.fill('[data-testid="qlbs-field-fqiSteps"]', '6');
    await page.fill('[data-testid="qlbs-field-paths"]', '400000');
    await page.fill('[data-testid="qlbs-field-steps"]', '24');
    await page.fill('[data-testid="qlbs-field-label"]', 'e2e big run to cancel');
    await page.click('[data-testid="qlbs-start-button"]');
    await page.locator('[data-testid="qlbs-progress"]').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await page.locator('[data-testid="qlbs-progress-phase"]').textContent()) ?? '', { timeout: 60_000 }).toMatch(/on-policy DP backward pass: t = \d+ of 24/);
    expect(await page.locator('[data-testid="qlbs-progress-count"]').textContent()).toMatch(/\d+ \/ 30 backward steps/);
    await screenshot(page, 'qlbs-02-progress');
    const bigId = (await page.locator('[data-testid="qlbs-run"]').getAttribute('data-run-id'))!;
    await page.click('[data-testid="qlbs-cancel-button"]');
    await page.locator('[data-testid="qlbs-run"][data-status="cancelled"]').waitFor({ timeout: 30_000 });
    expect((await rpc.call('runs-get', { runId: bigId })).status).toBe('cancelled');

    // The reference run.
    await page.click('[data-testid="qlbs-defaults"]');
    await page.fill('[data-testid="qlbs-field-label"]', 'e2e reference put');
    await page.click('[data-testid="qlbs-start-button"]');
    const done = page.locator('[data-testid="qlbs-run"][data-status="done"]');
    await done.waitFor({ timeout: 120_000 });
    const runId = (await done.getAttribute('data-run-id'))!;
    const stored = await rpc.call('runs-get', { runId });
    expect(stored).toMatchObject({ kind: 'qlbs', status: 'done', label: 'e2e reference put' });
    const m = stored.metrics as QlbsMetrics;
    const shown = await shownQlbsMetrics(app);
    for (const key of ['bsPrice', 'dpPrice', 'dpHedgeCost', 'dpHedgeCostOos', 'dpPriceFqiGrid', 'fqiPrice', 'bsDelta0', 'dpHedge0', 'fqiHedge0'] as const) {
      const text = (shown[key] ?? '').split('±')[0];
      const got = displayedNumber(text);
      const want = m[key] as number;
      expect(Math.abs(got - want), `${key}: shown ${shown[key]}, stored ${want}`).toBeLessThanOrEqual(Math.abs(want) * 5.01e-5 + 1e-12);
    }
    expect(displayedNumber(shown.bsPrice)).toBeCloseTo(4.5296, 4);
    const diff = await page.locator('[data-testid="qlbs-diff-dpPrice"]').textContent();
    expect(displayedNumber(diff!.replace('+', ''))).toBeCloseTo(m.dpPrice - m.bsPrice, 3);

    // Charts drawn: hedge curves (3 series per time with FQI ones on the grid), the Q heat map, the histogram.
    for (const id of ['qlbs-hedge-chart', 'qlbs-q-chart', 'qlbs-portfolio-chart']) {
      await page.locator(`[data-testid="${id}"] canvas`).waitFor({ timeout: 30_000 });
      await expect.poll(() => paintedPixels(page, id), { timeout: 15_000 }).toBeGreaterThan(1500);
    }
    expect(await page.locator('[data-testid="qlbs-hedge-chart"]').getAttribute('data-series-count')).toBe('4');
    await screenshot(page, 'qlbs-03-result');

    // Another time step on the hedge chart, another FQI step on the heat map.
    await page.click('[data-testid="qlbs-time-4"]');
    await expect.poll(() => page.locator('[data-testid="qlbs-hedge-chart"]').getAttribute('data-series-count')).toBe('5');
    await page.selectOption('[data-testid="qlbs-q-time"]', '1');
    await page.selectOption('[data-testid="qlbs-q-colour"]', 'rel');
    await expect.poll(() => paintedPixels(page, 'qlbs-q-chart'), { timeout: 15_000 }).toBeGreaterThan(1500);
    await screenshot(page, 'qlbs-04-result-other-times');

    // A mu sweep (small paths so it is quick), drawn as points arrive.
    await page.fill('[data-testid="qlbs-field-paths"]', '2000');
    await page.click('[data-testid="qlbs-tab-sweeps"]');
    await page.selectOption('[data-testid="qlbs-sweep-param"]', 'mu');
    await page.fill('[data-testid="qlbs-sweep-values"]', '-0.07, 0.03, 0.13');
    await page.fill('[data-testid="qlbs-sweep-repeats"]', '2');
    expect(await page.locator('[data-testid="qlbs-sweep-start"]').isEnabled()).toBe(true);
    await page.click('[data-testid="qlbs-sweep-start"]');
    await page.locator('[data-testid="qlbs-sweep-chart"] canvas').waitFor({ timeout: 60_000 });
    const sweepId = await page.locator('[data-testid="qlbs-sweep-select"]').inputValue();
    const sweep = await waitForRunEnd(rpc, sweepId, 120_000);
    expect(sweep).toMatchObject({ kind: 'qlbs-sweep', status: 'done' });
    const sm = sweep.metrics as QlbsSweepMetrics;
    expect(sm.values).toEqual([-0.07, 0.03, 0.13]);
    expect(sm.computed).toEqual([true, true, true]);
    await page.locator('[data-testid="qlbs-sweeps"] [data-testid="status-badge"][data-status="done"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => paintedPixels(page, 'qlbs-sweep-chart'), { timeout: 15_000 }).toBeGreaterThan(1500);
    await screenshot(page, 'qlbs-05-sweep-mu');
    await page.locator('[data-testid="qlbs-sweep-chart"]').screenshot({ path: join(SCREENSHOT_DIR, 'qlbs-05b-sweep-chart.png') });

    // Both runs and the sweep are listed; after a reload they are still there.
    await page.reload();
    await page.locator('[data-testid="qlbs-form"]').waitFor();
    for (const id of [runId, sweepId, bigId]) await qlbsRow(app, id).waitFor({ timeout: 30_000 });
    expect(await qlbsRow(app, runId).textContent()).toContain('e2e reference put');
    expect(await qlbsRow(app, bigId).textContent()).toContain('cancelled');
    await page.locator('[data-testid="qlbs-run"][data-status="done"]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'qlbs-06-after-reload');
    expect(app.errors).toEqual([]);
  });
});
