import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, openApp, screenshot } from './support';

/**
 * Issue 12 §3: unsaved edits to a portfolio book were discarded silently when the user selected another book
 * or reloaded. Selecting another book now asks first; a reload offers the edits back (restore / discard).
 */
describe('portfolio book editor: unsaved edits', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const bookName = () => app.page.locator('[data-testid="book-name"]').inputValue();
  /** The stored names of the first two books in the list (the presets). */
  const names = async (): Promise<[string, string]> => {
    const list = await app.rpc.call('portfolio-list', {});
    return [list[0].name, list[1].name];
  };
  /** Opens the Portfolio view; it shows the first book. */
  const openPortfolio = async (): Promise<void> => {
    await app.page.locator('[data-testid="nav-portfolio"]').click();
    await app.page.locator('[data-testid="book-item"]').nth(1).waitFor();
    await expect.poll(bookName).toBe((await names())[0]);
  };

  it('asks before another book replaces the edits; Cancel keeps them, Discard drops them', async () => {
    const { page } = app;
    await openPortfolio();
    await page.fill('[data-testid="book-name"]', 'B1 edited, not saved');
    await page.locator('[data-testid="book-item"]').nth(1).click();
    const dialog = page.locator('[data-testid="confirm-dialog"]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('"B1 edited, not saved" has unsaved edits');
    await screenshot(page, 'portfolio-unsaved-confirm');

    await page.click('[data-testid="confirm-cancel"]');
    expect(await dialog.count()).toBe(0);
    expect(await bookName()).toBe('B1 edited, not saved');

    const [first, second] = await names();
    await page.locator('[data-testid="book-item"]').nth(1).click();
    await page.click('[data-testid="confirm-ok"]');
    await expect.poll(bookName).toBe(second);
    // Back on the first book: its stored content, and no draft offered (the edits were discarded on purpose).
    await page.locator('[data-testid="book-item"]').first().click();
    await expect.poll(bookName).toBe(first);
    expect(await page.locator('[data-testid="book-draft-offer"]').count()).toBe(0);
    expect(app.errors).toEqual([]);
  });

  it('keeps the edits through a reload and offers them back', async () => {
    const { page, rpc } = app;
    await page.fill('[data-testid="book-name"]', 'B1 kept through a reload');
    await expect.poll(() => page.locator('[data-testid="book-save-note"]').textContent()).toMatch(/^Unsaved edits/);
    await page.reload();
    await openPortfolio();
    const offer = page.locator('[data-testid="book-draft-offer"]');
    await offer.waitFor();
    expect(await bookName()).toBe((await names())[0]); // the stored book is shown until the user restores
    await screenshot(page, 'portfolio-unsaved-draft-offered');
    await page.click('[data-testid="book-draft-restore"]');
    expect(await bookName()).toBe('B1 kept through a reload');
    expect(await page.locator('[data-testid="book-save-note"]').textContent()).toMatch(/^Unsaved edits/);
    expect(await offer.count()).toBe(0);

    // Discard on the next reload: the stored book stays, and nothing is offered after that.
    await page.reload();
    await openPortfolio();
    await offer.waitFor();
    await page.click('[data-testid="book-draft-discard"]');
    expect(await offer.count()).toBe(0);
    await page.reload();
    await openPortfolio();
    await page.waitForTimeout(500);
    expect(await offer.count()).toBe(0);
    const b1 = (await rpc.call('portfolio-list', {}))[0];
    expect((await rpc.call('portfolio-get', { bookId: b1.bookId, version: null })).book.name).toMatch(/^B1 · /);
    expect(await bookName()).toBe(b1.name);
    expect(app.errors).toEqual([]);
  });
});
