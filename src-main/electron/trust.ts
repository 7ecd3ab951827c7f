import { readFile } from 'node:fs/promises';
import { app, protocol, shell, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  APP_SCHEME,
  appFilePath,
  appResponseHeaders,
  isTrustedIpcSender,
  mayNavigate,
  mayOpenExternal,
} from './security';

/**
 * Electron's side of the trust model (the decisions are pure functions in ./security.ts):
 * the app:// scheme and its file handler, navigation and window-open guards on every webContents, and the
 * IPC sender check. main.ts calls `registerAppScheme` before `app.whenReady()`, the rest after.
 */

/** electron-vite's dev server, trusted only when running unpackaged with ELECTRON_RENDERER_URL set. */
export function devOrigin(): string | null {
  return !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? new URL(process.env.ELECTRON_RENDERER_URL).origin : null;
}

/**
 * Declare app:// a standard, secure scheme (origin, relative URLs, fetch, CSP as for https). Must run before
 * the app is ready. No `bypassCSP`: the CSP header of each response applies.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serve the built renderer on app://workstation/, with the CSP header; anything outside it is a 404. */
export function serveApp(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = request.method === 'GET' || request.method === 'HEAD' ? appFilePath(rendererDir, request.url) : null;
    if (!file) return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: appResponseHeaders(file) });
    } catch {
      return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    }
  });
}

function openIfDocumentation(url: string): void {
  if (mayOpenExternal(url)) void shell.openExternal(url);
}

/**
 * Pin a webContents to the app: navigations and redirects (main frame and subframes) that leave the app are
 * cancelled — a documentation link opens in the user's browser instead; new windows are denied likewise;
 * <webview> is refused.
 */
export function guardContents(contents: WebContents): void {
  const origin = devOrigin();
  contents.on('will-navigate', (e, url) => {
    if (mayNavigate(url, origin)) return;
    e.preventDefault();
    openIfDocumentation(url);
  });
  // Subframes too (the main frame's navigations also reach will-navigate, which alone opens documentation links,
  // so a link never opens twice).
  contents.on('will-frame-navigate', (e) => {
    if (!mayNavigate(e.url, origin)) e.preventDefault();
  });
  contents.on('will-redirect', (e) => {
    if (!mayNavigate(e.url, origin)) e.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfDocumentation(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

/** Whether an IPC call comes from `win`'s main frame showing an app page (see isTrustedIpcSender). */
export function fromAppWindow(win: BrowserWindow | null, event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return isTrustedIpcSender(
    {
      frameUrl: frame?.url ?? null,
      isMainFrame: !!frame && frame.parent === null,
      isAppWindow: !!win && !win.isDestroyed() && event.sender.id === win.webContents.id,
    },
    devOrigin(),
  );
}
