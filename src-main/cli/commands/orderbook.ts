import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readFinishedRun } from '../../../src-shared/api/jobs';
import { type DatasetSummary } from '../../../src-shared/orderbook/contract';
import { dispatch } from '../../host/dispatch';
import { fail, fmt, num, openCliWorkstation, printTable, reportError, runToEnd } from '../common';

export const usage = `orderbook import PATH [options] [--json]     import a book file or folder (Parquet or CSV)
  --skip-bad-rows         import the good rows and report the dropped ones (default: all or nothing)
  --map JSON|@FILE        column mapping for generic books, e.g. '{"layout":"generic","levels":1,
                          "timestamp":"ts","bidPrice":["bp"],"bidSize":["bq"],"askPrice":["ap"],"askSize":["aq"]}'
  --stock-id N            stock id for files without stock_id=N in their path
  --bucket-seconds S      LOBSTER pairs: bucket length on the session clock (default 600)
  --label TEXT            data set label
orderbook paths DATASET [options] [--json]  hedging windows from a data set's WAP series (DATASET: id, id prefix or label)
  --steps N               steps per window (n + 1 points)            (default 30)
  --interval S            seconds between points                     (default 10)
  --wap all|level1        all-level WAP (source eqs. 31-33) or level-1 (default all)
  --windows bucket|rolling  inside each bucket, or across joined buckets (default bucket)
  --stride N              points between window starts               (default: steps)
  --train F               share of time (by time_id) for training    (default 0.8)
  --stocks 1,2,5          only these stocks                          (default all)
  --label TEXT            path set label
orderbook list [--json]                     the stored data sets
  --data-dir DIR          store location (default: the app's, or HEDGE_DATA_DIR)`;

/** `cli orderbook import|paths|list …`: the same handlers and jobs as the app. */
export async function orderbook(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'import') return importCommand(rest);
  if (sub === 'paths') return pathsCommand(rest);
  if (sub === 'list') return listCommand(rest);
  fail(`orderbook: unknown sub-command ${JSON.stringify(sub ?? '')}\n\n${usage}`);
}

type Options = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

function parse(argv: string[], options: Options): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options: { ...options, 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    return fail(`${(e as Error).message}\n\n${usage}`);
  }
}

