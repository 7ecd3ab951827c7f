import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The pure half of the Electron trust model (no Electron import, so it is unit-tested in Node):
 * - the renderer is served from `app://workstation/…` (a privileged standard scheme, never `file://`);
 *   `appFilePath` maps a request URL to a file under the built renderer and refuses anything outside it;
 * - IPC is accepted only from this window's main frame on that origin (`isTrustedIpcSender`);
 * - navigation stays on that origin (`mayNavigate`); documentation links open in the user's browser only for
 *   the hosts in `EXTERNAL_DOC_HOSTS`, over https (`mayOpenExternal`);
 * - one Content-Security-Policy (`APP_CSP`), sent as a header with every app:// response.
 * electron/main.ts wires these into Electron's events.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'workstation';
/** The renderer's entry page. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * CSP of every app:// response. 'wasm-unsafe-eval' lets tfjs compile WebAssembly (no JS eval);
 * object-src and base-uri are 'none'; the page cannot be framed; connections only to the app itself.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Hosts whose pages (documentation, papers) may open in the user's browser, https only. */
export const EXTERNAL_DOC_HOSTS: ReadonlySet<string> = new Set([
  'arxiv.org',
  'doi.org',
  'en.wikipedia.org',
  'github.com',
  'www.quantlib.org',
  'www.electronjs.org',
]);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether a URL is one of the app's own pages: app://workstation/…, or in development (unpackaged, with
 * electron-vite's dev server) that server's origin. WHATWG gives custom schemes the origin "null", so scheme
 * and host are compared, not `origin`.
 */
export function isAppUrl(url: string, devOrigin?: string | null): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '') return true;
  if (devOrigin) {
    const d = parse(devOrigin);
    return !!d && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === d.origin;
  }
  return false;
}

/** Navigation (will-navigate, will-redirect, will-frame-navigate) is allowed only within the app. */
export function mayNavigate(url: string, devOrigin?: string | null): boolean {
  return isAppUrl(url, devOrigin);
}

/** `shell.openExternal` only for https URLs on a documentation host (no credentials, no other port). */
export function mayOpenExternal(url: string): boolean {
  const u = parse(url);
  return !!u && u.protocol === 'https:' && u.port === '' && u.username === '' && u.password === '' && EXTERNAL_DOC_HOSTS.has(u.hostname);
}

export interface IpcSender {
  /** `event.senderFrame?.url` — null when the frame is gone. */
  frameUrl: string | null | undefined;
  /** The sending frame is its page's main frame (`senderFrame.parent === null`). */
  isMainFrame: boolean;
  /** The sender is the app window's webContents (`event.sender.id === win.webContents.id`). */
  isAppWindow: boolean;
}

/** IPC is served only to the app window's main frame showing an app page. */
export function isTrustedIpcSender(s: IpcSender, devOrigin?: string | null): boolean {
  return s.isAppWindow && s.isMainFrame && typeof s.frameUrl === 'string' && isAppUrl(s.frameUrl, devOrigin);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Content-Type by extension; unknown types are served as opaque bytes. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers of every app:// response: the CSP, no MIME sniffing, no referrer. */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': contentTypeOf(file),
    'Content-Security-Policy': APP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/**
 * The file under `rendererDir` that an app:// request names, or null if the URL is not the app's (other
 * scheme or host) or leaves the folder: `..` segments (also percent-encoded, `%2e%2e`, `..%2f`), backslashes,
 * NUL, absolute paths. `/` is the entry page.
 */
export function appFilePath(rendererDir: string, requestUrl: string): string | null {
  const u = parse(requestUrl);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const rel = segments.length === 0 ? 'index.html' : segments.join(sep);
  const root = resolve(rendererDir);
  const file = resolve(root, rel);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}
