import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { toAppError } from '../../../src-shared/api/errors';
import { readFinishedRun } from '../../../src-shared/api/jobs';
import { orderbookSchemas, type DatasetSummary, type StockSummary } from '../../../src-shared/orderbook/contract';
import { WAP_EXPORT_COLUMNS, wapExportMeta } from '../../../src-shared/orderbook/wapExport';
import { forEachWapRow } from '../../domains/orderbook/analysisReads';
import { orderbookQueries } from '../../store/queries/orderbook';
import { dispatch } from '../../host/dispatch';
import { fail, fmt, num, openCliWorkstation, printTable, reportError, runToEnd } from '../common';
import { annualisedText } from '../../../src-shared/orderbook/timeUnitsText';

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
orderbook wap DATASET [options]             the previous-tick WAP of one stock on a uniform grid (one row per grid time)
  --stock ID|TICKER       the stock (default: the data set's only stock)
  --interval S            seconds between grid times (required)
  --wap all|level1        all-level WAP (source eqs. 31-33) or level-1  (default all)
  --csv | --json          CSV (session,seconds,wap; the default) or one JSON object of columns
  --out FILE              write to FILE (with the CSV, its metadata in FILE.json) instead of stdout
orderbook list [--json]                     the stored data sets
  --data-dir DIR          store location (default: the app's, or HEDGE_DATA_DIR)`;

/** `cli orderbook import|paths|wap|list …`: the same handlers and jobs as the app. */
export async function orderbook(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'import') return importCommand(rest);
  if (sub === 'paths') return pathsCommand(rest);
  if (sub === 'list') return listCommand(rest);
  if (sub === 'wap') return wapCommand(rest);
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

/** The data set a DATASET argument names: an id, a label or an id prefix that matches exactly one. */
async function resolveDataset(want: string, dataDir: string | undefined, json: boolean): Promise<DatasetSummary> {
  const all = await listDatasets(dataDir);
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
  return byPrefix[0];
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
  const dataset = await resolveDataset(positionals[0], values['data-dir'] as string | undefined, json);
  const args = {
    datasetId: dataset.id,
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
    process.stdout.write(`${d.id}  ${d.label}  ${d.stocks} stocks, ${d.buckets} buckets, ${d.rows} rows, rv median ${d.rv.median === null ? '—' : fmt(d.rv.median)} (${annualisedText(d.timeUnits)})\n`);
  }
}

/** The stock a --stock flag names: its id, or a ticker when the data set's stocks carry one; the only stock when left out. */
function resolveStock(want: string | undefined, stocks: Array<StockSummary & { ticker?: string | null }>, dataset: DatasetSummary, json: boolean): number {
  const list = stocks.map((s) => (s.ticker ? `${s.stockId} (${s.ticker})` : String(s.stockId))).join(', ');
  if (want === undefined) {
    if (stocks.length === 1) return stocks[0].stockId;
    return reportError({ type: 'validation', code: 'INVALID_INPUT', message: `data set ${dataset.label} has ${stocks.length} stocks; name one with --stock (${list})` }, json);
  }
  const hit = stocks.find((s) => String(s.stockId) === want.trim() || (s.ticker && s.ticker.toLowerCase() === want.trim().toLowerCase()));
  if (!hit) return reportError({ type: 'not-found', code: 'STOCK_NOT_FOUND', message: `stock ${JSON.stringify(want)} is not in data set ${dataset.label}; it has ${list}` }, json);
  return hit.stockId;
}

/** Flags of the request fields, for error messages. */
const WAP_FLAGS: Record<string, string> = { intervalSeconds: 'interval', stockId: 'stock', wap: 'wap', datasetId: 'DATASET' };

async function wapCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, {
    stock: { type: 'string' },
    interval: { type: 'string' },
    wap: { type: 'string' },
    csv: { type: 'boolean', default: false },
    out: { type: 'string' },
  });
  const json = values.json as boolean;
  if (positionals.length !== 1) fail(`orderbook wap needs exactly one DATASET (id, id prefix or label)\n\n${usage}`);
  if (json && values.csv) fail(`orderbook wap: give --csv or --json, not both\n\n${usage}`);
  if (values.interval === undefined) fail(`orderbook wap needs --interval S (seconds between grid times)\n\n${usage}`);
  const dataDir = values['data-dir'] as string | undefined;
  const dataset = await resolveDataset(positionals[0], dataDir, json);
  const { ws } = await openCliWorkstation(dataDir);
  try {
    const stockId = resolveStock(values.stock as string | undefined, orderbookQueries(ws.db).stocks(dataset.id), dataset, json);
    const raw = { datasetId: dataset.id, stockId, intervalSeconds: num(values.interval as string), ...(values.wap !== undefined ? { wap: values.wap } : {}) };
    const parsed = orderbookSchemas['orderbook-wap-export'].safeParse(raw);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        return { field: WAP_FLAGS[key] ?? key, message: i.message, value: (raw as Record<string, unknown>)[key] };
      });
      reportError({ type: 'validation', code: 'INVALID_INPUT', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields }, json);
    }
    const args = parsed.data;
    const out = typeof values.out === 'string' ? createWriteStream(values.out) : process.stdout;
    // stream the CSV in blocks; the JSON is one object of columns
    const session: Array<number | string> = [];
    const seconds: number[] = [];
    const wap: number[] = [];
    let block = json ? '' : `${WAP_EXPORT_COLUMNS.join(',')}\n`;
    const { ctx, rows } = forEachWapRow(ws.db, args, (k, t, v) => {
      if (json) {
        session.push(k);
        seconds.push(t);
        wap.push(v);
        return;
      }
      block += `${k},${t},${v}\n`;
      if (block.length > 1 << 16) {
        out.write(block);
        block = '';
      }
    });
    const meta = wapExportMeta({ datasetId: dataset.id, datasetLabel: dataset.label, stockId, wap: args.wap ?? 'all', intervalSeconds: args.intervalSeconds, timeUnits: ctx.units }, rows);
    if (json) block = `${JSON.stringify({ ...meta, timeUnits: ctx.units, rows, session, seconds, wap })}\n`;
    await new Promise<void>((res, rej) => out.write(block, (e) => (e ? rej(e) : res())));
    if (out !== process.stdout) {
      await new Promise<void>((res) => (out as ReturnType<typeof createWriteStream>).end(res));
      if (!json) writeFileSync(`${values.out as string}.json`, `${JSON.stringify({ file: basename(values.out as string), ...meta }, null, 2)}\n`);
      process.stderr.write(`${rows} rows written to ${values.out as string}${json ? '' : ` (metadata in ${values.out as string}.json)`}\n`);
    }
  } catch (e) {
    const err = toAppError(e);
    reportError({ ...err, ...(err.fields ? { fields: err.fields.map((f) => ({ ...f, field: WAP_FLAGS[f.field] ?? f.field })) } : {}) }, json);
  } finally {
    await ws.close();
  }
}
