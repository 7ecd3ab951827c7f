import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEFAULT_GENERATOR } from '../engine/orderbook/generator';
import { writeGeneratedBooks } from '../domains/orderbook/io/writeBooks';
import { writeLobsterPair } from '../domains/orderbook/io/writeLobster';
import { DEFAULT_LOBSTER_GENERATOR } from '../engine/orderbook/lobsterGenerator';

/**
 * `npm run gen:orderbook -- --stocks N --buckets M --format parquet|csv --out DIR [options]`: synthetic order
 * books in the competition layout (or a generic level-k layout), see engine/orderbook/generator.ts.
 */
const USAGE = `usage: npm run gen:orderbook -- --stocks N --buckets M --format parquet|csv --out DIR [options]
       npm run gen:orderbook -- --format lobster --events N --out DIR [--levels L] [--ticker T] [--date D] [--separator ';']
  --stocks N            stocks (one file each)                      (default ${DEFAULT_GENERATOR.stocks})
  --buckets M           600-second buckets per stock                (default ${DEFAULT_GENERATOR.buckets})
  --format F            parquet, csv or lobster (a LOBSTER pair)    (default parquet)
  --events N            lobster: messages in the pair               (default 100000)
  --ticker T            lobster: ticker in the file names           (default SYNTH)
  --date D              lobster: YYYY-MM-DD in the file names       (default 2024-01-02)
  --start-ms / --end-ms lobster: session, ms after midnight          (default 34200000 / 57600000)
  --separator S         lobster: , or ;                             (default ,)
  --out DIR             output folder (required)
  --layout L            competition or generic                      (default competition)
  --levels K            book levels (competition: 2)                (default 2; generic 3; lobster 10)
  --intensity X         mean book updates per second (0, 1]         (default ${DEFAULT_GENERATOR.intensity})
  --missing P           probability a deeper level is missing       (default ${DEFAULT_GENERATOR.missingLevelProb})
  --seed S              random seed                                 (default ${DEFAULT_GENERATOR.seed})
  --row-group N         Parquet rows per row group                  (default 500000)
  --json                print one JSON object`;

function fail(msg: string): never {
  process.stderr.write(`${msg}\n\n${USAGE}\n`);
  process.exit(2);
}

function int(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (!Number.isInteger(x) || x < min || x > max) fail(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`);
  return x;
}

function real(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (!Number.isFinite(x) || x < min || x > max) fail(`--${name} must be a number from ${min} to ${max} (got ${JSON.stringify(v)})`);
  return x;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        stocks: { type: 'string' },
        buckets: { type: 'string' },
        format: { type: 'string', default: 'parquet' },
        out: { type: 'string' },
        layout: { type: 'string', default: 'competition' },
        levels: { type: 'string' },
        intensity: { type: 'string' },
        missing: { type: 'string' },
        seed: { type: 'string' },
        'row-group': { type: 'string' },
        events: { type: 'string' },
        ticker: { type: 'string', default: 'SYNTH' },
        date: { type: 'string', default: '2024-01-02' },
        'start-ms': { type: 'string' },
        'end-ms': { type: 'string' },
        separator: { type: 'string', default: ',' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.out) fail('--out DIR is required');
  if (values.format === 'lobster') return lobster(values);
  if (values.format !== 'parquet' && values.format !== 'csv') fail(`--format must be parquet, csv or lobster (got ${JSON.stringify(values.format)})`);
  if (values.layout !== 'competition' && values.layout !== 'generic') fail(`--layout must be competition or generic (got ${JSON.stringify(values.layout)})`);
  const layout = values.layout;
  const levels = layout === 'competition' ? int('levels', values.levels, 2, 2, 2) : int('levels', values.levels, 3, 1, 10);
  const opts = {
    ...DEFAULT_GENERATOR,
    stocks: int('stocks', values.stocks, DEFAULT_GENERATOR.stocks, 1, 10_000),
    buckets: int('buckets', values.buckets, DEFAULT_GENERATOR.buckets, 1, 1_000_000),
    seed: int('seed', values.seed, DEFAULT_GENERATOR.seed, 0, 2 ** 32 - 1),
    layout,
    levels,
    intensity: real('intensity', values.intensity, DEFAULT_GENERATOR.intensity, 0.001, 1),
    missingLevelProb: real('missing', values.missing, DEFAULT_GENERATOR.missingLevelProb, 0, 0.5),
    format: values.format,
    out: resolve(values.out),
    rowGroupSize: int('row-group', values['row-group'], 500_000, 1000, 100_000_000),
  } as const;
  const t0 = performance.now();
  const tty = !values.json && process.stderr.isTTY;
  const result = await writeGeneratedBooks({
    ...opts,
    onProgress: tty ? (rows, stock) => process.stderr.write(`\rstock ${stock + 1}/${opts.stocks}: ${rows.toLocaleString('en-US')} rows`) : undefined,
  });
  if (tty) process.stderr.write('\n');
  const seconds = (performance.now() - t0) / 1000;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...result, out: opts.out, format: opts.format, layout, seconds })}\n`);
    return;
  }
  process.stdout.write(
    `wrote ${result.files.length} ${opts.format} file(s), ${result.rows.toLocaleString('en-US')} rows, ${(result.bytes / 1e6).toFixed(1)} MB to ${opts.out} in ${seconds.toFixed(1)} s\n`,
  );
}

