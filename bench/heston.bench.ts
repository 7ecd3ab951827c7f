/**
 * Benchmark of the Heston engine: `npm run bench:heston` (tsx bench/heston.bench.ts).
 *
 * Issue 14's targets, each part in its own module under bench/heston/:
 *   - refs:  the 2-D ADI PDE reference for H1 (target < 5 s at the accuracy the tests use) and the semi-analytic
 *            European formula (scalar time, batch throughput);
 *   - osm:   H1 solved by OSM at the cpu preset (target < 3 min), with its errors against the PDE reference;
 *   - hedge: 4,096 paths at R = 50 with the five strategies (target < 30 s) and the PnL variance per strategy.
 * `npm run bench:heston -- refs hedge` runs only the named parts. Prints each part's figures and writes
 * bench/results/heston.json. Times are wall clock on whatever else the machine is doing (load average printed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PARTS = ['refs', 'osm', 'hedge'] as const;
type Part = (typeof PARTS)[number];

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !(PARTS as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts are ${PARTS.join(', ')}`);
  const parts: Part[] = asked.length ? (asked as Part[]) : [...PARTS];
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const results: Record<string, Record<string, number>> = {};
  for (const part of parts) {
    console.log(`\n== ${part} ==`);
    const mod = (await import(`./heston/${part}.ts`)) as { run: () => Promise<Record<string, number>> };
    results[part] = await mod.run();
    // every figure the part returned, also those it did not print itself
    for (const [k, v] of Object.entries(results[part])) console.log(`  ${k.padEnd(28)} ${Number.isInteger(v) ? v : v.toPrecision(6)}`);
  }
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'heston.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), load: loadavg(), results }, null, 2));
  console.log(`\nwrote ${out}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
