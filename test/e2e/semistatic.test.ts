import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SemistaticMcMetrics } from '../../src-shared/semistatic/contract';
import { type E2E, displayedNumber, openApp, paintedPixels, screenshot, waitForRunEnd } from './support';

const text = async (app: E2E, testId: string): Promise<string> => (await app.page.locator(`[data-testid="${testId}"]`).first().textContent()) ?? '';
/** Screenshot with the mouse parked on the status bar (no hover effects). */
const shot = async (app: E2E, name: string): Promise<void> => {
  await app.page.mouse.move(5, 1745);
  await screenshot(app.page, name);
};
/** "0.091360" -> 0.09136; "-0.91330 ± 0.00058" -> -0.9133 (the first number). */
const firstNumber = (s: string): number => displayedNumber(s.split('±')[0].trim());

describe('semistatic view', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp({ width: 1440, height: 1750 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the closed form for the spec example, the limit charts, and names bad fields', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.click('[data-testid="nav-semistatic"]');
    await page.locator('[data-testid="ss-solution"][data-state="ok"]').waitFor({ timeout: 30_000 });

    // The numbers on screen are the handler's (shown to 5 significant digits).
    const sol = await rpc.call('semistatic-solve', { n: 10, delay: 2, sigma: 1.3, ratio2: 0.7, mu: 0.1, s0: 100, riskAversion: 1 });
    const shown = async (id: string) => displayedNumber(await text(app, `ss-out-${id}`));
    for (const [id, want] of [
      ['a', sol.a],
      ['entropy', sol.entropy],
      ['value', sol.value],
      ['ce', sol.certaintyEquivalent],
      ['claim-weight', sol.staticClaim.weight],
      ['claim-price', sol.staticClaim.price],
      ['merton-fraction', sol.merton.fraction],
    ] as const) {
      const got = await shown(id);
      expect(Math.abs(got - want), `${id}: shown ${got}, handler ${want}`).toBeLessThanOrEqual(Math.abs(want) * 5.01e-5);
    }
    expect(sol.a).toBeCloseTo(0.0913600195, 9);
    expect(await page.locator('[data-testid^="ss-check-"][data-ok="true"]').count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator('[data-testid^="ss-check-"][data-ok="false"]').count()).toBe(0);
    await expect.poll(() => paintedPixels(page, 'ss-weights-chart'), { timeout: 10_000 }).toBeGreaterThan(300);
    await page.locator('[data-testid="ss-kappa-chart"] canvas').waitFor({ timeout: 20_000 });
    for (const id of ['ss-kappa-chart', 'ss-value-h-chart', 'ss-value-ratio-chart']) {
      await expect.poll(() => paintedPixels(page, id), { timeout: 10_000 }).toBeGreaterThan(1000);
    }
    expect(Number(await page.locator('[data-testid="ss-kappa-chart"]').getAttribute('data-series-count'))).toBe(5);
    expect(await text(app, 'ss-kappa-errors')).toMatch(/n = 640: /);
    await shot(app, 'semistatic-01-closed-form');

    // The delay as a fraction of the horizon: H = 0.2 of n = 10 is the same D = 2.
    await page.click('[data-testid="ss-delay-mode-fraction"]');
    expect(await page.inputValue('[data-testid="ss-field-delayFraction"]')).toBe('0.2');

    // A bigger problem: n = 10,000 with H = 0.2 (D = 2,000) solves at once.
    await page.fill('[data-testid="ss-field-n"]', '10000');
    await expect.poll(() => text(app, 'ss-out-nd'), { timeout: 20_000 }).toBe('10,000, 2,000');
    await page.locator('[data-testid="ss-solution"][data-state="ok"]').waitFor();
    const big = await rpc.call('semistatic-solve', { n: 10_000, delayFraction: 0.2, sigma: 1.3, ratio2: 0.7, mu: 0.1, s0: 100, riskAversion: 1 });
    expect(Math.abs((await shown('entropy')) - big.entropy)).toBeLessThanOrEqual(big.entropy * 5.01e-5);
    await shot(app, 'semistatic-02-n10000');

    // Bad input: each error sits with its field and names the value.
    await page.click('[data-testid="ss-delay-mode-steps"]');
    await page.fill('[data-testid="ss-field-n"]', '10');
    await page.fill('[data-testid="ss-field-delay"]', '10');
    await expect.poll(() => text(app, 'ss-error-delay')).toContain('delay D must be < n = 10');
    await page.fill('[data-testid="ss-field-sigma"]', '-1.3');
    await expect.poll(() => text(app, 'ss-error-sigma')).toContain('volatility σ must be > 0');
    expect(await text(app, 'ss-error-sigma')).toContain('-1.3');
    await page.fill('[data-testid="ss-field-ratio2"]', '0');
    await expect.poll(() => text(app, 'ss-error-ratio2')).toContain('ratio s2 must be > 0');
    await page.fill('[data-testid="ss-field-n"]', '5000000');
    await expect.poll(() => text(app, 'ss-error-n')).toContain('steps n must be <= 1000000 for the closed form');
    expect(await page.locator('[data-testid="ss-solution"]').getAttribute('data-state')).toBe('invalid');
    expect(await page.locator('[data-testid="ss-mc-start"]').isDisabled()).toBe(true);
    await shot(app, 'semistatic-03-invalid');

    // Inputs that pass the field rules but overflow a figure: an error naming the inputs, not a table of blanks.
    await page.click('[data-testid="ss-defaults"]');
    await page.locator('[data-testid="ss-solution"][data-state="ok"]').waitFor({ timeout: 20_000 });
    await page.fill('[data-testid="ss-field-sigma"]', '1e-200');
    await expect.poll(() => text(app, 'ss-error-sigma'), { timeout: 20_000 }).toContain('non-finite');
    expect(await page.locator('[data-testid="ss-solution"]').getAttribute('data-state')).not.toBe('ok');
    await shot(app, 'semistatic-03b-overflow');

    await page.click('[data-testid="ss-defaults"]');
    await page.locator('[data-testid="ss-solution"][data-state="ok"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid^="ss-error-"]').count()).toBe(0);
    expect(app.errors).toEqual([]);
  });

  it('runs the Monte Carlo check with progress; the interval brackets the closed form; a long run cancels', async () => {
    const { page, rpc } = app;
    await page.fill('[data-testid="ss-field-paths"]', '400000');
    await page.fill('[data-testid="ss-field-seed"]', '3');
    await page.click('[data-testid="ss-mc-start"]');
    const panel = page.locator('[data-testid="ss-mc-run"]');
    await expect.poll(async () => panel.getAttribute('data-status'), { timeout: 30_000 }).toMatch(/queued|running|done/);
    await page.locator('[data-testid="ss-mc-run"][data-status="done"]').waitFor({ timeout: 120_000 });
    const runId = (await panel.getAttribute('data-run-id'))!;
    const run = await waitForRunEnd(rpc, runId);
    const m = run.metrics as SemistaticMcMetrics;
    expect(run.kind).toBe('semistatic');
    expect(m.paths).toBe(400_000);
    expect(run.seed).toBe(3);
    expect(Math.abs(firstNumber(await text(app, 'ss-mc-estimate')) - m.utilityMean)).toBeLessThanOrEqual(Math.abs(m.utilityMean) * 5.01e-5);
    expect(Math.abs(displayedNumber(await text(app, 'ss-mc-closed')) - m.value)).toBeLessThanOrEqual(Math.abs(m.value) * 5.01e-5);
    // Within error bars of the closed form (4 exact standard errors), and the screen says so at 95%.
    const exactSe = (m.ratioSdExact! / Math.sqrt(m.paths)) * Math.exp(-m.entropy);
    expect(Math.abs(m.utilityMean - m.value)).toBeLessThan(4 * exactSe);
    expect(await text(app, 'ss-mc-verdict')).toBe(Math.abs(m.zScore) <= 1.96 ? 'inside' : 'outside');
    await expect.poll(() => paintedPixels(page, 'ss-wealth-chart'), { timeout: 10_000 }).toBeGreaterThan(2000);
    await page.locator('[data-testid="ss-mc"]').scrollIntoViewIfNeeded();
    await shot(app, 'semistatic-04-monte-carlo');

    // A long run (n = 2,000, 1,000,000 paths): progress shows, Cancel stops it and nothing is stored.
    await page.fill('[data-testid="ss-field-n"]', '2000');
    await page.fill('[data-testid="ss-field-delay"]', '400');
    await page.fill('[data-testid="ss-field-paths"]', '1000000');
    await page.locator('[data-testid="ss-solution"][data-state="ok"]').waitFor({ timeout: 20_000 });
    await page.click('[data-testid="ss-mc-start"]');
    await expect.poll(async () => (await panel.getAttribute('data-run-id')) !== runId, { timeout: 30_000 }).toBe(true);
    const longId = (await panel.getAttribute('data-run-id'))!;
    await page.locator('[data-testid="ss-mc-progress"]').waitFor({ timeout: 30_000 });
    await expect.poll(async () => displayedNumber(((await text(app, 'progress-count')) || '0').split('/')[0]), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await text(app, 'ss-mc-live')).toMatch(/Running estimate|Computing/);
    await shot(app, 'semistatic-05-mc-running');
    await page.click('[data-testid="ss-mc-cancel"]');
    await page.locator(`[data-testid="ss-mc-run"][data-status="cancelled"]`).waitFor({ timeout: 30_000 });
    const cancelled = await waitForRunEnd(rpc, longId);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.metrics).toBeNull();
    await shot(app, 'semistatic-06-mc-cancelled');
    expect(app.errors).toEqual([]);
  });
});
