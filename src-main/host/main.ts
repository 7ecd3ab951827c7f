import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../paths';
import { createWorkstation } from '../workstation';
import { installProcessGuards } from './guards';
import { startHost } from './server';
import { FilePolicy, allowDirsFromEnv } from '../files/policy';
import { loadWorkGuard } from '../limits/guard';
import { formatBytes, formatDuration } from '../../src-shared/limits/estimate';
import { appVersion, workerEntry } from '../entry';

/**
 * Browser mode entry (`npm start` where no Electron binary runs, and the end-to-end tests):
 * the workstation on 127.0.0.1, printing the address to open.
 */
async function main(): Promise<void> {
  installProcessGuards();
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.HEDGE_PORT ?? '5199' },
      'data-dir': { type: 'string' },
      static: { type: 'string' },
      'no-example': { type: 'boolean', default: false },
      // Folders (besides the data folder and home) whose files clients may inspect and import; repeatable.
      'allow-dir': { type: 'string', multiple: true, default: [] },
      // Refuse files in the home folder too (then only the data folder and --allow-dir folders).
      'no-home': { type: 'boolean', default: false },
      // Limits on one request's estimated work and disk and on the queue (also limits.json in the data folder).
      'max-hours': { type: 'string' },
      'max-disk-gb': { type: 'string' },
      'max-queued': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535 (got ${values.port})`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const staticDir = resolve(values.static ?? join(__dirname, '..', 'renderer'));
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`no built renderer at ${staticDir}; run \`npm run build\` first (npm start does it for you)`);
  }
  const guard = loadWorkGuard({ dataDir, flags: { maxHours: values['max-hours'], maxDiskGB: values['max-disk-gb'], maxQueued: values['max-queued'] } });
  for (const p of guard.problems) console.error(`limits: ignored ${p}`);
  const ws = await createWorkstation({
    guard,
    dataDir,
    workerPath: workerEntry(__dirname),
    transport: 'browser',
    appVersion: appVersion(),
    seedExample: !values['no-example'],
    watchExternalMs: 1000, // runs the CLI writes appear without a Refresh
    resumeCluster: true, // a saved compute 'cluster' reconnects in the background
    files: new FilePolicy({ mode: 'roots', dataDir, home: !values['no-home'], allowDirs: [...allowDirsFromEnv(), ...(values['allow-dir'] ?? []).map((d) => resolve(d))] }),
  });
  let host;
  try {
    host = await startHost(ws, { port, staticDir });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' && port !== 0) {
      console.error(`port ${port} is busy; using a free one (set --port or HEDGE_PORT to choose)`);
      host = await startHost(ws, { port: 0, staticDir });
    } else throw e;
  }
  console.log(`Hedge Workstation (browser mode): ${host.url}`);
  console.log(`data directory: ${dataDir}`);
  console.log(`limits: ${formatDuration(guard.limits.maxSeconds)} of estimated work and ${formatBytes(guard.limits.maxDiskBytes)} of disk a job, ${guard.limits.maxQueued} queued jobs (--max-hours, --max-disk-gb, --max-queued or limits.json)`);
  console.log(`files readable by the app: under ${ws.files.allowedRoots().join(', ')} (add a folder with --allow-dir DIR)`);
  let closing = false;
  const stop = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await host.close();
    await ws.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
