import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HedgeMetrics, type HedgeRunConfig } from '../../src-shared/hedging/config';
import { type E2E, openApp, paintedPixels, screenshot, waitForRunEnd } from './support';

/** Sizes small enough for a test: 1,500 paths per epoch, 4,000 test paths, 1,000 of them live. */
async function fillSmall(page: E2E['page'], model: string, epochs: number): Promise<void> {
  await page.selectOption('[data-testid="field-model"]', model);
  await page.locator('[data-testid="training-fields"]').waitFor();
  await page.fill('[data-testid="field-paths"]', '4000');
  await page.fill('[data-testid="field-epochs"]', String(epochs));
  await page.fill('[data-testid="field-trainPaths"]', '1500');
  await page.fill('[data-testid="field-monitorPaths"]', '1000');
  await page.fill('[data-testid="field-seed"]', '5');
}

describe('deep hedging lab: training live', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp({ width: 1500, height: 1000 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('trains a DHLNN run with a live histogram per epoch, cancels it, resumes it from the saved epoch and evaluates it at another sigma', async () => {
    const { page, rpc } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await fillSmall(page, 'dhlnn', 10);
    await page.fill('[data-testid="field-innerSteps"]', '3');
    await page.fill('[data-testid="field-label"]', 'e2e DHLNN live');
    expect(await page.locator('[data-testid="start-button"]').textContent()).toBe('Start training');
    await screenshot(page, 'hedging-01-form-dhlnn');
    await page.click('[data-testid="start-button"]');

    const panel = page.locator('[data-testid="active-run"][data-model="dhlnn"]');
    await panel.waitFor({ timeout: 30_000 });
    const runId = (await panel.getAttribute('data-run-id'))!;
    // the live histogram appears after the first epoch and is redrawn as epochs arrive
    await page.locator('[data-testid="training-histogram"] canvas').waitFor({ timeout: 120_000 });
    await expect.poll(() => paintedPixels(page, 'training-histogram'), { timeout: 20_000 }).toBeGreaterThan(1500);
    const epochText = () => page.locator('[data-testid="progress-count"]').textContent();
    await expect.poll(epochText, { timeout: 60_000 }).toMatch(/^epoch [2-9] \/ 10$/);
    const legend1 = await page.locator('[data-testid="training-histogram"]').getAttribute('data-series-count');
    expect(legend1).toBe('2'); // the model and the BSDH reference
    await page.locator('[data-testid="training-entropic"] canvas').waitFor();
    await screenshot(page, 'hedging-02-training-live');

    await page.click('[data-testid="cancel-button"]');
    await expect.poll(() => panel.getAttribute('data-status'), { timeout: 60_000 }).toBe('cancelled');
    const saved = page.locator('[data-testid="saved-epoch"]');
    await saved.waitFor({ timeout: 10_000 });
    const savedEpoch = Number(/after epoch (\d+)/.exec((await saved.textContent()) ?? '')![1]);
    expect(savedEpoch).toBeGreaterThanOrEqual(2);
    expect(savedEpoch).toBeLessThan(10);
    await screenshot(page, 'hedging-03-cancelled');

    await page.click('[data-testid="resume-button"]');
    const resumed = page.locator(`[data-testid="active-run"][data-model="dhlnn"]:not([data-run-id="${runId}"])`);
    await resumed.waitFor({ timeout: 30_000 });
    const resumedId = (await resumed.getAttribute('data-run-id'))!;
    const cfg = (await rpc.call('runs-get', { runId: resumedId })).config as HedgeRunConfig;
    expect(cfg.resume).toEqual({ runId, epoch: savedEpoch });
    // the resumed run's curves start with the saved epochs
    const end = await waitForRunEnd(rpc, resumedId, 240_000);
    expect(end.status).toBe('done');
    const m = end.metrics as HedgeMetrics;
    expect(m.training!.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await expect.poll(() => resumed.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    await page.locator('[data-testid="histogram-chart"] canvas').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="metrics-table"]').waitFor();
    await screenshot(page, 'hedging-04-resumed-done');

    // evaluate at sigma 0.3
    await page.fill('[data-testid="evaluate-sigma"]', '0.3');
    await page.click('[data-testid="evaluate-button"]');
    const evalPanel = page.locator(`[data-testid="active-run"][data-model="dhlnn"]:not([data-run-id="${resumedId}"]):not([data-run-id="${runId}"])`);
    await evalPanel.waitFor({ timeout: 30_000 });
    const evalId = (await evalPanel.getAttribute('data-run-id'))!;
    const ev = await waitForRunEnd(rpc, evalId, 120_000);
    expect(ev.status).toBe('done');
    expect((ev.config as HedgeRunConfig).testSigma).toBe(0.3);
    await page.locator('[data-testid="histogram-chart"] canvas').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="run-config"]').textContent()).toContain('test σ 30%/yr');
    await screenshot(page, 'hedging-05-evaluated');
    expect(app.errors).toEqual([]);
  }, 400_000);

  it('runs all four hedgers as a comparison and shows them on one live chart', async () => {
    const { page, rpc } = app;
    await page.click('[data-testid="nav-hedging"]').catch(() => {});
    await fillSmall(page, 'ntb', 3);
    await page.fill('[data-testid="field-label"]', 'e2e comparison');
    await page.click('[data-testid="compare-models-button"]');
    const panel = page.locator('[data-testid="comparison-panel"]');
    await panel.waitFor({ timeout: 30_000 });
    for (const m of ['bsdh', 'mlp', 'ntb', 'dhlnn']) await page.locator(`[data-testid="chip-${m}"]`).waitFor();
    const groupId = (await panel.getAttribute('data-group-id'))!;
    const runs = (await rpc.call('runs-list', { kind: 'hedge' })).filter((r) => r.groupId === groupId);
    expect(runs.map((r) => r.model).sort()).toEqual(['bsdh', 'dhlnn', 'mlp', 'ntb']);
    for (const r of runs) await waitForRunEnd(rpc, r.id, 240_000);
    // one live chart: the three trained models and the BSDH reference
    await expect.poll(() => page.locator('[data-testid="comparison-histogram"]').getAttribute('data-series-count'), { timeout: 30_000 }).toBe('4');
    await page.locator('[data-testid="compare-chart"] canvas').waitFor({ timeout: 30_000 });
    await screenshot(page, 'hedging-06-comparison');
    expect(app.errors).toEqual([]);
  }, 400_000);

  it('trains a DHNTB lookback run on the example order-book path set chosen as the data source', async () => {
    const { page, rpc } = app;
    await page.click('[data-testid="nav-hedging"]').catch(() => {});
    const example = (await rpc.call('orderbook-path-sets', {})).find((x) => x.label.startsWith('Example: 30 x 10 s'))!;
    expect(example).toBeTruthy();
    await page.selectOption('[data-testid="field-model"]', 'ntb');
    await page.selectOption('[data-testid="field-option"]', 'lookback');
    await page.locator('[data-testid="training-fields"]').waitFor();
    await page.fill('[data-testid="field-epochs"]', '2');
    await page.fill('[data-testid="field-trainPaths"]', '200');
    await page.fill('[data-testid="field-monitorPaths"]', '100');
    await page.fill('[data-testid="field-label"]', 'e2e on path set');
    await page.selectOption('[data-testid="field-data"]', example.id);
    // the set's steps, training sigma and test window count are put in the form, and said in the hint
    expect(await page.locator('[data-testid="field-steps"]').inputValue()).toBe(String(example.steps));
    expect(Number(await page.locator('[data-testid="field-sigma"]').inputValue())).toBeCloseTo(example.sigmaTrain, 5);
    expect(await page.locator('[data-testid="field-paths"]').inputValue()).toBe(String(example.test));
    expect(await page.locator('[data-testid="field-data-info"]').textContent()).toContain(`${example.steps} steps`);
    await screenshot(page, 'hedging-07-path-set-source');
    await page.click('[data-testid="start-button"]');
    await expect.poll(async () => (await rpc.call('runs-list', { kind: 'hedge' })).some((r) => r.label === 'e2e on path set'), { timeout: 30_000 }).toBe(true);
    const run = (await rpc.call('runs-list', { kind: 'hedge' })).find((r) => r.label === 'e2e on path set')!;
    const done = await waitForRunEnd(rpc, run.id, 120_000);
    expect(done.status).toBe('done');
    expect(done.config).toMatchObject({ option: 'lookback', steps: example.steps, paths: example.test, data: { kind: 'paths', datasetId: example.id } });
    expect((done.config as HedgeRunConfig).sigma).toBeCloseTo(example.sigmaTrain, 5);
    expect((done.metrics as HedgeMetrics).training?.history).toHaveLength(2);
    expect(app.errors).toEqual([]);
  }, 200_000);
});
