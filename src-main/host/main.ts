import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../paths';
import { createWorkstation } from '../workstation';
import { installProcessGuards } from './guards';
import { startHost } from './server';
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
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535 (got ${values.port})`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const staticDir = resolve(values.static ?? join(__dirname, '..', 'renderer'));
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`no built renderer at ${staticDir}; run \`npm run build\` first (npm start does it for you)`);
  }
  const ws = await createWorkstation({
    dataDir,
    workerPath: workerEntry(__dirname),
    transport: 'browser',
    appVersion: appVersion(),
    seedExample: !values['no-example'],
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
