import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkstation } from '../helpers/host';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('CLI', () => {
  it('hedge --json prints one JSON object with every metric and stores the run', async () => {
    const dataDir = tempDir();
    const r = cli(['hedge', '--model', 'bsdh', '--option', 'european', '--strike', '1', '--sigma', '0.1', '--cost', '0.002', '--days', '30', '--paths', '20000', '--seed', '1', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    for (const k of ['runId', 'mean', 'std', 'entropic', 'var90', 'var95', 'var99', 'es90', 'es95', 'es99', 'indifferencePrice', 'wallSeconds']) {
      expect(out).toHaveProperty(k);
    }
    expect(out.config).toMatchObject({ steps: 30, paths: 20000 });
    const ws = await openWorkstation({ dataDir });
    try {
      const run = ws.runs.get(out.runId)!;
      expect(run.status).toBe('done');
      expect(run.metrics).toEqual(expect.objectContaining({ entropic: out.entropic, es90: out.es90 }));
    } finally {
      await ws.close();
    }
  }, 90_000);

  it('rejects bad flags naming the field and the value, exits 2, and stores nothing', async () => {
    const dataDir = tempDir();
    const r = cli(['hedge', '--sigma=-1', '--strike', 'abc', '--data-dir', dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--sigma: volatility σ must be > 0 (got -1)');
    expect(r.stderr).toContain('--strike: strike K must be a number (got "abc")');
    const ws = await openWorkstation({ dataDir });
    expect(ws.runs.list()).toHaveLength(0);
    await ws.close();
  }, 90_000);
});
