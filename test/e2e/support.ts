import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import WebSocket from 'ws';
import { type Method, type Req, type Res, type RpcResponse } from '../../src-shared/api/contract';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/browser';
import { ROOT, startHost } from '../helpers/host';

/**
 * End-to-end plumbing: the real browser-mode host over a fresh data directory (with the example run),
 * Debian's chromium driven by playwright-core, a typed WebSocket RPC client for checking what the UI shows
 * against the handlers, and screenshots in test-results/screenshots/.
 */

export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

export type Host = Awaited<ReturnType<typeof startHost>>;

export interface E2E {
  host: Host;
  browser: Browser;
  page: Page;
  /** Browser console errors and page errors seen so far. */
  errors: string[];
  rpc: RpcClient;
  close(): Promise<void>;
}

export async function openApp(opts: { width?: number; height?: number } = {}): Promise<E2E> {
  const host = await startHost({});
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 } });
  const errors = await watchPage(page);
  await page.goto(host.url);
  const rpc = await RpcClient.connect(host.url);
  return {
    host,
    browser,
    page,
    errors,
    rpc,
    async close() {
      rpc.close();
      await browser.close().catch(() => {});
      await host.close();
    },
  };
}

/**
 * Collect what should never happen on a page: console errors, uncaught exceptions and CSP violations
 * (reported as events, e.g. a blocked eval probe, not always as console errors). Call before goto.
 */
export async function watchPage(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.exposeFunction('__reportCsp', (what: string) => errors.push(`csp: ${what}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp(s: string): void }).__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The same protocol the renderer speaks: `{ id, method, args }` -> `{ id, ok, result | error }`. */
export class RpcClient {
  private nextId = 1;
  private pending = new Map<number, (r: RpcResponse) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as RpcResponse | { event: string };
      if ('event' in msg) return;
      const done = this.pending.get(msg.id);
      if (done) {
        this.pending.delete(msg.id);
        done(msg);
      }
    });
  }

  static async connect(pageUrl: string): Promise<RpcClient> {
    const u = new URL(pageUrl);
    const token = u.searchParams.get('token') ?? '';
    const socket = new WebSocket(`ws://${u.host}/rpc?token=${encodeURIComponent(token)}`, { origin: u.origin });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RpcClient(socket);
  }

  call<M extends Method>(method: M, args: Req<M>): Promise<Res<M>> {
    const id = this.nextId++;
    return new Promise<Res<M>>((resolve, reject) => {
      this.pending.set(id, (r) => (r.ok ? resolve(r.result as Res<M>) : reject(Object.assign(new Error(r.error.message), { appError: r.error }))));
      this.socket.send(JSON.stringify({ id, method, args }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** Poll `runs-get` until the run is no longer queued/running. */
export async function waitForRunEnd(rpc: RpcClient, runId: string, timeoutMs = 120_000): Promise<Res<'runs-get'>> {
  const t0 = Date.now();
  for (;;) {
    const r = await rpc.call('runs-get', { runId });
    if (r.status !== 'queued' && r.status !== 'running') return r;
    if (Date.now() - t0 > timeoutMs) throw new Error(`run ${runId} still ${r.status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

/** Parse a number as the UI displays it ("-0.0043878", "1.2000e-7", "100,000"). */
export function displayedNumber(text: string): number {
  const t = text.trim().replace(/,/g, '').replace('−', '-');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return NaN;
  return Number(t);
}

/**
 * How many pixels of a chart's canvas are painted (not white/transparent): a drawn histogram covers
 * thousands, an empty chart (axes only) far fewer.
 */
export async function paintedPixels(page: Page, testId: string): Promise<number> {
  return page.locator(`[data-testid="${testId}"] canvas`).first().evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      // Coloured (bars, lines): alpha set and clearly not grey.
      if (a > 40 && Math.max(r, g, b) - Math.min(r, g, b) > 40) n++;
    }
    return n;
  });
}

/** Text of every metric cell of the single-run metrics table, keyed by metric. */
export async function shownMetrics(page: Page): Promise<Record<string, string>> {
  return page.locator('[data-testid="metrics-table"] [data-testid^="metric-"]').evaluateAll((cells) =>
    Object.fromEntries(cells.map((c) => [c.getAttribute('data-testid')!.slice('metric-'.length), c.textContent ?? ''])),
  );
}

/** The grid row of a run (ag-grid keeps `row-id` = our run id). */
export const gridRow = (page: Page, runId: string) => page.locator(`[data-testid="runs-grid"] .ag-row[row-id="${runId}"]`).first();
