import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, openApp, screenshot } from './support';

describe('form validation', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('names the field and the rejected value, and disables Start while a field is invalid', async () => {
    const { page } = app;
    const start = page.locator('[data-testid="start-button"]');
    const sigmaError = page.locator('[data-testid="error-sigma"]');
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await expect.poll(() => start.isEnabled()).toBe(true);

    await page.fill('[data-testid="field-sigma"]', 'abc');
    await sigmaError.waitFor();
    expect(await sigmaError.textContent()).toBe('volatility σ must be a number (got "abc")');
    expect(await start.isDisabled()).toBe(true);
    await screenshot(page, '03a-invalid-sigma-text');

    await page.fill('[data-testid="field-sigma"]', '-1');
    await expect.poll(() => sigmaError.textContent()).toContain('volatility σ must be > 0');
    expect(await sigmaError.textContent()).toContain('-1');
    expect(await start.isDisabled()).toBe(true);

    // Several fields at once; each error sits with its own field.
    await page.fill('[data-testid="field-steps"]', '2.5');
    await page.locator('[data-testid="error-steps"]').waitFor();
    expect(await page.locator('[data-testid="error-steps"]').textContent()).toContain('steps must be a whole number (got 2.5)');
    await page.fill('[data-testid="field-paths"]', '');
    expect(await page.locator('[data-testid="error-paths"]').textContent()).toContain('paths is required');
    await screenshot(page, '03b-invalid-fields');

    // Fixing them re-enables Start.
    await page.fill('[data-testid="field-sigma"]', '0.2');
    await page.fill('[data-testid="field-steps"]', '30');
    await page.fill('[data-testid="field-paths"]', '10000');
    await expect.poll(() => start.isEnabled()).toBe(true);
    expect(await sigmaError.count()).toBe(0);
    expect(app.errors).toEqual([]);
  });
});