async function importCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, {
    'skip-bad-rows': { type: 'boolean', default: false },
    map: { type: 'string' },
    'stock-id': { type: 'string' },
    'bucket-seconds': { type: 'string' },
    label: { type: 'string' },
  });
  const json = values.json as boolean;
  if (positionals.length !== 1) fail(`orderbook import needs exactly one PATH\n\n${usage}`);
  let mapping: unknown;
  if (typeof values.map === 'string') {
    const text = values.map.startsWith('@') ? readFileSync(values.map.slice(1), 'utf8') : values.map;
    try {
      mapping = JSON.parse(text);
    } catch (e) {
      reportError({ type: 'validation', code: 'INVALID_INPUT', message: `--map is not valid JSON: ${(e as Error).message}` }, json);
    }
  }
  const args = {
    path: positionals[0],
    ...(mapping !== undefined ? { mapping } : {}),
    ...(values['skip-bad-rows'] ? { skipBadRows: true } : {}),
    ...(values['stock-id'] !== undefined ? { stockId: num(values['stock-id'] as string) } : {}),
    ...(values['bucket-seconds'] !== undefined ? { bucketSeconds: num(values['bucket-seconds'] as string) } : {}),
    ...(values.label ? { label: values.label } : {}),
  };
  const { run, dataDir, totalSeconds } = await runToEnd('orderbook-import', args, { dataDir: values['data-dir'] as string | undefined, json });
  const m = readFinishedRun(run, 'orderbook-import').metrics;
  if (json) {
    process.stdout.write(`${JSON.stringify({ runId: run.id, ...m, totalSeconds, dataDir })}\n`);
    return;
  }
  printTable([
    ['data set', m.datasetId + (m.duplicateOf ? ' (already imported: nothing new stored)' : '')],
    ['files', `${m.files} (${m.format}, ${(m.bytes / 1e6).toFixed(1)} MB)`],
    ['rows read', m.rows],
    ['rows stored', m.acceptedRows],
    ['rows rejected', `${m.rejectedRows}${m.rejectedRows ? ` (${Object.entries(m.rejectReasons).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`],
    ['stocks / buckets', `${m.stocks} / ${m.buckets}`],
    ...(m.duplicateTimes?.count
      ? ([['duplicate timestamps', `${m.duplicateTimes.count} rows repeat the previous row's time (kept)${m.duplicateTimes.first ? `; first: ${m.duplicateTimes.first.file}, row ${m.duplicateTimes.first.row}, stock ${m.duplicateTimes.first.stockId}, time_id ${m.duplicateTimes.first.timeId}` : ''}`]] as Array<[string, string]>)
      : []),
    ['seconds', m.seconds],
    ['rows per second', Math.round(m.rowsPerSec)],
    ['reader', m.reader],
  ]);
  for (const ex of m.rejectExamples.slice(0, 5)) process.stdout.write(`  e.g. ${ex.file}, row ${ex.row}, ${ex.column}: ${ex.message}\n`);
  for (const s of m.skippedFiles) process.stdout.write(`  skipped ${s.path}: ${s.reason}\n`);
}

async function listDatasets(dataDir: string | undefined): Promise<DatasetSummary[]> {
  const { ws } = await openCliWorkstation(dataDir);
  try {
    const r = await dispatch(ws.handlers, 1, 'orderbook-datasets', {});
    if (!r.ok) return reportError(r.error, false);
    return r.result as DatasetSummary[];
  } finally {
    await ws.close();
  }
}

async function pathsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, {
    steps: { type: 'string', default: '30' },
    interval: { type: 'string' },
    wap: { type: 'string' },
    windows: { type: 'string' },
    stride: { type: 'string' },
    train: { type: 'string' },
    stocks: { type: 'string' },
    label: { type: 'string' },
  });
  const json = values.json as boolean;
  if (positionals.length !== 1) fail(`orderbook paths needs exactly one DATASET (id, id prefix or label)\n\n${usage}`);
  const want = positionals[0];
  const all = await listDatasets(values['data-dir'] as string | undefined);
  const hits = all.filter((d) => d.id === want || d.label === want);
  const byPrefix = hits.length ? hits : all.filter((d) => d.id.startsWith(want));
  if (byPrefix.length !== 1) {
    reportError(
      {
        type: byPrefix.length ? 'validation' : 'not-found',
        code: byPrefix.length ? 'AMBIGUOUS_DATASET' : 'DATASET_NOT_FOUND',
        message: byPrefix.length
          ? `${JSON.stringify(want)} matches ${byPrefix.length} data sets (${byPrefix.map((d) => d.id.slice(0, 8)).join(', ')}); give more of the id`
          : `no data set ${JSON.stringify(want)}; \`orderbook list\` shows the stored ones`,
      },
      json,
    );
  }
  const args = {
    datasetId: byPrefix[0].id,
    steps: num(values.steps as string),
    ...(values.interval !== undefined ? { intervalSeconds: num(values.interval as string) } : {}),
    ...(values.wap !== undefined ? { wap: values.wap } : {}),
    ...(values.windows !== undefined ? { windows: values.windows } : {}),
    ...(values.stride !== undefined ? { stride: num(values.stride as string) } : {}),
    ...(values.train !== undefined ? { trainFraction: num(values.train as string) } : {}),
    ...(values.stocks !== undefined ? { stocks: (values.stocks as string).split(',').map((s) => num(s.trim())) } : {}),
    ...(values.label ? { label: values.label } : {}),
  };
  const { run, dataDir, totalSeconds } = await runToEnd('orderbook-build-paths', args, { dataDir: values['data-dir'] as string | undefined, json });
  const m = readFinishedRun(run, 'orderbook-paths').metrics;
  if (json) {
    process.stdout.write(`${JSON.stringify({ runId: run.id, ...m, totalSeconds, dataDir })}\n`);
    return;
  }
  printTable([
    ['path set', m.pathSetId],
    ['data set', m.datasetId],
    ['steps x interval', `${m.steps} x ${fmt(m.intervalSeconds)} s`],
    ['train / test windows', `${m.train} / ${m.test}`],
    ['dropped at the cut', m.dropped],
    ['sigma train (annual)', m.sigmaTrain],
    ['sigma test (annual)', m.sigmaTest],
    ['seconds', m.seconds],
  ]);
}

async function listCommand(argv: string[]): Promise<void> {
  const { values } = parse(argv, {});
  const all = await listDatasets(values['data-dir'] as string | undefined);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(all)}\n`);
    return;
  }
  if (all.length === 0) process.stdout.write('no data sets\n');
  for (const d of all) {
    process.stdout.write(`${d.id}  ${d.label}  ${d.stocks} stocks, ${d.buckets} buckets, ${d.rows} rows, rv median ${d.rv.median === null ? '—' : fmt(d.rv.median)}\n`);
  }
}
