/**
 * Host responsiveness benchmark (issue 13 items 1 and 2): `npm run bench:host`
 * (add `-- --runs 4 --paths 500000 --windows 2000` for a quicker run).
 *
 * Builds the probe's scenario in a temp store — `--runs` finished runs of `--paths` PnL values each, and a
 * path set of `--steps` steps with `--windows` train windows (defaults: 12 x 2,000,000 and 2,000 x 15,836,
 * the issue's figures) — starts the browser-mode host on it and, for each heavy handler:
 *   before: how long the read blocks the thread it runs on (the request thread, before this change),
 *   after:  the handler's wall time through the host with the client on another thread, and the longest
 *           `system-info` answer another client saw meanwhile (the stall), plus the largest reply.
 * Then asks for all windows at once (the request that killed the host) and prints the reply.
 * The machine is shared: the load average is printed with the figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pathsPageLimit } from '../src-shared/orderbook/contract';
import { hedgingDistribution } from '../src-main/domains/hedging/reads';
import { pathsPageRead } from '../src-main/domains/orderbook/reads';
import { runsDistribution } from '../src-main/domains/runs/reads';
import { startHost } from '../src-main/host/server';
import { storeBigRuns, storePathSet, stallDuring } from '../test/helpers/bigRuns';
import { openWorkstation } from '../test/helpers/host';
import { tempDir } from '../test/helpers/tmp';
import { callsFromAnotherThread, connectWs } from '../test/helpers/wsClient';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '12' },
    paths: { type: 'string', default: '2000000' },
    steps: { type: 'string', default: '2000' },
    windows: { type: 'string', default: '15836' },
  },
});
const RUNS = Number(values.runs);
const PATHS = Number(values.paths);
const STEPS = Number(values.steps);
const WINDOWS = Number(values.windows);
const MiB = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
const ms = (x: number): string => `${x.toFixed(0)} ms`;

async function main(): Promise<void> {
  const dataDir = tempDir('hw-bench-host-');
  const staticDir = join(dataDir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>bench</title>');
  const ws = await openWorkstation({ dataDir });
  const t0 = performance.now();
  const runIds = storeBigRuns(ws, RUNS, PATHS);
  storePathSet(ws, 'ps-bench-host-0001', STEPS, WINDOWS, (w, j) => 1 + 1e-3 * Math.sin(w * 7.1 + j * 0.37));
  console.log(`store: ${RUNS} runs x ${PATHS.toLocaleString()} paths, path set ${STEPS} steps x ${WINDOWS.toLocaleString()} windows (${ms(performance.now() - t0)})`);
  // The setup above made hundreds of MB of garbage on this thread; collect it now (npm run bench:host runs
  // node with --expose-gc) so that its collection is not counted as a stall of the host below.
  (globalThis as { gc?: () => void }).gc?.();
  const host = await startHost(ws, { port: 0, staticDir });
  const other = await connectWs(host.port, host.token);
  await other.call('system-info', {});
  const ping = () => other.call('system-info', {});

  // the machine's own noise: the longest system-info answer over 2 s with nothing else running in this process
  const idle = await stallDuring(() => new Promise((r) => setTimeout(r, 2000)), ping);
  console.log(`idle: longest system-info ${idle.maxPingMs.toFixed(1)} ms (p99 ${idle.p99PingMs.toFixed(1)} ms) over ${idle.pings} answers (no heavy work)`);

  const pageLimit = pathsPageLimit(STEPS);
  const pages = Array.from({ length: Math.min(4, Math.ceil(WINDOWS / pageLimit)) }, (_, i) => ({ pathSetId: 'ps-bench-host-0001', split: 'train' as const, offset: i * pageLimit, limit: pageLimit }));
  const cases = [
    { name: 'runs-distribution', calls: [{ method: 'runs-distribution', args: { runIds } }], before: () => runsDistribution(ws.db, { runIds }) },
    {
      name: 'hedging-distribution',
      calls: [{ method: 'hedging-distribution', args: { items: runIds.map((runId) => ({ runId, array: 'pnl' })) } }],
      before: () => hedgingDistribution(ws.db, { items: runIds.map((runId) => ({ runId, array: 'pnl' })) }),
    },
    {
      name: `orderbook-paths-get (${pages.length} pages of ${pageLimit} windows)`,
      calls: pages.map((args) => ({ method: 'orderbook-paths-get', args })),
      before: () => pages.forEach((p) => JSON.stringify(pathsPageRead(ws.db, p).result)),
    },
  ];
  // 'after' first: the 'before' reads allocate large arrays on this thread, whose later collection would be
  // counted as a stall of the host
  const after: Array<{ heavyMs: number; maxPingMs: number; p99PingMs: number; pings: number; largest: number }> = [];
  for (const c of cases) {
    const { result, heavyMs, maxPingMs, p99PingMs, pings } = await stallDuring(() => callsFromAnotherThread(host.port, host.token, c.calls), ping);
    const bad = result.find((r) => !r.head.startsWith(`{"id":`) || !r.head.includes('"ok":true'));
    if (bad) throw new Error(`${c.name} failed: ${bad.head}`);
    after.push({ heavyMs, maxPingMs, p99PingMs, pings, largest: Math.max(...result.map((r) => r.bytes)) });
  }
  const h0 = performance.now();
  await callsFromAnotherThread(host.port, host.token, cases[0].calls);
  const hitMs = performance.now() - h0;
  cases.forEach((c, i) => {
    const b0 = performance.now();
    c.before();
    const beforeMs = performance.now() - b0;
    const a = after[i];
    console.log(
      `${c.name}: on the request thread (before) blocks ${ms(beforeMs)}; through the host ${ms(a.heavyMs)}, ` +
        `longest system-info meanwhile ${a.maxPingMs.toFixed(1)} ms (p99 ${a.p99PingMs.toFixed(1)} ms, ${a.pings} answers), largest reply ${MiB(a.largest)}`,
    );
  });
  console.log(`runs-distribution again (cache hit, incl. a client thread's start-up): ${ms(hitMs)}`);

  const whole = await other.call('orderbook-paths-get', { pathSetId: 'ps-bench-host-0001', split: 'train', limit: Math.min(WINDOWS, 200_000) });
  console.log(`orderbook-paths-get limit ${WINDOWS}: ${whole.reply.ok ? 'ok' : `${whole.reply.error!.code}: ${whole.reply.error!.message}`} (${whole.bytes} bytes); host alive: ${(await ping()).ms.toFixed(1)} ms`);
  console.log(`load average: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  other.close();
  await host.close();
  await ws.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
