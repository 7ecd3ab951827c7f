import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { defaultDataDir, PRODUCT_NAME } from '../paths';
import { startBackendProcess, type BackendProcess } from './backendProcess';

/**
 * Electron main: thin and hardened. It owns windows only: the workstation backend (store, jobs, handlers —
 * the same composition root as browser mode) runs in a utilityProcess (backendProcess.ts); main relays the
 * window's calls to it over one IPC channel and its pushed events to the windows, already encoded.
 */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

let backend: BackendProcess | null = null;

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
  win.once('ready-to-show', () => win.show());
  // New windows are denied; http(s) links open in the user's browser instead.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // Navigation is pinned to the app's own pages.
  const appOrigin = process.env.ELECTRON_RENDERER_URL ? new URL(process.env.ELECTRON_RENDERER_URL).origin : 'file://';
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(appOrigin)) e.preventDefault();
  });
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await win.loadFile(join(__dirname, '..', 'renderer', 'index.html'));
}

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  const dataDir = defaultDataDir();
  app.setPath('userData', dataDir);
  backend = startBackendProcess({ dataDir, nativeBinding: electronNativeBinding() });
  ipcMain.handle('rpc', (event, method: unknown, args: unknown) => {
    // Only our own window's frames may call in.
    const frameUrl = event.senderFrame?.url ?? '';
    if (!(frameUrl.startsWith('file://') || (process.env.ELECTRON_RENDERER_URL && frameUrl.startsWith(process.env.ELECTRON_RENDERER_URL)))) {
      return JSON.stringify({ id: 0, ok: false, error: { type: 'protocol', code: 'FORBIDDEN', message: 'calls are accepted from the app window only' } });
    }
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

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

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
