import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths';
import { type E2E, gridRow, openApp, screenshot } from './support';

/** The CLI as a user runs it (`npm run cli -- hedge …`), another process writing to the app's store. */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += String(d)));
    p.stderr.on('data', (d) => (stderr += String(d)));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('a run started from the CLI', () => {
  let app: E2E;
  beforeAll(async () => {
    app = await openApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('appears in the open app’s runs grid without clicking Refresh', async () => {
    const { page } = app;
    await page.locator('[data-testid="status-connection"]', { hasText: 'connected' }).waitFor();
    await page.locator('[data-testid="runs-grid"] .ag-row').first().waitFor({ timeout: 60_000 }); // the example run

    const r = await runCli([
      'hedge', '--model', 'bsdh', '--option', 'european', '--strike', '1', '--sigma', '0.2', '--days', '30',
      '--paths', '2000', '--seed', '3', '--label', 'started from the CLI', '--json', '--data-dir', app.host.dataDir,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const runId = JSON.parse(r.stdout.trim().split('\n').pop()!).runId as string;

    // No click on Refresh: the host notices the other process's write and pushes runs-changed.
    const row = gridRow(page, runId);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('started from the CLI');
    // The CLI finished before we looked: its last write (status done) reaches the grid too.
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/^\s*done/);
    await screenshot(page, 'cli-run-appears');
  });
});
