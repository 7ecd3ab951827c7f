import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BsdeMetrics } from '../../src-shared/bsde/result';
import { type Locator, type Page } from 'playwright-core';
import { type E2E, displayedNumber, openApp, paintedPixels, screenshot } from './support';

/** Coloured pixels over every canvas of a chart (ECharts draws a heat map on a layer above the axes). */
const paintedAll = (page: Page, testId: string): Promise<number> =>
  page.locator(`[data-testid="${testId}"] canvas`).evaluateAll((cs) =>
    cs.reduce((n, c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')?.getImageData(0, 0, cv.width, cv.height).data;
      if (!d) return n;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 40 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 40) n++;
      return n;
    }, 0),
  );

/**
 * The Portfolio view: edit the preset B1 book so its correlation is not positive definite and see the
 * entries named (nothing saved); then solve a tiny B1 and see price, Delta and Gamma with the closed-form
 * errors.
 */
describe('portfolio editor and solve', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const cell = (grid: string, row: number, col: string) => app.page.locator(`[data-testid="${grid}"] .ag-row[row-id="${row}"] [col-id="${col}"]`).first();
  const ERROR_TINT = 'rgb(251, 213, 209)';
  const background = (l: Locator): Promise<string> => l.evaluate((el) => getComputedStyle(el).backgroundColor);

  it('names the correlation entries that break positive definiteness and saves nothing', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="nav-portfolio"]').click();
    await page.locator('[data-testid="book-item"]').first().waitFor();
    await expect.poll(() => page.locator('[data-testid="book-name"]').inputValue()).toMatch(/^B1 · geometric call · d=5 · European$/);
    const bookId = (await page.locator('[data-testid="book-item"]').first().getAttribute('data-book-id'))!;

    const target = cell('correlation-grid', 0, 'c1');
    await target.click();
    const editor = page.locator('[data-testid="correlation-grid"] .ag-cell-inline-editing input').first();
    await editor.waitFor();
    await editor.fill('-0.9');
    await editor.press('Enter');

    const issues = page.locator('[data-testid="book-issues"]');
    await issues.waitFor();
    const text = (await issues.textContent()) ?? '';
    expect(text).toMatch(/not positive definite/);
    expect(text).toMatch(/correlation\(S1, S2\) = -0\.9/);
    expect(await page.locator('[data-testid="book-issue"][data-path="correlation.0.1"]').count()).toBe(1);
    // Both mirrored entries are painted with the error tint (portfolio.module.css `.grid .cell-error`, #fbd5d1);
    // an untouched entry is not. Checked on the computed style, what a person sees, not on a class name.
    await expect.poll(() => background(cell('correlation-grid', 0, 'c1'))).toBe(ERROR_TINT);
    expect(await background(cell('correlation-grid', 1, 'c0'))).toBe(ERROR_TINT);
    expect(await background(cell('correlation-grid', 0, 'c2'))).not.toBe(ERROR_TINT);
    expect(await cell('correlation-grid', 1, 'c0').textContent()).toBe('-0.90');
    expect(await page.locator('[data-testid="book-save"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="solve-start"]').isDisabled()).toBe(true);
    await screenshot(page, 'portfolio-01-not-positive-definite');

    // Nothing was saved: the stored book still has rho = 0.75.
    const stored = await rpc.call('portfolio-get', { bookId });
    expect(stored.book.correlation[0][1]).toBe(0.75);
    expect(stored.version).toBe(1);

    await page.locator('[data-testid="book-revert"]').click();
    await expect.poll(() => page.locator('[data-testid="book-issues"]').count()).toBe(0);
  });

  it('solves a tiny B1 and shows price, Delta and Gamma beside the closed form with their errors', async () => {
    const { page, rpc } = app;
    await page.selectOption('[data-testid="solve-field-preset"]', 'tiny');
    await expect.poll(() => page.locator('[data-testid="solve-field-steps"]').inputValue()).toBe('6');
    await page.locator('[data-testid="solve-start"]').click();
    const panel = page.locator('[data-testid="solve-panel"]');
    // Live progress per time step (the run may finish before we look on a fast machine).
    const phase = () =>
      page.evaluate(() => {
        if (document.querySelector('[data-testid="solve-results"]')) return 'done';
        const t = document.querySelector('[data-testid="solve-progress-step"]')?.textContent ?? '';
        return /^step \d+ of 6/.test(t) ? 'progress' : 'waiting';
      });
    await expect.poll(phase, { timeout: 60_000 }).not.toBe('waiting');
    if ((await phase()) === 'progress') {
      expect(await page.locator('[data-testid="solve-progress-losses"]').textContent()).toMatch(/loss Z\/Γ .* loss Y/);
      await screenshot(page, 'portfolio-02-solving');
    }
    await page.locator('[data-testid="solve-results"]').waitFor({ timeout: 150_000 });
    const runId = (await panel.getAttribute('data-run-id'))!;
    const run = await rpc.call('runs-get', { runId });
    expect(run.status).toBe('done');
    const m = run.metrics as BsdeMetrics;
    const o = m.options[0];

    const shown = async (id: string) => displayedNumber((await page.locator(`[data-testid="${id}"]`).textContent()) ?? '');
    expect(Math.abs((await shown('result-price-o0')) - o.price)).toBeLessThan(1e-3 * o.price);
    expect(Math.abs((await shown('result-ref-o0')) - o.reference!.price)).toBeLessThan(1e-3 * o.reference!.price);
    const errText = async (k: string) => Number(((await page.locator(`[data-testid="result-err-${k}-o0"]`).textContent()) ?? '').replace('%', '')) / 100;
    expect(Math.abs((await errText('price')) - o.errors!.price)).toBeLessThan(5e-5);
    expect(Math.abs((await errText('delta')) - o.errors!.delta)).toBeLessThan(5e-4);
    expect(Math.abs((await errText('gamma')) - o.errors!.gamma!)).toBeLessThan(5e-3);
    expect(o.errors!.price).toBeLessThan(0.01);
    // the t = 0 s.e. is labelled as the regression's, and the price error beside it is the measured gap
    expect(await page.locator('[data-testid="result-se-o0"]').textContent()).toMatch(/regr\. s\.e\./);
    expect(await page.locator('[data-testid="result-se-o0"]').getAttribute('title')).toMatch(/standard error of the t = 0 regression/);
    expect(Math.abs((await shown('result-price-error-o0')) - Math.abs(o.price - o.reference!.price))).toBeLessThan(0.03 * Math.abs(o.price - o.reference!.price) + 1e-12); // shown to 2 significant digits
    expect(await page.locator('[data-testid="result-price-error-kind-o0"]').textContent()).toBe('measured');
    expect(o.errors!.delta).toBeLessThan(0.05);
    expect(o.errors!.gamma!).toBeLessThan(0.2);

    await expect.poll(() => paintedPixels(page, 'delta-chart'), { timeout: 10_000 }).toBeGreaterThan(1500);
    await expect.poll(() => paintedAll(page, 'gamma-heatmap'), { timeout: 10_000 }).toBeGreaterThan(3000);
    await expect.poll(() => paintedAll(page, 'gamma-heatmap-ref'), { timeout: 10_000 }).toBeGreaterThan(3000);
    expect(await page.locator('[data-testid="delta-chart"]').getAttribute('data-series-count')).toBe('2');
    await screenshot(page, 'portfolio-03-results');

    // The book now has a run: the editor says a save will create a new version.
    await expect.poll(() => page.locator('[data-testid="book-save-note"]').textContent(), { timeout: 10_000 }).toMatch(/used by 1 run: saving creates v2/);
    expect(app.errors).toEqual([]);
  });
});
