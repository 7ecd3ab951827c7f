/**
 * UI responsiveness while a job runs: opens the built UI in headless Chromium (browser mode), starts a
 * 2,000,000-path hedging run and records, in the page, every gap between animation frames and every long
 * task until the run finishes. Prints the longest frame (target: no frame longer than 100 ms).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { DEFAULT_HEDGE_CONFIG } from '../src-shared/hedging/config';
import { ROOT, startHost } from '../test/helpers/host';
import { CHROMIUM_ARGS, chromiumPath } from '../test/helpers/browser';

async function main(): Promise<void> {
  const host = await startHost({ seedExample: true, probe: false });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await page.waitForTimeout(1500);
    await page.evaluate(() => {
      const w = window as unknown as { __gaps: number[]; __long: number[] };
      w.__gaps = [];
      w.__long = [];
      let last = performance.now();
      const tick = (t: number): void => {
        w.__gaps.push(t - last);
        last = t;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask', buffered: false });
    });
    const sock = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
    await new Promise((r) => sock.once('open', r));
    const finished = new Promise<void>((resolve) => {
      sock.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.event === 'run-finished' || m.event === 'run-failed') resolve();
      });
    });
    const t0 = Date.now();
    sock.send(JSON.stringify({ id: 1, method: 'hedging-start', args: { ...DEFAULT_HEDGE_CONFIG, paths: 2_000_000, label: 'ui bench 2M' } }));
    await finished;
    const jobSeconds = (Date.now() - t0) / 1000;
    await page.waitForTimeout(1000); // the UI fetches and draws the result
    const { gaps, long } = await page.evaluate(() => {
      const w = window as unknown as { __gaps: number[]; __long: number[] };
      return { gaps: w.__gaps, long: w.__long };
    });
    sock.close();
    const sorted = [...gaps].sort((a, b) => a - b);
    const out = {
      jobSeconds,
      frames: gaps.length,
      longestFrameMs: sorted[sorted.length - 1],
      p99FrameMs: sorted[Math.floor(0.99 * (sorted.length - 1))],
      longTasks: long.length,
      longestTaskMs: long.length ? Math.max(...long) : 0,
    };
    console.log(
      `ui while a 2,000,000-path job runs (${jobSeconds.toFixed(1)} s): ${out.frames} frames, longest frame ${out.longestFrameMs.toFixed(1)} ms, ` +
        `p99 ${out.p99FrameMs.toFixed(1)} ms, ${out.longTasks} long tasks (longest ${out.longestTaskMs.toFixed(0)} ms) — target: no frame > 100 ms`,
    );
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'ui.json'), JSON.stringify(out, null, 2));
  } finally {
    await browser.close();
    await host.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
