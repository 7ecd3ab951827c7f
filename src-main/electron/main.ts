import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { dispatch } from '../host/dispatch';
import { defaultDataDir, PRODUCT_NAME } from '../paths';
import { createWorkstation, type Workstation } from '../workstation';
import { FilePolicy } from '../files/policy';
import { appVersion, workerEntry } from '../entry';

/**
 * Electron main: thin and hardened. It opens the store and the job manager (the same composition root as
 * browser mode), serves the handler table over one IPC channel and forwards pushed events to the window.
 */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

let ws: Workstation | null = null;

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
  ws = await createWorkstation({
    dataDir,
    workerPath: workerEntry(__dirname),
    transport: 'electron',
    appVersion: appVersion(),
    seedExample: true,
    nativeBinding: electronNativeBinding(),
    // Only the data folder and what the user picks in a native dialog or drops on the window.
    files: new FilePolicy({ mode: 'granted', dataDir }),
  });
  const fromAppWindow = (event: Electron.IpcMainInvokeEvent): boolean => {
    const frameUrl = event.senderFrame?.url ?? '';
    return frameUrl.startsWith('file://') || !!(process.env.ELECTRON_RENDERER_URL && frameUrl.startsWith(process.env.ELECTRON_RENDERER_URL));
  };
  ipcMain.handle('files-pick', async (event, kind: unknown) => {
    if (!fromAppWindow(event)) return null;
    const win = BrowserWindow.fromWebContents(event.sender);
    const opts: Electron.OpenDialogOptions = { properties: [kind === 'folder' ? 'openDirectory' : 'openFile'], filters: kind === 'folder' ? undefined : [{ name: 'Order books', extensions: ['parquet', 'pq', 'csv', 'tsv', 'txt'] }] };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    if (r.canceled || r.filePaths.length === 0) return null;
    ws!.files.grant(r.filePaths[0]);
    return r.filePaths[0];
  });
  ipcMain.handle('files-grant-dropped', (event, path: unknown) => {
    if (!fromAppWindow(event) || typeof path !== 'string' || path === '') return null;
    ws!.files.grant(path);
    return path;
  });
  ipcMain.handle('rpc', (event, method: unknown, args: unknown) => {
    // Only our own window's frames may call in.
    const frameUrl = event.senderFrame?.url ?? '';
    if (!(frameUrl.startsWith('file://') || (process.env.ELECTRON_RENDERER_URL && frameUrl.startsWith(process.env.ELECTRON_RENDERER_URL)))) {
      return { id: 0, ok: false, error: { type: 'protocol', code: 'FORBIDDEN', message: 'calls are accepted from the app window only' } };
    }
    return dispatch(ws!.handlers, 0, typeof method === 'string' ? method : String(method), args);
  });
  ws.subscribe((event, payload) => {
    BrowserWindow.getAllWindows().forEach((w) => w.webContents.send('push', { event, payload }));
  });
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
  if (quitting || !ws) return;
  e.preventDefault();
  quitting = true;
  void ws.close().finally(() => app.quit());
});
