import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterWorker } from '../../src-main/cluster/worker';
import { freePort } from '../helpers/redis';
import { startAclRedis, type AclRedis } from '../helpers/redisAcl';
import { type E2E, gridRow, openApp, screenshot, waitForRunEnd } from './support';

/**
 * The Compute control in the header: a bad URL is named at the URL field before anything is sent; a refused
 * connection (nothing listening, wrong password) shows the backend's reason under the URL; the right password
 * connects and the control counts the worker; a run then computes there and carries the "cluster" badge; "This
 * machine" switches back.
 */
describe('Compute control', () => {
  let app: E2E;
  let redis: AclRedis;
  let worker: { close(): Promise<void> } | null = null;
  beforeAll(async () => {
    redis = await startAclRedis();
    app = await openApp();
  });
  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await redis?.stop();
  });

  it('names a bad URL, shows a refused connection at the URL, connects with the right password and counts workers', async () => {
    const { page } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    const control = page.locator('[data-testid="compute-control"]');
    await control.waitFor();
    expect(await page.locator('[data-testid="compute-local"]').getAttribute('aria-pressed')).toBe('true');

    // Cluster with no URL saved opens the dialog.
    await page.click('[data-testid="compute-cluster"]');
    const dialog = page.locator('[data-testid="cluster-dialog"]');
    await dialog.waitFor();
    const urlError = page.locator('[data-testid="cluster-error-redisUrl"]');
    const connect = page.locator('[data-testid="cluster-connect"]');

    await page.fill('[data-testid="cluster-field-redisUrl"]', 'localhost:6379');
    await urlError.waitFor();
    expect(await urlError.textContent()).toBe('Redis URL must start with redis:// or rediss:// (TLS), e.g. redis://localhost:6379');
    expect(await connect.isDisabled()).toBe(true);
    await page.click('[data-testid="cluster-field-insecure"]');
    await page.locator('[data-testid="cluster-insecure-warning"]').waitFor();
    await screenshot(page, 'cluster-01-bad-url');
    await page.click('[data-testid="cluster-field-insecure"]');

    // Well-formed, but nothing listens there: the backend's reason, under the URL.
    const closed = await freePort();
    await page.fill('[data-testid="cluster-field-redisUrl"]', `redis://hedge@127.0.0.1:${closed}`);
    await page.fill('[data-testid="cluster-field-password"]', 'whatever');
    await expect.poll(() => connect.isEnabled()).toBe(true);
    await connect.click();
    await urlError.waitFor({ timeout: 30_000 });
    expect(await urlError.textContent()).toContain(`127.0.0.1:${closed}`);

    // The real Redis with a wrong password.
    await page.fill('[data-testid="cluster-field-redisUrl"]', `redis://hedge@127.0.0.1:${redis.port}`);
    await page.fill('[data-testid="cluster-field-password"]', 'not-the-password');
    await connect.click();
    await urlError.waitFor({ timeout: 30_000 });
    const refused = (await urlError.textContent()) ?? '';
    expect(refused.length).toBeGreaterThan(10);
    expect(refused).not.toContain('not-the-password');
    await screenshot(page, 'cluster-02-wrong-password');

    // The right password: the dialog closes and the control says connected.
    await page.fill('[data-testid="cluster-field-password"]', redis.password);
    await connect.click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    const state = page.locator('[data-testid="compute-state"]');
    await expect.poll(() => state.getAttribute('data-connected'), { timeout: 15_000 }).toBe('true');
    expect(await state.textContent()).toContain('0 workers · 0 waiting · 0 active');
    expect(await state.getAttribute('title')).toBe(`connected to Redis redis://hedge@127.0.0.1:${redis.port}`);
    expect(await page.locator('[data-testid="compute-cluster"]').getAttribute('aria-pressed')).toBe('true');

    // A worker joins; the control polls the cluster while it is chosen.
    worker = await startClusterWorker({ redisUrl: redis.url, concurrency: 1, name: 'e2e-w1', log: () => {} });
    await expect.poll(() => state.textContent(), { timeout: 20_000 }).toContain('1 worker ·');

    // A run started now computes on the worker; the runs list marks it "cluster", the example run (local) is not.
    const { runId } = await app.rpc.call('hedging-start', { model: 'bsdh', option: 'european', strike: 1, sigma: 0.1, drift: 0, cost: 0.002, days: 30, steps: 30, paths: 2000, seed: 5, label: 'e2e on the cluster' });
    const run = await waitForRunEnd(app.rpc, runId, 60_000);
    expect(run.status).toBe('done');
    expect(run.compute).toBe('cluster');
    await gridRow(page, runId).locator('[data-testid="cluster-badge"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="runs-grid"] [data-testid="cluster-badge"]').count()).toBe(1);
    await gridRow(page, runId).locator('[col-id="label"]').click();
    await page.locator(`[data-testid="active-run"][data-run-id="${runId}"] [data-testid="cluster-badge"]`).waitFor({ timeout: 15_000 });
    await screenshot(page, 'cluster-03-connected');

    // Back to this machine.
    await page.click('[data-testid="compute-local"]');
    await expect.poll(() => page.locator('[data-testid="compute-local"]').getAttribute('aria-pressed')).toBe('true');
    expect(await state.count()).toBe(0);
    expect(app.errors).toEqual([]);
  });
});
