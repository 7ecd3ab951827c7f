import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError } from '../../src-shared/api/errors';
import { type DatasetDetail, type ImportMetrics, type InspectResult, MAX_UPLOAD_FILES, type OrderbookResponses } from '../../src-shared/orderbook/contract';
import { dispatch } from '../../src-main/host/dispatch';
import { type Workstation } from '../../src-main/workstation';
import { openWorkstation } from '../helpers/host';
import { writePair } from '../helpers/lobster';
import { tempDir } from '../helpers/tmp';

/**
 * Several files uploaded together (issue 15's loose end: a LOBSTER pair could only be imported by path): each
 * upload after the first names the folder the first one made, the folder is inspected and imported as LOBSTER
 * pairs, and the per-file, per-folder and work-guard limits hold. The pair is test/helpers/lobster.ts's (11
 * messages, 9 rows stored, 3 buckets of 600 s).
 */

type Upload = OrderbookResponses['orderbook-upload'];
let ws: Workstation;
let dataDir: string;
let files: string;
beforeAll(async () => {
  dataDir = tempDir('hw-ob-upload-');
  files = tempDir('hw-ob-upload-files-');
  ws = await openWorkstation({ dataDir });
});
afterAll(async () => {
  await ws?.close();
});

async function call<T>(method: string, args: unknown, w: Workstation = ws): Promise<T> {
  const r = await dispatch(w.handlers, 1, method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
}
async function fails(method: string, args: unknown, w: Workstation = ws): Promise<AppError> {
  const r = await dispatch(w.handlers, 1, method, args);
  if (r.ok) throw new Error(`${method} should have failed`);
  return r.error;
}
const b64 = (path: string): string => readFileSync(path).toString('base64');
const name = (path: string): string => path.split('/').pop()!;

describe('uploading several files into one folder', () => {
  it('uploads a LOBSTER pair in two calls, inspects the folder as one pair and imports it by ticker', async () => {
    const pair = writePair(join(files, 'pair'), { ticker: 'MSFT' });
    const first = await call<Upload>('orderbook-upload', { name: name(pair.message), dataBase64: b64(pair.message) });
    expect(first).toMatchObject({ files: 1, bytes: readFileSync(pair.message).length });
    expect(first.folderPath.startsWith(join(dataDir, 'orderbook-uploads'))).toBe(true);
    const second = await call<Upload>('orderbook-upload', { name: name(pair.orderbook), dataBase64: b64(pair.orderbook), folder: first.folder });
    expect(second).toMatchObject({ folder: first.folder, folderPath: first.folderPath, files: 2, folderBytes: first.bytes + second.bytes });
    const insp = await call<InspectResult>('orderbook-inspect', { path: second.folderPath });
    expect(insp.kind).toBe('folder');
    expect(insp.lobster?.map((p) => p.stockName)).toEqual(['MSFT']);
    const { runId } = await call<{ runId: string }>('orderbook-import', { path: second.folderPath, label: 'uploaded pair' });
    await ws.jobs.idle();
    const run = ws.runs.get(runId)!;
    expect(run.status, run.error?.message).toBe('done');
    const m = run.metrics as ImportMetrics;
    expect(m).toMatchObject({ rows: 11, acceptedRows: 9, buckets: 3, files: 2 });
    const d = await call<DatasetDetail>('orderbook-dataset-get', { datasetId: m.datasetId });
    expect(d.source).toBe('lobster');
    expect(d.stocksTable.map((s) => s.name)).toEqual(['MSFT']);
    expect(existsSync(first.folderPath)).toBe(false); // the upload folder is removed once imported
  });

  it('a message file uploaded alone is refused at inspection: no orderbook file for it', async () => {
    const pair = writePair(join(files, 'alone'), { ticker: 'IBM' });
    const up = await call<Upload>('orderbook-upload', { name: name(pair.message), dataBase64: b64(pair.message) });
    const e = await fails('orderbook-inspect', { path: up.path });
    expect(e.code).toBe('ORDERBOOK_BAD_INPUT');
    expect(e.message).toMatch(/^IBM_2012-06-21_34200000_57600000_message_2\.csv: no orderbook file for this LOBSTER message file: its pair IBM_2012-06-21_34200000_57600000_orderbook_2\.csv/);
    expect(e.message).toMatch(/or upload them together$/);
  });

  it('keeps the limits: per folder files and bytes, names, unknown folders', async () => {
    const small = Buffer.from('1,2,3\n').toString('base64');
    const first = await call<Upload>('orderbook-upload', { name: 'f1.csv', dataBase64: small });
    for (let i = 2; i <= MAX_UPLOAD_FILES; i++) await call<Upload>('orderbook-upload', { name: `f${i}.csv`, dataBase64: small, folder: first.folder });
    const tooMany = await fails('orderbook-upload', { name: 'one-more.csv', dataBase64: small, folder: first.folder });
    expect(tooMany.code).toBe('UPLOAD_TOO_MANY_FILES');
    expect(tooMany.message).toContain(`at most ${MAX_UPLOAD_FILES} files can be uploaded together`);
    const again = await fails('orderbook-upload', { name: 'f2.csv', dataBase64: small, folder: first.folder });
    expect(again).toMatchObject({ code: 'UPLOAD_NAME_TAKEN', fields: [{ field: 'name', value: 'f2.csv' }] });
    const gone = await fails('orderbook-upload', { name: 'x.csv', dataBase64: small, folder: '00000000-0000-4000-8000-000000000000' });
    expect(gone).toMatchObject({ type: 'not-found', code: 'UPLOAD_FOLDER_NOT_FOUND' });
    const notAnId = await fails('orderbook-upload', { name: 'x.csv', dataBase64: small, folder: '../../etc' });
    expect(notAnId.fields?.[0]).toMatchObject({ field: 'folder' });
  });

  it('the work guard counts the whole folder on disk', async () => {
    const dir2 = tempDir('hw-ob-upload-guard-');
    writeFileSync(join(dir2, 'limits.json'), JSON.stringify({ maxDiskGB: 2e-6 })); // 2,000 bytes
    const w2 = await openWorkstation({ dataDir: dir2 });
    try {
      const kb = (n: number): string => Buffer.alloc(n, 0x31).toString('base64');
      const first = await call<Upload>('orderbook-upload', { name: 'a.csv', dataBase64: kb(1500) }, w2);
      const over = await fails('orderbook-upload', { name: 'b.csv', dataBase64: kb(1000), folder: first.folder }, w2);
      expect(over.code).toBe('TOO_MUCH_WORK');
      expect(over.message).toMatch(/2\.5 kB on disk is over the limit of 2\.0 kB/);
      expect(existsSync(join(first.folderPath, 'b.csv'))).toBe(false);
      // alone, the same file is within the limit
      await call<Upload>('orderbook-upload', { name: 'b.csv', dataBase64: kb(1000) }, w2);
    } finally {
      await w2.close();
    }
  });
});
