/**
 * Where a LOBSTER import spends its CPU, per thread (issue 15): imports one folder of pairs in this process
 * through the job's own code (importBooks -> importLobster: hashing, parser threads, conversion, accumulator,
 * staging, the one store transaction) into a fresh temp data folder, and prints wall seconds, the process's CPU
 * seconds (all threads), each thread's CPU seconds (Linux: /proc/self/task/<tid>/stat, utime + stime), events
 * per second and per CPU-second, and the peak RSS.
 * Usage: npx tsx bench/lobster-import.profile.ts DIR [--repeat N] (DIR from `npm run gen:orderbook -- --format
 * lobster --events N --out DIR`). Add `node --cpu-prof --cpu-prof-dir=D --import tsx` for V8 profiles of every
 * thread.
 */
import { readFileSync, readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { importBooks } from '../src-main/domains/orderbook/importJob';
import { openDb } from '../src-main/store/db';

const TICK = 100; // USER_HZ on Linux

function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      out.set(`${tid} ${name}`, (Number(f[11]) + Number(f[12])) / TICK);
    }
  } catch {
    /* not Linux */
  }
  return out;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { repeat: { type: 'string', default: '1' } } });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: npx tsx bench/lobster-import.profile.ts DIR [--repeat N]');
  let peak = 0;
  // Threads that end during the import (the parser pool) leave /proc: keep each thread's last reading.
  let seen = new Map<string, number>();
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    for (const [k, v] of threadCpu()) seen.set(k, v);
  }, 250);
  for (let r = 0; r < Number(values.repeat); r++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'hw-lobster-profile-'));
    const db = openDb({ dataDir });
    const load = loadavg().map((x) => x.toFixed(2)).join(' ');
    const before = threadCpu();
    seen = new Map(before);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    // As a job: a running run row, so the import writes its buckets straight into the store (lobsterImport.ts).
    const runId = `profile-${r}`;
    db.prepare(`INSERT INTO runs (id, kind, model, status, config_json, seed, created_at) VALUES (?, 'orderbook-import', 'orderbook', 'running', '{}', 0, ?)`).run(runId, Date.now());
    const { metrics } = await importBooks({ path: dir }, { hooks: {}, dataDir, runId }, db);
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    for (const [k, v] of threadCpu()) seen.set(k, v);
    const after = seen;
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
    const cpu = (c.user + c.system) / 1e6;
    const n = metrics.rows;
    console.log(
      `run ${r + 1}: ${n.toLocaleString('en-US')} events in ${wall.toFixed(2)} s wall = ${Math.round(n / wall).toLocaleString('en-US')} events/s; ` +
        `${cpu.toFixed(2)} CPU-s = ${Math.round(n / cpu).toLocaleString('en-US')} events per CPU-second (${((cpu * 1e6) / n).toFixed(2)} us/event); ` +
        `store ${metrics.storeSeconds?.toFixed(2)} s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MB; load ${load}`,
    );
    // Groups: this thread (the job's), threads started during the import (the parser pool), the rest (V8's GC
    // and compiler helpers, libuv's file I/O).
    const delta = (k: string): number => (after.get(k) ?? 0) - (before.get(k) ?? 0);
    const self = [...after.keys()].find((k) => k.startsWith(`${process.pid} `));
    const started = [...after.keys()].filter((k) => !before.has(k));
    const rest = [...after.keys()].filter((k) => before.has(k) && k !== self);
    const sum = (ks: string[]): number => ks.reduce((a, k) => a + delta(k), 0);
    const us = (v: number): string => `${v.toFixed(2)} CPU-s (${((v * 1e6) / n).toFixed(2)} us/event)`;
    console.log(`  job thread ${us(self ? delta(self) : NaN)}; parser threads (${started.length}) ${us(sum(started))}; V8 helpers + libuv ${us(sum(rest))}`);
  }
  clearInterval(sample);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
