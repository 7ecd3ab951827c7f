import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEFAULT_GENERATOR } from '../engine/orderbook/generator';
import { writeGeneratedBooks } from '../domains/orderbook/io/writeBooks';

/**
 * `npm run gen:orderbook -- --stocks N --buckets M --format parquet|csv --out DIR [options]`: synthetic order
 * books in the competition layout (or a generic level-k layout), see engine/orderbook/generator.ts.
 */
const USAGE = `usage: npm run gen:orderbook -- --stocks N --buckets M --format parquet|csv --out DIR [options]
  --stocks N            stocks (one file each)                      (default ${DEFAULT_GENERATOR.stocks})
  --buckets M           600-second buckets per stock                (default ${DEFAULT_GENERATOR.buckets})
  --format F            parquet or csv                              (default parquet)
  --out DIR             output folder (required)
  --layout L            competition or generic                      (default competition)
  --levels K            book levels (competition: 2)                (default 2; generic 3)
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
  if (values.format !== 'parquet' && values.format !== 'csv') fail(`--format must be parquet or csv (got ${JSON.stringify(values.format)})`);
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

main().catch((e) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
