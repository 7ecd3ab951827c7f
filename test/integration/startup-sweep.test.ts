import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src-main/store/db';
import { openWorkstation } from '../helpers/host';
import { tempDir } from '../helpers/tmp';

/**
 * Issue 13 "Also": staging files of an import (or path build) that was interrupted (the app was killed
 * mid-run) are removed when the workstation starts, not only when the next import happens to run.
 */
describe('start-up', () => {
  it('removes the staging files of interrupted runs', async () => {
    const dataDir = tempDir('hw-sweep-');
    const db = openDb({ dataDir });
    db.prepare(`INSERT INTO runs (id, kind, model, label, status, config_json, seed, created_at) VALUES ('dead-run-1', 'orderbook-import', 'import', 'killed import', 'running', '{}', 0, 0)`).run();
    db.close();
    const stage = join(dataDir, 'orderbook-staging');
    mkdirSync(stage, { recursive: true });
    writeFileSync(join(stage, 'dead-run-1.sqlite'), 'x'.repeat(1000));
    writeFileSync(join(stage, 'dead-run-1.sqlite-journal'), 'x');
    const ws = await openWorkstation({ dataDir });
    try {
      expect(existsSync(join(stage, 'dead-run-1.sqlite'))).toBe(false);
      expect(existsSync(join(stage, 'dead-run-1.sqlite-journal'))).toBe(false);
      expect(ws.runs.get('dead-run-1')?.status).toBe('interrupted');
    } finally {
      await ws.close();
    }
  });
});
