import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });

/** Level-1 WAP by hand: each price weighted by the opposite side's size. */
const wap1 = (bp: number, bq: number, ap: number, aq: number): number => (bp * aq + ap * bq) / (bq + aq);

/** Rows `[seconds after 14:30 UTC, bid price, bid size, ask price, ask size]` of a generic level-1 book on two days. */
const DAY1 = 1704153600; // 2024-01-02 00:00 UTC
const OPEN = 52_200; // 14:30 UTC
const rows: Array<[number, number, number, number, number, number]> = [
  // [day offset, t, bp, bq, ap, aq]
  [0, 0.5, 99.9, 100, 100.1, 300],
  [0, 1.2, 99.9, 200, 100.1, 200],
  [0, 3, 100, 100, 100.2, 100],
  [0, 3, 100, 300, 100.2, 100], // same time: the later row is the book after both updates
  [0, 6.9, 99.8, 100, 100, 100],
  [1, 10, 100, 100, 100.4, 100],
  [1, 12, 100.2, 100, 100.4, 300],
];

describe('orderbook wap (previous-tick WAP export)', () => {
  it('writes one row per grid time of each session, with values computed by hand, as CSV, JSON and a file with its sidecar', () => {
    const dir = tempDir('hw-ob-wap-');
    const file = join(dir, 'generic.csv');
    const text = ['ts,bp,bq,ap,aq', ...rows.map(([d, t, bp, bq, ap, aq]) => `${DAY1 + d * 86_400 + OPEN + t},${bp},${bq},${ap},${aq}`)].join('\n');
    writeFileSync(file, `${text}\n`);
    const map = JSON.stringify({ layout: 'generic', levels: 1, timestamp: 'ts', timestampUnit: 's', bidPrice: ['bp'], bidSize: ['bq'], askPrice: ['ap'], askSize: ['aq'] });
    const imp = cli(['orderbook', 'import', file, '--map', map, '--stock-id', '7', '--label', 'two days', '--json', '--data-dir', dir]);
    expect(imp.status, imp.stderr).toBe(0);

    // level 1 every 2 s; day clock from midnight UTC (no session start set): 14:30:00.5 = 52,200.5 s
    // day 1 grid 52,202 .. 52,206: ticks at 1.2 s, then the second row at 3 s, held to the end
    // day 2 grid 52,210 .. 52,212
    const csv = cli(['orderbook', 'wap', 'two days', '--interval', '2', '--wap', 'level1', '--csv', '--data-dir', dir]);
    expect(csv.status, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('session,seconds,wap');
    const got = lines.slice(1).map((l) => l.split(','));
    const expected: Array<[string, number, number]> = [
      ['2024-01-02', 52_202, wap1(99.9, 200, 100.1, 200)], // 100
      ['2024-01-02', 52_204, wap1(100, 300, 100.2, 100)], // 100.15
      ['2024-01-02', 52_206, wap1(100, 300, 100.2, 100)],
      ['2024-01-03', 52_210, wap1(100, 100, 100.4, 100)], // 100.2
      ['2024-01-03', 52_212, wap1(100.2, 100, 100.4, 300)], // 100.25
    ];
    expect(got.map((r) => [r[0], Number(r[1])])).toEqual(expected.map((e) => [e[0], e[1]]));
    got.forEach((r, i) => expect(Number(r[2])).toBeCloseTo(expected[i][2], 10));
    [100, 100.15, 100.15, 100.2, 100.25].forEach((v, i) => expect(expected[i][2]).toBeCloseTo(v, 10));

    // all levels (one level here): (bid + ask) / 2; JSON as columns, the stock named by its id
    const json = cli(['orderbook', 'wap', 'two days', '--stock', '7', '--interval', '2', '--json', '--data-dir', dir]);
    expect(json.status, json.stderr).toBe(0);
    const j = JSON.parse(json.stdout);
    expect(j.rows).toBe(5);
    expect(j.seconds).toEqual([52_202, 52_204, 52_206, 52_210, 52_212]);
    expect(j.wap[1]).toBeCloseTo((100 + 100.2) / 2, 12);
    expect(j.timeUnits).toMatchObject({ clock: 'day', source: 'default', sessionHours: 6.5, sessionsPerYear: 252 });
    expect(j.columns.seconds).toContain('seconds after midnight UTC');

    // --out FILE: the CSV and FILE.json
    const out = join(dir, 'wap.csv');
    const toFile = cli(['orderbook', 'wap', 'two days', '--interval', '4', '--out', out, '--data-dir', dir]);
    expect(toFile.status, toFile.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual(['session,seconds,wap', `2024-01-02,52204,${(100 + 100.2) / 2}`, `2024-01-03,52212,${(100.2 + 100.4) / 2}`]);
    const meta = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
    expect(meta).toMatchObject({ file: 'wap.csv', source: { stockId: 7, wap: 'all', intervalSeconds: 4 } });

    // a stock the data set does not have: named, with the ones it has
    const noStock = cli(['orderbook', 'wap', 'two days', '--stock', '3', '--interval', '1', '--data-dir', dir]);
    expect(noStock.status).toBe(2);
    expect(noStock.stderr).toContain('stock "3" is not in data set two days; it has 7');
  }, 240_000);

  it('on a competition-layout book the sessions are buckets and the clock is the second in the bucket', () => {
    const dir = tempDir('hw-ob-wap-comp-');
    const file = join(dir, 'book.csv');
    writeFileSync(
      file,
      [
        'time_id,seconds_in_bucket,bid_price1,ask_price1,bid_size1,ask_size1,bid_price2,ask_price2,bid_size2,ask_size2',
        '5,1,1.0000,1.0002,100,100,0.9,1.1,10,10', // 1.0001
        '5,2,1.0000,1.0002,300,100,0.9,1.1,10,10', // (1.0000 x 100 + 1.0002 x 300) / 400 = 1.00015
        '5,5,1.0001,1.0003,100,100,0.9,1.1,10,10', // 1.0002
        '9,0,1.0100,1.0104,100,300,0.9,1.1,10,10', // (1.01 x 300 + 1.0104 x 100) / 400 = 1.0101
      ].join('\n') + '\n',
    );
    expect(cli(['orderbook', 'import', file, '--label', 'comp', '--data-dir', dir]).status).toBe(0);
    const r = cli(['orderbook', 'wap', 'comp', '--interval', '2', '--wap', 'level1', '--data-dir', dir]);
    expect(r.status, r.stderr).toBe(0);
    const got = r.stdout.trim().split('\n').slice(1).map((l) => l.split(','));
    // bucket 5: grid 2, 4 (first tick at 1 s, last at 5 s); bucket 9: grid 0 (one tick)
    expect(got.map((x) => [x[0], Number(x[1])])).toEqual([['5', 2], ['5', 4], ['9', 0]]);
    [1.00015, 1.00015, 1.0101].forEach((v, i) => expect(Number(got[i][2])).toBeCloseTo(v, 10));
  }, 120_000);
});
