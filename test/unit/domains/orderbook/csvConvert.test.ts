import { describe, expect, it } from 'vitest';
import { FLAG_CELL_COUNT, FLAG_NON_NUMERIC } from '../../../../src-main/engine/orderbook/batch';
import { makeRecordConverter } from '../../../../src-main/domains/orderbook/io/csvConvert';

describe('CSV records to columns', () => {
  const spec = { columns: [2, 0], width: 3, timestampRole: -1, timestampScale: 1 };

  it('picks the mapped cells in role order as numbers, empty cells as NaN', () => {
    const c = makeRecordConverter(spec, 1);
    c.push(['1.5', 'x', '7']);
    c.push(['', 'y', ' 8 ']);
    c.push(['2e-3', 'z', '']);
    const out = c.finish();
    expect(out.n).toBe(3);
    expect(Array.from(out.values.subarray(0, 3))).toEqual([7, 8, NaN]);
    expect(Array.from(out.values.subarray(3, 6))).toEqual([1.5, NaN, 0.002]);
    expect(out.flags).toBeNull();
  });

  it('flags text that is not a number and rows with the wrong number of cells (flag values as the engine defines)', () => {
    expect([FLAG_NON_NUMERIC, FLAG_CELL_COUNT]).toEqual([1, 2]);
    const c = makeRecordConverter(spec, 4);
    c.push(['1', 'a', 'abc']);
    c.push(['1', 'a']);
    c.push(['Infinity', 'a', '2']);
    const out = c.finish();
    expect(Array.from(out.flags!)).toEqual([FLAG_NON_NUMERIC, FLAG_CELL_COUNT, FLAG_NON_NUMERIC]);
    expect(out.issues).toEqual([
      { row: 0, role: 0, text: 'abc' },
      { row: 1, role: -1, text: '2/3' },
      { row: 2, role: 1, text: 'Infinity' },
    ]);
  });

  it('skips blank lines but keeps line numbers', () => {
    const c = makeRecordConverter(spec, 2);
    c.push(['1', 'a', '2']);
    c.push(['']);
    c.push(['3', 'b', '4']);
    const out = c.finish();
    expect(out.n).toBe(2);
    expect(out.lines).toBe(3);
    expect(Array.from(out.rowLines!)).toEqual([0, 2]);
  });

  it('scales numeric timestamps to seconds and parses ISO text', () => {
    const ms = makeRecordConverter({ columns: [0], width: 1, timestampRole: 0, timestampScale: 1e-3 }, 1);
    ms.push(['1700000000500']);
    expect(ms.finish().values[0]).toBeCloseTo(1700000000.5, 6);
    const iso = makeRecordConverter({ columns: [0], width: 1, timestampRole: 0, timestampScale: 0 }, 1);
    iso.push(['2023-11-14T22:13:20.250Z']);
    iso.push(['yesterday']);
    const out = iso.finish();
    expect(out.values[0]).toBeCloseTo(1700000000.25, 6);
    expect(out.flags![1]).toBe(FLAG_NON_NUMERIC);
  });

  it('reads numbers bit for bit as Number() does (its fast path for plain decimals included)', () => {
    const cells = ['0', '-0', '007', '00.5', '.5', '5.', '-', '-.5', '1e5', '+5', ' 5', '5 ', '0.1', '1.000600', '0.30000000000000004',
      '123456789012345', '1234567890123456', '123456789012345.6', '12345678901234.56', '9007199254740993', '-99999999999999.9',
      '0.000000000000001', '0.0000000000000001', 'Infinity', 'NaN', '0x10', '1_0', '1..2', '--1', '1-'];
    let x = 12345;
    const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 20000; i++) {
      const digits = String(Math.floor(rnd() * 10 ** Math.floor(rnd() * 17))).padStart(Math.floor(rnd() * 4), '0');
      const k = Math.floor(rnd() * (digits.length + 1));
      const t = k > 0 && k < digits.length ? `${digits.slice(0, -k)}.${digits.slice(-k)}` : digits;
      cells.push(rnd() < 0.3 ? `-${t}` : t);
    }
    const c = makeRecordConverter({ columns: [0], width: 1, timestampRole: -1, timestampScale: 1 }, cells.length);
    for (const t of cells) c.push([t]);
    const out = c.finish();
    const want = cells.map((t) => (t.trim() === '' || !Number.isFinite(Number(t)) ? NaN : Number(t)));
    const got = Array.from(out.values);
    const differ = cells.filter((_, i) => !Object.is(got[i], want[i]));
    expect(differ).toEqual([]);
  });

  it('grows past its capacity hint', () => {
    const c = makeRecordConverter(spec, 1);
    for (let i = 0; i < 100; i++) c.push([String(i), '', String(2 * i)]);
    const out = c.finish();
    expect(out.n).toBe(100);
    expect(out.values[99]).toBe(198);
    expect(out.values[199]).toBe(99);
  });
});
