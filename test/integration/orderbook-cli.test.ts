import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });
const gen = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'tools', 'gen-orderbook.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });

describe('order-book CLI and generator', () => {
  it('generates books, imports them and builds paths, printing JSON', () => {
    const out = tempDir('hw-ob-cli-');
    const dataDir = tempDir('hw-ob-cli-data-');
    const g = gen(['--stocks', '2', '--buckets', '5', '--format', 'csv', '--out', out, '--json']);
    expect(g.status, g.stderr).toBe(0);
    const written = JSON.parse(g.stdout);
    expect(written.files).toHaveLength(2);
    expect(existsSync(join(out, 'book_train.csv', 'stock_id=1', 'part-0.csv'))).toBe(true);

    const imp = cli(['orderbook', 'import', join(out, 'book_train.csv'), '--json', '--data-dir', dataDir]);
    expect(imp.status, imp.stderr).toBe(0);
    const m = JSON.parse(imp.stdout.trim());
    expect(m).toMatchObject({ rows: written.rows, rejectedRows: 0, buckets: 10, stocks: 2, duplicateOf: null });
    for (const k of ['datasetId', 'seconds', 'rowsPerSec', 'rejectedRows', 'runId']) expect(m).toHaveProperty(k);

    const paths = cli(['orderbook', 'paths', m.datasetId.slice(0, 8), '--steps', '30', '--json', '--data-dir', dataDir]);
    expect(paths.status, paths.stderr).toBe(0);
    const p = JSON.parse(paths.stdout.trim());
    expect(p).toMatchObject({ datasetId: m.datasetId, steps: 30 });
    expect(p.train + p.test).toBe(20);

    const again = cli(['orderbook', 'import', join(out, 'book_train.csv'), '--json', '--data-dir', dataDir]);
    expect(JSON.parse(again.stdout.trim())).toMatchObject({ duplicateOf: m.datasetId, rows: 0 });
  }, 180_000);

  it('prints a data error as a data error (file, row, column), not as invalid arguments with made-up flags', () => {
    const dataDir = tempDir('hw-ob-cli-data-err-');
    const lines = readFileSync(join(ROOT, 'resources', 'samples', 'orderbook', 'book_train.csv', 'stock_id=0', 'part-0.csv'), 'utf8').split('\n').slice(0, 20);
    lines[6] = lines[6].replace(/^(\d+,\d+,)[^,]+/, '$1abc');
    const file = join(dataDir, 'bad.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = cli(['orderbook', 'import', file, '--data-dir', dataDir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error: bad.csv, row 6 (line 7), column bid_price1: expected a finite number, found "abc"');
    expect(r.stderr).not.toContain('invalid arguments');
    expect(r.stderr).not.toContain('--bid_price1');
  }, 120_000);

  it('reports rows that repeat the previous timestamp (count and first example)', () => {
    const dataDir = tempDir('hw-ob-cli-dups-');
    const lines = readFileSync(join(ROOT, 'resources', 'samples', 'orderbook', 'book_train.csv', 'stock_id=0', 'part-0.csv'), 'utf8').split('\n').slice(0, 20);
    const cells = lines[5].split(',');
    cells[1] = lines[4].split(',')[1];
    lines[5] = cells.join(',');
    const file = join(dataDir, 'dups.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = cli(['orderbook', 'import', file, '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/duplicate timestamps +1 rows repeat the previous row's time \(kept\); first: dups\.csv, row 5, stock 0, time_id \d+/);
  }, 120_000);

  it('reports bad input and bad flags with exit codes 1 and 2', () => {
    const dataDir = tempDir('hw-ob-cli-bad-');
    const missing = cli(['orderbook', 'import', join(dataDir, 'nope.csv'), '--json', '--data-dir', dataDir]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('error: no file or folder at "');
    expect(missing.stderr).not.toContain('--path');
    const badGen = gen(['--stocks', '0', '--out', dataDir]);
    expect(badGen.status).toBe(2);
    expect(badGen.stderr).toContain('--stocks must be a whole number from 1 to 10000 (got "0")');
    const sub = cli(['orderbook', 'explode']);
    expect(sub.status).toBe(2);
    expect(sub.stderr).toContain('orderbook: unknown sub-command "explode"');
  }, 120_000);
});
