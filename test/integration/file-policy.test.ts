import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilePolicy } from '../../src-main/files/policy';
import { type Workstation } from '../../src-main/workstation';
import { type InspectResult } from '../../src-shared/orderbook/contract';
import { ROOT, openWorkstation } from '../helpers/host';
import { rpc } from '../helpers/rpc';
import { tempDir } from '../helpers/tmp';

/**
 * Issue 13 item 3: file access goes through one policy. With the browser-mode default (data folder + home,
 * no --allow-dir) `/etc/shadow`, `/` and a symlink out of an allowed folder are refused with FILE_NOT_ALLOWED
 * naming the path and `--allow-dir`; a file under an allowed folder is inspected as before. Before the policy,
 * `orderbook-inspect {path: "/etc/shadow"}` returned the file's first lines.
 */

const SAMPLE_CSV = join(ROOT, 'resources', 'samples', 'orderbook', 'book_train.csv', 'stock_id=0', 'part-0.csv');

let ws: Workstation;
let dataDir: string;
let outside: string;
const { call } = rpc(() => ws);

beforeAll(async () => {
  dataDir = tempDir('hw-policy-data-');
  outside = tempDir('hw-policy-outside-');
  // Only the data folder is allowed (no home: the tests may run as a user whose home holds /tmp).
  ws = await openWorkstation({ dataDir, files: new FilePolicy({ mode: 'roots', dataDir, home: false }) });
  mkdirSync(join(dataDir, 'books'));
  copyFileSync(SAMPLE_CSV, join(dataDir, 'books', 'stock_0.csv'));
  copyFileSync(SAMPLE_CSV, join(outside, 'secret.csv'));
  symlinkSync(join(outside, 'secret.csv'), join(dataDir, 'books', 'link.csv'));
  symlinkSync(outside, join(dataDir, 'linkdir'));
});
afterAll(async () => ws?.close());

async function refused(method: string, path: string): Promise<string> {
  const r = await call(method, { path });
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.error.type).toBe('validation');
  expect(r.error.code).toBe('FILE_NOT_ALLOWED');
  expect(r.error.fields?.[0].field).toBe('path');
  expect(r.error.message).toContain('--allow-dir');
  return r.error.message;
}

describe('file policy (browser mode)', () => {
  it('refuses /etc/shadow, / and /etc/passwd, quoting the path and how to allow it', async () => {
    expect(await refused('orderbook-inspect', '/etc/shadow')).toContain('"/etc/shadow"');
    expect(await refused('orderbook-inspect', '/')).toContain('"/"');
    await refused('orderbook-inspect', '/etc/passwd');
    await refused('orderbook-import', '/etc/shadow');
  });

  it('refuses a symlink inside an allowed folder that points outside it (file and folder)', async () => {
    await refused('orderbook-inspect', join(dataDir, 'books', 'link.csv'));
    await refused('orderbook-inspect', join(dataDir, 'linkdir', 'secret.csv'));
    await refused('orderbook-import', join(dataDir, 'linkdir'));
    // `..` out of the allowed folder is resolved before the check.
    await refused('orderbook-inspect', join(dataDir, '..', outside.split('/').pop()!, 'secret.csv'));
  });

  it('says "not allowed" (not "not found") for a missing path outside, so it reveals nothing about outside files', async () => {
    await refused('orderbook-inspect', join(outside, 'no-such-file.csv'));
    const r = await call('orderbook-inspect', { path: join(dataDir, 'no-such-file.csv') });
    expect(r.ok || r.error.code).toBe('PATH_NOT_FOUND');
  });

  it('inspects a file under an allowed folder; a folder walk skips the symlinks in it', async () => {
    const r = await call<InspectResult>('orderbook-inspect', { path: join(dataDir, 'books', 'stock_0.csv') });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.result.bookFiles).toBe(1);
    expect(r.result.mapping?.layout).toBe('competition');
    const folder = await call<InspectResult>('orderbook-inspect', { path: join(dataDir, 'books') });
    if (!folder.ok) throw new Error(folder.error.message);
    expect(folder.result.files.map((f) => f.path)).toEqual(['stock_0.csv']);
  });

  it('allows a folder given with --allow-dir, and nothing beside it', async () => {
    const p = new FilePolicy({ mode: 'roots', dataDir, home: false, allowDirs: [outside] });
    await expect(p.check(join(outside, 'secret.csv'))).resolves.toBe(join(outside, 'secret.csv'));
    await expect(p.check('/etc/shadow')).rejects.toMatchObject({ appError: { code: 'FILE_NOT_ALLOWED' } });
    await expect(p.check(`${outside}-sibling/x.csv`)).rejects.toMatchObject({ appError: { code: 'FILE_NOT_ALLOWED' } });
  });

  it('Electron mode reads only granted paths (picked in a dialog or dropped) and the data folder', async () => {
    const p = new FilePolicy({ mode: 'granted', dataDir });
    await expect(p.check(join(outside, 'secret.csv'))).rejects.toMatchObject({ appError: { code: 'FILE_NOT_ALLOWED' } });
    await expect(p.check(join(dataDir, 'books', 'stock_0.csv'))).resolves.toContain('stock_0.csv');
    p.grant(outside);
    await expect(p.check(join(outside, 'secret.csv'))).resolves.toBe(join(outside, 'secret.csv'));
    await expect(p.check('/etc/shadow')).rejects.toMatchObject({ appError: { code: 'FILE_NOT_ALLOWED' } });
  });

  it('the default policy of a workstation refuses /etc/shadow (no option needed)', async () => {
    const d = tempDir('hw-policy-default-');
    writeFileSync(join(d, 'x'), '');
    const { createWorkstation } = await import('../../src-main/workstation');
    const w = await createWorkstation({ dataDir: d, workerPath: '', transport: 'browser', appVersion: 'test', probe: false });
    try {
      const r = await rpc(() => w).call('orderbook-inspect', { path: '/etc/shadow' });
      expect(r.ok ? 'ok' : r.error.code).toBe('FILE_NOT_ALLOWED');
    } finally {
      await w.close();
    }
  });
});
