/**
 * Parser-thread CPU for a LOBSTER pair, old path against new, in one process (issue 15): every 1 MB chunk of
 * both files (cut at line ends as csvReader.ts cuts them) through parseCsvChunk (csvTask.ts) with uDSV + the
 * record converter, then with the byte-level parser (csvBytes.ts), three rounds; prints CPU ms and us/event.
 * Usage: npx tsx bench/lobster-parse.bench.ts DIR (a folder holding one pair, e.g. from
 * `npm run gen:orderbook -- --format lobster --events 300000 --out DIR`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ConvertSpec } from '../src-main/domains/orderbook/io/csvConvert';
import { parseCsvChunk } from '../src-main/domains/orderbook/io/csvTask';
import { LOBSTER_MESSAGE_COLUMNS, lobsterBookColumns } from '../src-main/engine/orderbook/lobster';

const dir = process.argv[2];
if (!dir) throw new Error('usage: npx tsx bench/lobster-parse.bench.ts DIR (a folder with one LOBSTER pair)');
const names = readdirSync(dir);
const book = names.find((n) => /_orderbook_\d+\.csv$/.test(n));
const message = names.find((n) => /_message_\d+\.csv$/.test(n));
if (!book || !message) throw new Error(`${dir}: no LOBSTER pair (*_message_L.csv and *_orderbook_L.csv) found`);
const L = Number(/_orderbook_(\d+)\.csv$/.exec(book)![1]);
const chunks: Array<{ bytes: Buffer; spec: ConvertSpec; delimiter: string }> = [];
let events = 0;
for (const [name, columns] of [[book, lobsterBookColumns(L)], [message, [...LOBSTER_MESSAGE_COLUMNS]]] as const) {
  const all = readFileSync(join(dir, name));
  const first = all.subarray(0, all.indexOf(10)).toString();
  const delimiter = first.includes(';') ? ';' : ',';
  const spec = { columns: [...columns], width: first.split(delimiter).length, timestampRole: -1, timestampScale: 1 };
  for (let p = 0; p < all.length; ) {
    const nl = all.lastIndexOf(10, p + (1 << 20));
    const end = nl < p || p + (1 << 20) >= all.length ? all.length : nl + 1;
    chunks.push({ bytes: all.subarray(p, end), spec, delimiter });
    p = end;
  }
}

async function run(numericGrid: boolean): Promise<{ ms: number; rows: number }> {
  const c0 = process.cpuUsage();
  let rows = 0;
  for (const c of chunks) {
    const out = await parseCsvChunk({ bytes: new Uint8Array(c.bytes), spec: { ...c.spec, numericGrid }, delimiter: c.delimiter, capacity: Math.ceil(c.bytes.length / 48) });
    if (out.via !== (numericGrid ? 'bytes' : 'udsv')) throw new Error(`a chunk went to ${out.via}`);
    rows += out.n;
  }
  const u = process.cpuUsage(c0);
  return { ms: (u.user + u.system) / 1e3, rows };
}

void (async () => {
  for (let i = 0; i < 3; i++) {
    const a = await run(false);
    const b = await run(true);
    events = b.rows / 2;
    console.log(
      `round ${i + 1}: uDSV + converter ${a.ms.toFixed(0)} ms CPU, byte-level ${b.ms.toFixed(0)} ms CPU for ${events.toLocaleString('en-US')} events` +
        ` (${((a.ms * 1e3) / events).toFixed(2)} vs ${((b.ms * 1e3) / events).toFixed(2)} us/event, x${(a.ms / b.ms).toFixed(1)})`,
    );
  }
})();
