import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, openApp, screenshot } from './support';

/**
 * Issue 12 §3: choosing an order-book path set filled σ, maturity, steps and paths, and switching back to
 * GBM kept them (a lookback run then ran at σ 69.9 % over 0.0124 days). Each source keeps its own values.
 */
describe('hedging form data sources', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('restores the GBM values after a path set filled the form, and the path set keeps its own', async () => {
    const { page, rpc } = app;
    const value = (f: string) => page.locator(`[data-testid="field-${f}"]`).inputValue();
    await page.locator('[data-testid="field-data"]').waitFor({ timeout: 60_000 });
    const example = (await rpc.call('orderbook-path-sets', {})).find((x) => x.label.startsWith('Example: 30 x 10 s'))!;
    expect(example).toBeTruthy();

    // The user's GBM set-up.
    await page.fill('[data-testid="field-sigma"]', '0.25');
    await page.fill('[data-testid="field-days"]', '60');
    await page.fill('[data-testid="field-steps"]', '60');
    await page.fill('[data-testid="field-paths"]', '20000');
    await page.fill('[data-testid="field-testSigma"]', '0.3');

    await page.selectOption('[data-testid="field-data"]', example.id);
    expect(await value('steps')).toBe(String(example.steps));
    expect(Number(await value('sigma'))).toBeCloseTo(example.sigmaTrain, 5);
    expect(await value('paths')).toBe(String(example.test));
    expect(await value('testSigma')).toBe('');
    await page.fill('[data-testid="field-paths"]', '20'); // an edit made while on the path set
    await screenshot(page, 'hedge-form-source-path-set');

    await page.selectOption('[data-testid="field-data"]', '');
    expect(await value('sigma')).toBe('0.25');
    expect(await value('days')).toBe('60');
    expect(await value('steps')).toBe('60');
    expect(await value('paths')).toBe('20000');
    expect(await value('testSigma')).toBe('0.3');
    await screenshot(page, 'hedge-form-source-back-to-gbm');

    // Back on the path set: its values, with the user's edit.
    await page.selectOption('[data-testid="field-data"]', example.id);
    expect(await value('paths')).toBe('20');
    expect(await value('steps')).toBe(String(example.steps));
    expect(app.errors).toEqual([]);
  });
});
