import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { defaultDataDir, PRODUCT_NAME } from '../paths';
import { startBackendProcess, type BackendProcess } from './backendProcess';
import { APP_CSP, APP_ENTRY_URL } from './security';
import { devOrigin, fromAppWindow, guardContents, registerAppScheme, serveApp } from './trust';

/**
 * Electron main: thin and hardened. It owns windows only: the workstation backend (store, jobs, handlers —
 * the same composition root as browser mode) runs in a utilityProcess (backendProcess.ts); main relays the
 * window's calls to it over one IPC channel and its pushed events to the windows, already encoded.
 * Trust (./trust.ts, decisions in ./security.ts): the renderer loads from app://workstation (never file://),
 * with its CSP as a response header; IPC only from the app window's main frame on that origin; navigation
 * pinned to the app; new windows denied; only documentation hosts open in the user's browser.
 * Files: the backend reads only its data folder and what the user picks in a native dialog or drops on the
 * window (files/policy.ts in 'granted' mode); main grants those paths to it.
 */
let backend: BackendProcess | null = null;
let mainWindow: BrowserWindow | null = null;

registerAppScheme();

/** In development a better-sqlite3 rebuilt for Electron's ABI lives apart from the Node one (scripts/electron-native.mjs). */
function electronNativeBinding(): string | undefined {
  if (app.isPackaged) return undefined;
  const p = join(__dirname, '..', '..', '.cache', 'electron-native', `abi-${process.versions.modules}`, 'better_sqlite3.node');
  return existsSync(p) ? p : undefined;
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: PRODUCT_NAME,
    show: false,
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow = win;
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.once('ready-to-show', () => win.show());
  const dev = devOrigin();
  await win.loadURL(dev ? process.env.ELECTRON_RENDERER_URL! : APP_ENTRY_URL);
}

const FORBIDDEN = JSON.stringify({ id: 0, ok: false, error: { type: 'protocol', code: 'FORBIDDEN', message: 'calls are accepted from the app window only' } });

app.whenReady().then(async () => {
  serveApp(join(__dirname, '..', 'renderer'));
  // The same CSP on anything else the session loads (electron-vite's dev server in development).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  const dataDir = defaultDataDir();
  app.setPath('userData', dataDir);
  backend = startBackendProcess({ dataDir, nativeBinding: electronNativeBinding() });
  ipcMain.handle('files-pick', async (event, kind: unknown) => {
    if (!fromAppWindow(mainWindow, event)) return null;
    const win = BrowserWindow.fromWebContents(event.sender);
    const opts: Electron.OpenDialogOptions = { properties: [kind === 'folder' ? 'openDirectory' : 'openFile'], filters: kind === 'folder' ? undefined : [{ name: 'Order books', extensions: ['parquet', 'pq', 'csv', 'tsv', 'txt'] }] };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    if (r.canceled || r.filePaths.length === 0) return null;
    await backend!.grant(r.filePaths[0]);
    return r.filePaths[0];
  });
  ipcMain.handle('files-grant-dropped', async (event, path: unknown) => {
    if (!fromAppWindow(mainWindow, event) || typeof path !== 'string' || path === '') return null;
    await backend!.grant(path);
    return path;
  });
  ipcMain.handle('rpc', (event, method: unknown, args: unknown) => {
    // Only the app window's main frame, showing an app page, may call in.
    if (!fromAppWindow(mainWindow, event)) return FORBIDDEN;
    return backend!.call(method, args);
  });
  backend.onPush((payload) => {
    BrowserWindow.getAllWindows().forEach((w) => w.webContents.send('push', payload));
  });
  await backend.ready;
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('web-contents-created', (_e, contents) => guardContents(contents));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !backend) return;
  e.preventDefault();
  quitting = true;
  void backend.shutdown().finally(() => app.quit());
});
