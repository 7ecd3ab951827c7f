import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportConfig } from '../../src-shared/orderbook/contract';
import { BookInputError } from '../../src-main/engine/orderbook/errors';
import { importBooks } from '../../src-main/domains/orderbook/importJob';
import { openDb, type Db } from '../../src-main/store/db';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

/**
 * Issue 13 "Also" and item 3 for the import: duplicate timestamps are counted with the first example, a
 * header of 256 KiB or more is reported as such, and error messages quote at most a short, delimited excerpt
 * of a cell or header (never the file's content).
 */

const SAMPLE_CSV = join(ROOT, 'resources', 'samples', 'orderbook', 'book_train.csv', 'stock_id=0', 'part-0.csv');
const LINES = readFileSync(SAMPLE_CSV, 'utf8').trimEnd().split('\n');

let dataDir: string;
let db: Db;
let dir: string;
beforeAll(() => {
  dataDir = tempDir('hw-ob-rep-');
  dir = tempDir('hw-ob-rep-files-');
  db = openDb({ dataDir });
});
afterAll(() => db?.close());

const hooks = { onProgress: () => {}, shouldCancel: () => false };
const importIt = (cfg: ImportConfig) => importBooks(cfg, { hooks, dataDir, runId: null }, db);
const write = (name: string, lines: string[]): string => {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
};
async function failure(cfg: ImportConfig): Promise<BookInputError> {
  try {
    await importIt(cfg);
  } catch (e) {
    if (e instanceof BookInputError) return e;
    throw e;
  }
  throw new Error('the import did not fail');
}

describe('order-book import reports', () => {
  it('counts rows that repeat the previous timestamp and locates the first', async () => {
    // Lines 11 and 31 repeat the seconds_in_bucket of the line before (same time_id).
    const lines = LINES.slice(0, 81).map((l, i) => {
      if (i !== 10 && i !== 30) return l;
      const cells = l.split(',');
      cells[1] = LINES[i - 1].split(',')[1];
      return cells.join(',');
    });
    const { metrics } = await importIt({ path: write('dups.csv', lines) });
    expect(metrics.duplicateTimes?.count).toBe(2);
    expect(metrics.duplicateTimes?.first).toMatchObject({ file: 'dups.csv', row: 10, line: 11, stockId: 0, timeId: Number(LINES[10].split(',')[0]), time: Number(LINES[9].split(',')[1]) });
    const clean = await importIt({ path: write('clean.csv', LINES.slice(0, 81)), label: 'clean' });
    expect(clean.metrics.duplicateTimes).toEqual({ count: 0, first: null });
  });

  it('reports a header line of 256 KiB or more as too long (not as missing columns)', async () => {
    const header = Array.from({ length: 30_000 }, (_, i) => `column_${i}`).join(','); // ~358 KB, no line break
    const e = await failure({ path: write('wide.csv', [header, LINES[1]]) });
    expect(e.location).toMatchObject({ code: 'HEADER_TOO_LONG', line: 1 });
    expect(e.message).toMatch(/header line is longer than 256 KiB/);
    expect(e.message.length).toBeLessThan(400);
  });

  it('quotes at most 40 characters of a bad cell, delimited', async () => {
    const huge = 'A'.repeat(100_000);
    const lines = LINES.slice(0, 81).map((l, i) => (i === 5 ? l.replace(/^(\d+,\d+,)[^,]+/, `$1${huge}`) : l));
    const e = await failure({ path: write('hugecell.csv', lines) });
    expect(e.location.code).toBe('non-numeric');
    expect(e.message).toContain(`found "${'A'.repeat(39)}…"`);
    expect(e.message.length).toBeLessThan(400);
  });

  it('names at most 12 header cells, each cut to 40 characters, when columns are missing', async () => {
    const header = Array.from({ length: 200 }, (_, i) => `${'h'.repeat(300)}${i}`).join(',');
    const e = await failure({ path: write('junkheader.csv', [header, LINES[1]]) });
    expect(e.location.code).toBe('MISSING_COLUMNS');
    expect(e.message).toMatch(/and 188 more/);
    expect(e.message).not.toContain('h'.repeat(41));
    expect(e.message.length).toBeLessThan(1200);
  });
});
