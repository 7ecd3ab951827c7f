/**
 * UI responsiveness while a job runs: opens the built UI in headless Chromium (browser mode), starts a
 * 2,000,000-path hedging run from the form and records, in the page, every gap between animation frames and every long
 * task until its histogram is drawn. Prints the longest frame (target: no frame longer than 100 ms).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { ROOT, startHost } from '../test/helpers/host';
import { CHROMIUM_ARGS, chromiumPath } from '../test/helpers/browser';

async function main(): Promise<void> {
  const host = await startHost({ seedExample: true, probe: false });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await page.waitForTimeout(1500);
    // A string, not a function: tsx's name-keeping helpers do not exist in the page.
    await page.evaluate(`(() => {
      window.__gaps = [];
      window.__long = [];
      let last = performance.now();
      const tick = (t) => { window.__gaps.push(t - last); last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: 'longtask', buffered: false });
    })()`);
    const sock = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
    await new Promise((r) => sock.once('open', r));
    const finished = new Promise<void>((resolve) => {
      sock.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.event === 'run-finished' || m.event === 'run-failed') resolve();
      });
    });
    const t0 = Date.now();
    // Started from the form, as a person would: the panel shows progress, then fetches and draws the result.
    await page.fill('[data-testid="field-paths"]', String(2_000_000));
    await page.fill('[data-testid="field-label"]', 'ui bench 2M');
    await page.click('[data-testid="start-button"]');
    await finished;
    const jobSeconds = (Date.now() - t0) / 1000;
    await page.locator('[data-testid="histogram-chart"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    const { gaps, long } = (await page.evaluate('({ gaps: window.__gaps, long: window.__long })')) as { gaps: number[]; long: number[] };
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
