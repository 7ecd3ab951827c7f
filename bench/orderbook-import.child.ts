/**
 * One import in a fresh process, for bench/orderbook.bench.ts: the app's own path (handler -> job worker ->
 * staging -> one transaction), so the peak resident memory is that of an import and nothing else.
 * Usage: tsx bench/orderbook-import.child.ts DATA_DIR PATH; prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { type ImportMetrics } from '../src-shared/orderbook/contract';
import { dispatch } from '../src-main/host/dispatch';
import { createWorkstation } from '../src-main/workstation';

async function main(): Promise<void> {
  const [dataDir, path] = process.argv.slice(2);
  const ws = await createWorkstation({ dataDir, workerPath: join(__dirname, '..', 'src-main', 'app', 'worker.ts'), transport: 'browser', appVersion: 'bench', probe: false });
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await dispatch(ws.handlers, 1, 'orderbook-import', { path });
  if (!r.ok) throw new Error(r.error.message);
  const { runId } = r.result as { runId: string };
  await ws.jobs.idle();
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  clearInterval(sample);
  const run = ws.runs.get(runId)!;
  await ws.close();
  if (run.status !== 'done') throw new Error(`import ${run.status}: ${run.error?.message}`);
  const m = run.metrics as ImportMetrics;
  process.stdout.write(
    `${JSON.stringify({
      metrics: m,
      wallSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMB: Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20,
      sampledPeakRssMB: peak / 2 ** 20,
    })}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
