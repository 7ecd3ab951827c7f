import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_CSP,
  APP_ENTRY_URL,
  appFilePath,
  appResponseHeaders,
  isAppUrl,
  isTrustedIpcSender,
  mayNavigate,
  mayOpenExternal,
} from '../../../src-main/electron/security';

const DIR = join(sep, 'opt', 'hedge', 'out', 'renderer');
const DEV = 'http://localhost:5173';

describe('app:// protocol: request URL -> file under the built renderer', () => {
  it('serves the entry page and assets from the renderer folder', () => {
    expect(APP_ENTRY_URL).toBe('app://workstation/index.html');
    expect(appFilePath(DIR, APP_ENTRY_URL)).toBe(join(DIR, 'index.html'));
    expect(appFilePath(DIR, 'app://workstation/')).toBe(join(DIR, 'index.html'));
    expect(appFilePath(DIR, 'app://workstation/assets/index-abc.js?v=1#x')).toBe(join(DIR, 'assets', 'index-abc.js'));
    expect(appFilePath(DIR, 'app://workstation/assets/a%20b.css')).toBe(join(DIR, 'assets', 'a b.css'));
  });

  it.each([
    'app://workstation/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://workstation/assets/%2e%2e%2fsecret',
    'app://workstation/..%5c..%5cwindows%5cwin.ini',
    'app://workstation/index.html%00.png',
    'app://workstation/%E0%A4%A', // malformed percent-encoding
    'app://evil/index.html',
    'file:///etc/passwd',
    'https://workstation/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(appFilePath(DIR, url)).toBeNull();
  });

  it('keeps encoded absolute paths and dot segments the URL parser folds inside the folder', () => {
    expect(appFilePath(DIR, 'app://workstation/%2Fetc%2Fpasswd')).toBe(join(DIR, 'etc', 'passwd'));
    // WHATWG URL parsing (Node and Chromium) resolves %2e%2e as a ".." segment at the root: it stays at the root.
    expect(appFilePath(DIR, 'app://workstation/%2e%2e/%2e%2e/etc/passwd')).toBe(join(DIR, 'etc', 'passwd'));
  });

  it('sends the CSP, a content type and nosniff with every file', () => {
    expect(appResponseHeaders('/x/index.html')).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': APP_CSP,
      'X-Content-Type-Options': 'nosniff',
    });
    expect(appResponseHeaders('/x/a.wasm')['Content-Type']).toBe('application/wasm');
    expect(appResponseHeaders('/x/a.unknown')['Content-Type']).toBe('application/octet-stream');
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(APP_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  it("has object-src 'none' and base-uri 'none', no unsafe-eval, and cannot be framed", () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(APP_CSP).not.toContain("'unsafe-eval'");
    expect(APP_CSP).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });
});

describe('navigation and IPC origin', () => {
  it('stays on app://workstation (and the dev server only when one is given)', () => {
    expect(mayNavigate('app://workstation/index.html#/runs')).toBe(true);
    expect(mayNavigate('app://other/index.html')).toBe(false);
    expect(mayNavigate('app://user:pw@workstation/')).toBe(false);
    expect(mayNavigate('file:///opt/hedge/out/renderer/index.html')).toBe(false);
    expect(mayNavigate('https://example.com/')).toBe(false);
    expect(mayNavigate('http://localhost:5173/')).toBe(false);
    expect(mayNavigate('http://localhost:5173/', DEV)).toBe(true);
    expect(mayNavigate('http://localhost:5174/', DEV)).toBe(false);
    expect(mayNavigate('javascript:alert(1)', DEV)).toBe(false);
    expect(isAppUrl('garbage')).toBe(false);
  });

  it("accepts IPC only from the app window's main frame on the app origin", () => {
    const ok = { frameUrl: 'app://workstation/index.html', isMainFrame: true, isAppWindow: true };
    expect(isTrustedIpcSender(ok)).toBe(true);
    expect(isTrustedIpcSender({ ...ok, isMainFrame: false })).toBe(false);
    expect(isTrustedIpcSender({ ...ok, isAppWindow: false })).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: null })).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: 'file:///opt/hedge/out/renderer/index.html' })).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: 'https://evil.example/' })).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: 'http://localhost:5173/' })).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: 'http://localhost:5173/' }, DEV)).toBe(true);
  });
});

describe('shell.openExternal allow-list', () => {
  it.each([
    ['https://arxiv.org/abs/1802.03042', true],
    ['https://en.wikipedia.org/wiki/Delta_neutral', true],
    ['https://github.com/electron/electron', true],
    ['http://arxiv.org/abs/1802.03042', false], // not https
    ['https://arxiv.org.evil.example/', false],
    ['https://evil.example/?u=https://arxiv.org', false],
    ['https://user@arxiv.org/', false],
    ['https://arxiv.org:8443/', false],
    ['file:///etc/passwd', false],
    ['smb://host/share', false],
    ['javascript:alert(1)', false],
    ['nonsense', false],
  ])('%s -> %s', (url, allowed) => {
    expect(mayOpenExternal(url)).toBe(allowed);
  });
});

describe("the renderer page's own CSP (meta tag, applies in browser mode and in Electron)", () => {
  it("has object-src 'none' and base-uri 'none'", () => {
    const html = readFileSync(join(__dirname, '..', '..', '..', 'src-renderer', 'index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/(^|;\s*)object-src 'none'(;|$)/);
    expect(csp).toMatch(/(^|;\s*)base-uri 'none'(;|$)/);
  });
});
