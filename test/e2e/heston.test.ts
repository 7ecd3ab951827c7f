import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Page } from 'playwright-core';
import { type HestonSolveMetrics } from '../../src-shared/heston/contract';
import { GREEK_NAMES } from '../../src-shared/heston/types';
import { type E2E, displayedNumber, openApp, screenshot } from './support';

/** Coloured pixels over every canvas of a chart (ECharts draws a heat map on a layer above the axes). */
const paintedAll = (page: Page, testId: string): Promise<number> =>
  page.locator(`[data-testid="${testId}"] canvas`).evaluateAll((cs) =>
    cs.reduce((n, c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')?.getImageData(0, 0, cv.width, cv.height).data;
      if (!d) return n;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 40 && Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 40) n++;
      return n;
    }, 0),
  );

/**
 * The Portfolio tab's Heston market: choose it, see preset H1 and the Feller line, see a bad input named at its
 * field, solve H1 with the quick preset, and read price and the five Greeks beside the PDE reference with errors.
 */
describe('Heston market in the Portfolio tab', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('asks before leaving a book with unsaved edits for the Heston market; Heston inputs survive a reload', async () => {
    const { page } = app;
    await page.locator('[data-testid="nav-portfolio"]').click();
    await page.locator('[data-testid="book-item"]').first().waitFor();
    await page.fill('[data-testid="book-name"]', 'B1 edited, not saved');
    await page.locator('[data-testid="market-heston"]').click();
    const dialog = page.locator('[data-testid="confirm-dialog"]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('"B1 edited, not saved" has unsaved edits');
    await page.click('[data-testid="confirm-cancel"]');
    expect(await page.locator('[data-testid="book-name"]').inputValue()).toBe('B1 edited, not saved');
    expect(await page.locator('[data-testid="heston-form"]').count()).toBe(0);
    await page.locator('[data-testid="market-heston"]').click();
    await page.click('[data-testid="confirm-ok"]');
    await page.locator('[data-testid="heston-form"]').waitFor();
    // the Heston inputs are kept in the browser's storage: a reload brings them back, and the market choice too
    await page.locator('[data-testid="heston-field-s0"]').fill('11.5');
    await page.reload();
    await page.locator('[data-testid="nav-portfolio"]').click();
    await page.locator('[data-testid="heston-form"]').waitFor();
    expect(await page.locator('[data-testid="heston-field-s0"]').inputValue()).toBe('11.5');
    await page.locator('[data-testid="heston-preset-h1"]').click();
    expect(await page.locator('[data-testid="heston-field-s0"]').inputValue()).toBe('10');
    await page.locator('[data-testid="market-bs"]').click();
    await page.locator('[data-testid="book-item"]').first().waitFor();
    expect(app.errors).toEqual([]);
  });

  it('chooses Heston, checks the inputs, solves H1 quick and shows the Greeks beside the PDE reference with errors', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="nav-portfolio"]').click();
    await page.locator('[data-testid="market-heston"]').click();
    await page.locator('[data-testid="heston-form"]').waitFor();
    // preset H1 is the default
    expect(await page.locator('[data-testid="heston-field-s0"]').inputValue()).toBe('10');
    expect(await page.locator('[data-testid="heston-field-nu0"]').inputValue()).toBe('0.0625');
    expect(await page.locator('[data-testid="heston-field-exercise"]').inputValue()).toBe('bermudan');
    expect(await page.locator('[data-testid="heston-field-exerciseDates"]').inputValue()).toBe('12');
    const feller = page.locator('[data-testid="heston-feller"]');
    expect(await feller.getAttribute('data-holds')).toBe('true');
    expect(await feller.textContent()).toMatch(/2κν̄ = 1\.6 ≥ ξ² = 0\.81/);

    // a bad variance is named at its field and blocks the solve; xi large enough breaks Feller
    await page.locator('[data-testid="heston-field-nu0"]').fill('-0.1');
    expect(await page.locator('[data-testid="heston-error-nu0"]').textContent()).toMatch(/nu0 \(initial variance, 1\/year\) must be > 0/);
    expect(await page.locator('[data-testid="heston-solve"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="heston-field-xi"]').fill('1.5');
    await expect.poll(() => feller.getAttribute('data-holds')).toBe('false');
    await screenshot(page, 'heston-01-invalid');
    await page.locator('[data-testid="heston-preset-h1"]').click();
    expect(await page.locator('[data-testid="heston-field-nu0"]').inputValue()).toBe('0.0625');
    expect(await feller.getAttribute('data-holds')).toBe('true');

    await page.selectOption('[data-testid="heston-field-solver"]', 'quick');
    await page.locator('[data-testid="heston-solve"]').click();
    const panel = page.locator('[data-testid="heston-panel"]');
    await page.locator('[data-testid="heston-results"]').waitFor({ timeout: 170_000 });
    await screenshot(page, 'heston-02-results');
    const runId = (await panel.getAttribute('data-run-id'))!;
    const run = await rpc.call('runs-get', { runId });
    expect(run.status).toBe('done');
    expect(run.kind).toBe('heston-solve');
    const m = run.metrics as HestonSolveMetrics;
    expect(m.steps).toBe(12);
    expect(m.reference?.method).toBe('ADI PDE');

    const shown = async (id: string) => displayedNumber((await page.locator(`[data-testid="${id}"]`).textContent()) ?? '');
    for (const g of GREEK_NAMES) {
      const v = m.t0[g];
      const ref = m.reference!.t0[g];
      expect(Math.abs((await shown(`heston-value-${g}`)) - v)).toBeLessThanOrEqual(1e-4 * Math.abs(v) + 1e-12);
      expect(Math.abs((await shown(`heston-ref-${g}`)) - ref)).toBeLessThanOrEqual(1e-4 * Math.abs(ref) + 1e-12);
      const pct = Number(((await page.locator(`[data-testid="heston-pct-${g}"]`).textContent()) ?? '').replace('%', '')) / 100;
      expect(Math.abs(pct - m.errors![g].rel!)).toBeLessThan(5e-5);
      expect(Math.abs((await shown(`heston-abs-${g}`)) - m.errors![g].abs)).toBeLessThanOrEqual(0.03 * m.errors![g].abs + 1e-12);
    }
    // the quick preset is coarse, but its price is this put's: within 5% of the PDE
    expect(m.errors!.price.rel!).toBeLessThan(0.05);

    // surfaces: Gamma at the second stored date, network and PDE painted
    await page.selectOption('[data-testid="heston-surface-greek"]', 'gamma');
    await page.selectOption('[data-testid="heston-surface-date"]', '1');
    await expect.poll(() => paintedAll(page, 'heston-surface-network'), { timeout: 15_000 }).toBeGreaterThan(3000);
    await expect.poll(() => paintedAll(page, 'heston-surface-pde'), { timeout: 15_000 }).toBeGreaterThan(3000);
    expect(await page.locator('[data-testid="heston-surface-maxdiff"]').textContent()).toMatch(/max \|network − PDE\| = .* 1\/currency/);
    await screenshot(page, 'heston-03-surfaces');
    expect(app.errors).toEqual([]);
  });

  it('solves the same market and claim with RDBDP and shows OSM beside it', async () => {
    const { page, rpc } = app;
    const osmRunId = (await page.locator('[data-testid="heston-panel"]').getAttribute('data-run-id'))!;
    await page.selectOption('[data-testid="heston-field-scheme"]', 'rdbdp');
    await page.locator('[data-testid="heston-solve"]').click();
    await expect.poll(() => page.locator('[data-testid="heston-panel"]').getAttribute('data-run-id')).not.toBe(osmRunId);
    await page.locator('[data-testid="heston-results"]').waitFor({ timeout: 170_000 });
    expect(await page.locator('[data-testid="heston-other-scheme"]').textContent()).toBe('OSM');
    const osm = (await rpc.call('runs-get', { runId: osmRunId })).metrics as HestonSolveMetrics;
    const other = displayedNumber((await page.locator('[data-testid="heston-other-delta"]').textContent()) ?? '');
    expect(Math.abs(other - osm.t0.delta)).toBeLessThanOrEqual(1e-4 * Math.abs(osm.t0.delta));
    await screenshot(page, 'heston-04-rdbdp-vs-osm');
    expect(app.errors).toEqual([]);
  });
});