/** `--format lobster`: one LOBSTER pair (message + orderbook file), see engine/orderbook/lobsterGenerator.ts. */
async function lobster(values: Record<string, string | boolean | undefined>): Promise<void> {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const ticker = str('ticker')!;
  if (!/^[A-Za-z0-9.-]{1,12}$/.test(ticker)) fail(`--ticker must be 1-12 letters, digits, . or - (got ${JSON.stringify(ticker)})`);
  const date = str('date')!;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail(`--date must be YYYY-MM-DD (got ${JSON.stringify(date)})`);
  const separator = str('separator');
  if (separator !== ',' && separator !== ';') fail(`--separator must be , or ; (got ${JSON.stringify(separator)})`);
  const startMs = int('start-ms', str('start-ms'), DEFAULT_LOBSTER_GENERATOR.startMs, 0, 86_400_000);
  const endMs = int('end-ms', str('end-ms'), DEFAULT_LOBSTER_GENERATOR.endMs, startMs + 60_000, 86_400_000);
  const opts = {
    ...DEFAULT_LOBSTER_GENERATOR,
    seed: int('seed', str('seed'), DEFAULT_LOBSTER_GENERATOR.seed, 0, 2 ** 32 - 1),
    levels: int('levels', str('levels'), DEFAULT_LOBSTER_GENERATOR.levels, 1, 50),
    events: int('events', str('events'), DEFAULT_LOBSTER_GENERATOR.events, 1, 1_000_000_000),
    missingLevelProb: real('missing', str('missing'), DEFAULT_LOBSTER_GENERATOR.missingLevelProb, 0, 0.5),
    startMs,
    endMs,
    out: resolve(str('out')!),
    ticker,
    date,
    separator: separator as ',' | ';',
  };
  const t0 = performance.now();
  const tty = !values.json && process.stderr.isTTY;
  const r = await writeLobsterPair({ ...opts, onProgress: tty ? (n) => process.stderr.write(`\r${n.toLocaleString('en-US')} messages`) : undefined });
  if (tty) process.stderr.write('\n');
  const seconds = (performance.now() - t0) / 1000;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...r, rows: r.messages, files: [r.message, r.orderbook], out: opts.out, format: 'lobster', levels: opts.levels, seconds })}\n`);
    return;
  }
  process.stdout.write(`wrote a LOBSTER pair, ${r.messages.toLocaleString('en-US')} messages at ${opts.levels} levels, ${(r.bytes / 1e6).toFixed(1)} MB to ${opts.out} in ${seconds.toFixed(1)} s\n`);
}

main().catch((e) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
