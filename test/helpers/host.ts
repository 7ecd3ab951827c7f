import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { FilePolicy } from '../../src-main/files/policy';
import { join } from 'node:path';
import { startHost as startServer } from '../../src-main/host/server';
import { createWorkstation, type Workstation } from '../../src-main/workstation';

import { ROOT, SOURCE_WORKER } from './paths';

export { ROOT, SOURCE_WORKER };

import { tempDir } from './tmp';

export { tempDir };

/**
 * The tests' file policy: browser-mode roots plus the repository (committed samples) and the temp folder
 * (fixtures the tests write), as `--allow-dir` would add them.
 */
export const testFilePolicy = (dataDir: string): FilePolicy => new FilePolicy({ mode: 'roots', dataDir, allowDirs: [ROOT, tmpdir()] });

export async function openWorkstation(opts: { dataDir?: string; seedExample?: boolean; workerPath?: string; probe?: boolean; watchExternalMs?: number; files?: FilePolicy } = {}): Promise<Workstation> {
  const dataDir = opts.dataDir ?? tempDir();
  return createWorkstation({
    dataDir,
    files: opts.files ?? testFilePolicy(dataDir),
    workerPath: opts.workerPath ?? SOURCE_WORKER,
    transport: 'browser',
    appVersion: 'test',
    seedExample: opts.seedExample ?? false,
    probe: opts.probe ?? false,
    watchExternalMs: opts.watchExternalMs,
  });
}

/**
 * The browser-mode host over a fresh (or given) data directory, serving the built renderer in out/renderer
 * (`npm test` builds it first). Used by the end-to-end tests.
 */
export async function startHost(opts: { dataDir?: string; seedExample?: boolean; probe?: boolean } = {}): Promise<{
  url: string;
  port: number;
  token: string;
  dataDir: string;
  ws: Workstation;
  close(): Promise<void>;
}> {
  const staticDir = join(ROOT, 'out', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error('out/renderer is not built: run `npx electron-vite build` (npm test does)');
  const dataDir = opts.dataDir ?? tempDir('hw-e2e-');
  // Watches the store as the real host does (src-main/host/main.ts), a little faster for the tests.
  const ws = await openWorkstation({ dataDir, seedExample: opts.seedExample ?? true, probe: opts.probe ?? true, watchExternalMs: 300 });
  const host = await startServer(ws, { port: 0, staticDir });
  return {
    url: host.url,
    port: host.port,
    token: host.token,
    dataDir,
    ws,
    async close() {
      await host.close();
      await ws.close();
    },
  };
}
