import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERBOOK_EXAMPLE_LABEL } from '../../src-main/domains/orderbook/seed';
import { type E2E, openApp, paintedPixels, screenshot } from './support';

/**
 * The order-book analyses on the seeded example (competition layout): the WAP chart's Export menu downloads the
 * previous-tick WAP as CSV + `.csv.json` sidecar, the signature plot and intraday profiles draw with their
 * trading-time labels, and editing the data set's trading time re-reads them.
 */
describe('order-book analyses', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp({ width: 1500, height: 940 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('downloads the WAP series from the chart menu, and shows the signature plot and the intraday profiles', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.click('[data-testid="nav-orderbook"]');
    const example = (await rpc.call('orderbook-datasets', {})).find((d) => d.label === ORDERBOOK_EXAMPLE_LABEL)!;
    expect(example).toBeDefined();
    await page.locator('[data-testid="ob-wap-chart"] canvas').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-testid="ob-time-units-text"]').textContent()).toContain('252 sessions × 6.5 h a year (spec default)');
    expect(await page.locator('[data-testid="ob-time-units-text"]').textContent()).toContain('clock: seconds in bucket');

    // Export ▾ -> level 1, every 30 s -> Download CSV: the CSV and its sidecar
    await page.click('[data-testid="ob-wap-menu"]');
    await page.selectOption('[data-testid="ob-wap-export-kind"]', 'level1');
    await page.fill('[data-testid="ob-wap-export-interval"]', '30');
    const downloads: Array<{ suggestedFilename(): string; path(): Promise<string | null> }> = [];
    page.on('download', (d) => downloads.push(d));
    await page.click('[data-testid="ob-wap-export-download"]');
    await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
    const csv = downloads.find((d) => d.suggestedFilename().endsWith('.csv'))!;
    expect(csv.suggestedFilename()).toMatch(/^wap-.*-stock0-level1-30s\.csv$/);
    const lines = readFileSync((await csv.path())!, 'utf8').split('\r\n').filter((l) => l);
    expect(lines[0]).toBe('session,seconds,wap');
    // the same rows the export read gives: per bucket (time_id), seconds on the 30 s grid, level-1 WAP
    const x = await rpc.call('orderbook-wap-export', { datasetId: example.id, stockId: 0, intervalSeconds: 30, wap: 'level1' });
    expect(lines.length - 1).toBe(x.seconds.length);
    expect(x.seconds.length).toBeGreaterThan(24 * 15); // 24 buckets of 600 s, about 20 grid times each
    const [k, t, v] = lines[1].split(',');
    expect([Number(k), Number(t), Number(v)]).toEqual([x.session[0], x.seconds[0], x.value[0]]);
    for (const l of lines.slice(1)) expect(Number(l.split(',')[1]) % 30).toBe(0);
    const side = downloads.find((d) => d.suggestedFilename().endsWith('.csv.json'))!;
    expect(side.suggestedFilename()).toBe(`${csv.suggestedFilename()}.json`);
    const meta = JSON.parse(readFileSync((await side.path())!, 'utf8')) as { file: string; title: string; columns: Record<string, string> };
    expect(meta.file).toBe(csv.suggestedFilename());
    expect(meta.title).toContain('Previous-tick level-1 WAP (competition definition) of stock 0');
    expect(meta.columns.seconds).toBe('seconds in the bucket (s)');
    await expect.poll(() => page.locator('[data-testid="ob-wap-export-status"]').textContent()).toContain(`${x.seconds.length.toLocaleString('en-US')} rows saved`);
    await screenshot(page, 'orderbook-analysis-01-export-menu');

    // the signature plot: drawn, labelled in trading time, with the noise estimate
    await page.click('[data-testid="ob-tab-signature"]');
    await page.locator('[data-testid="ob-signature-chart"] canvas').waitFor({ timeout: 30_000 });
    await expect.poll(() => paintedPixels(page, 'ob-signature-chart'), { timeout: 15_000 }).toBeGreaterThan(2000);
    const note = (await page.locator('[data-testid="ob-signature-note"]').textContent())!;
    expect(note).toContain('annualised in trading time: 252 sessions × 6.5 h a year (spec default)');
    expect(note).toMatch(/Noise variance per observation \(log WAP, from intervals 1, 2, 5, 10 s\): \d\.\d\de-\d+ ± \d\.\d\de-\d+ \(24 sessions\)/);
    await screenshot(page, 'orderbook-analysis-02-signature');

    // the intraday profiles: three panels on the bucket clock
    await page.click('[data-testid="ob-tab-profile"]');
    await page.locator('[data-testid="ob-profile-chart"] canvas').waitFor({ timeout: 30_000 });
    await expect.poll(() => paintedPixels(page, 'ob-profile-chart'), { timeout: 15_000 }).toBeGreaterThan(2000);
    expect(await page.locator('[data-testid="ob-profile-note"]').textContent()).toContain('annualised in trading time (252 sessions × 6.5 h a year (spec default))');
    await screenshot(page, 'orderbook-analysis-03-profile');

    // trading time edited for this data set: 250 sessions of 8 h; the profile is read again with it
    await page.click('[data-testid="ob-time-units-edit"]');
    await page.fill('[data-testid="ob-time-units-hours"]', '8');
    await page.fill('[data-testid="ob-time-units-sessions"]', '250');
    await page.click('[data-testid="ob-time-units-save"]');
    await expect.poll(() => page.locator('[data-testid="ob-profile-note"]').textContent(), { timeout: 15_000 }).toContain('250 sessions × 8 h a year (set for this data set)');
    const units = (await rpc.call('orderbook-dataset-get', { datasetId: example.id })).timeUnits;
    expect(units).toMatchObject({ sessionHours: 8, sessionsPerYear: 250, source: 'dataset', secondsPerYear: 250 * 8 * 3600 });
    await rpc.call('orderbook-time-units-set', { datasetId: example.id, sessionHours: 6.5, sessionsPerYear: 252 });
    expect(app.errors).toEqual([]);
  });
});
