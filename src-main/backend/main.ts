import { parseArgs } from 'node:util';
import { appVersion, workerEntry } from '../entry';
import { installProcessGuards } from '../host/guards';
import { createWorkstation } from '../workstation';
import { FilePolicy } from '../files/policy';
import { type FromBackend, type ParentPortLike, type ToBackend } from './protocol';
import { servePort } from './serve';

/**
 * The workstation backend in Electron: started by the main process with `utilityProcess.fork` (see
 * src-main/electron/backendProcess.ts), it owns the store, the job manager, the read pool and every handler,
 * and talks to the main process over `process.parentPort`. The main process only owns windows, so no
 * handler, store write or reply encoding can freeze a window (the same composition root runs as the
 * browser-mode host in src-main/host/main.ts).
 *
 * Arguments: --data-dir <dir> [--native-binding <better_sqlite3.node>] [--no-example]
 */
async function main(): Promise<void> {
  installProcessGuards();
  const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (!port) throw new Error('the backend runs in an Electron utility process (no parentPort here); use `npm start` for browser mode');
  const { values } = parseArgs({
    // positionals allowed: how the script itself appears in argv differs between utilityProcess and node
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, 'native-binding': { type: 'string' }, 'no-example': { type: 'boolean', default: false } },
  });
  if (!values['data-dir']) throw new Error('--data-dir is required');
  const post = (m: FromBackend): void => port.postMessage(m);
  const ws = await createWorkstation({
    dataDir: values['data-dir'],
    workerPath: workerEntry(__dirname),
    transport: 'electron',
    appVersion: appVersion(),
    seedExample: !values['no-example'],
    nativeBinding: values['native-binding'],
    watchExternalMs: 1000, // runs the CLI writes appear without a Refresh
    resumeCluster: true, // a saved compute 'cluster' reconnects in the background
    // Only the data folder and what the user picks in a native dialog or drops on the window (granted by main).
    files: new FilePolicy({ mode: 'granted', dataDir: values['data-dir'] }),
  });
  let closing = false;
  const served = servePort(ws, post, () => {
    if (closing) return;
    closing = true;
    served.stop();
    void ws.close().finally(() => process.exit(0));
  });
  port.on('message', (e) => served.onMessage(e.data as ToBackend));
  post({ type: 'ready' });
}

main().catch((e) => {
  const message = e instanceof Error ? e.message : String(e);
  console.error(`backend failed to start: ${message}`);
  (process as unknown as { parentPort?: ParentPortLike }).parentPort?.postMessage({ type: 'fatal', message } satisfies FromBackend);
  process.exit(1);
});
