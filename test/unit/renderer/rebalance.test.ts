import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type HedgeSchedule } from '../../../src-shared/bsde/hedge';
import { csvCell, toCsv } from '../../../src-renderer/components/download';
import { checkForm, closedFormIssue, defaultValues, rebalanceChoices, serverFieldErrors } from '../../../src-renderer/features/rebalance/hedgeFormModel';
import { CASH_COLUMNS, TRADE_COLUMNS, cashCsv, tradesCsv } from '../../../src-renderer/features/rebalance/scheduleCsv';

/** RFC 4180 reader (csv-parse, as a spreadsheet reads it): checks what we write. It does NOT skip '#' lines. */
const readCsv = (text: string): string[][] => parse(text, { relax_column_count: true }) as string[][];

const FACTS = { solveRunId: 'solve-run-0001', steps: 12, horizon: 1, closedFormIssue: null };

describe('hedge form model', () => {
  it('offers the preset R that divide N first, then the other divisors', () => {
    expect(rebalanceChoices(12).map((c) => c.r)).toEqual([1, 2, 4, 12, 3, 6]);
    expect(rebalanceChoices(120).filter((c) => c.preset).map((c) => c.r)).toEqual([1, 2, 4, 12, 24, 60, 120]);
    expect(rebalanceChoices(6).filter((c) => c.preset).map((c) => c.r)).toEqual([1, 2]);
    expect(rebalanceChoices(NaN)).toEqual([]);
  });

  it('builds the request from the defaults (network Greeks: steps null)', () => {
    const c = checkForm(defaultValues(), FACTS);
    expect(c.errors).toEqual({});
    expect(c.request).toEqual({
      solveRunId: 'solve-run-0001',
      strategy: 'delta-gamma',
      greeks: 'network',
      rebalance: 12,
      paths: 4096,
      steps: null,
      instruments: { maturity: 4, putMoneyness: 1, exchangeRatio: 1 },
      seed: 7,
    });
  });

  it('checks R against the grid the Greek source uses', () => {
    const v = { ...defaultValues(), rebalance: '24' };
    expect(checkForm(v, FACTS).errors.rebalance).toMatch(/R = 24 does not divide the grid N = 12; pick one of 1, 2, 4, 12, 3, 6/);
    // Closed form on its own grid N = 120: R = 24 fits; a steps value is ignored for network Greeks.
    const cf = checkForm({ ...v, greeks: 'closed-form', steps: '120' }, FACTS);
    expect(cf.errors).toEqual({});
    expect(cf.request).toMatchObject({ greeks: 'closed-form', steps: 120, rebalance: 24 });
    expect(checkForm({ ...defaultValues(), steps: '120' }, FACTS).request?.steps).toBeNull();
  });

  it('names bad fields with the contract messages and checks the instruments against T', () => {
    const c = checkForm({ ...defaultValues(), paths: '8', seed: 'x', 'instruments.maturity': '0.5' }, FACTS);
    expect(c.request).toBeNull();
    expect(c.errors.paths).toBe('paths must be >= 16');
    expect(c.errors.seed).toBe('seed must be a number');
    expect(c.errors['instruments.maturity']).toMatch(/at least the grid horizon T = 1 years/);
    // Delta hedges hold no gamma instruments: their maturity does not matter.
    expect(checkForm({ ...defaultValues(), strategy: 'delta', 'instruments.maturity': '0.5' }, FACTS).errors).toEqual({});
  });

  it('refuses closed-form Greeks for books without a closed form', () => {
    const issue = closedFormIssue([{ label: 'geo', payoff: 'geometric-call', exercise: 'bermudan', exerciseDates: 12 }]);
    expect(issue).toMatch(/option 1 \(geo\) is Bermudan/);
    expect(closedFormIssue([{ label: '', payoff: 'geometric-call', exercise: 'bermudan', exerciseDates: 1 }])).toBeNull();
    expect(closedFormIssue([{ label: '', payoff: 'max-call', exercise: 'european', exerciseDates: 1 }])).toMatch(/max-call/);
    const c = checkForm({ ...defaultValues(), greeks: 'closed-form' }, { ...FACTS, closedFormIssue: issue });
    expect(c.errors.greeks).toBe(issue);
    expect(c.request).toBeNull();
  });

  it('maps server field errors to fields, the rest to the form', () => {
    const r = serverFieldErrors([
      { field: 'instruments.maturity', message: 'too short' },
      { field: 'rebalance', message: 'no' },
      { field: 'solveRunId', message: 'gone' },
    ]);
    expect(r.byField).toEqual({ 'instruments.maturity': 'too short', rebalance: 'no' });
    expect(r.other).toEqual(['solveRunId: gone']);
  });
});

describe('CSV cells', () => {
  it('quotes commas, quotes, line breaks and edge spaces; guards formula-like text', () => {
    expect(csvCell('put S1 K=100')).toBe('put S1 K=100');
    expect(csvCell('exchange S1/S2 k=1')).toBe('exchange S1/S2 k=1');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(null)).toBe('');
    expect(toCsv([['a', 1], ['b,c', 2]])).toBe('a,1\r\n"b,c",2\r\n');
  });
});

describe('schedule CSV', () => {
  const schedule: HedgeSchedule = {
    runId: 'run-abcdef12',
    path: 17,
    pick: 'median',
    pnl: -0.0012,
    assets: ['S1', 'S 2'],
    instruments: ['put S1 K=100', 'exchange S1/S 2, k=1'],
    rows: [
      {
        n: 0,
        t: 0,
        kind: 'rebalance',
        spots: [100, 101],
        bookValue: 10,
        hedgeBefore: 10,
        hedgeAfter: 10,
        holdings: [0.5, -0.25],
        weights: [0.1, 0],
        tradeAssets: [0.5, -0.25],
        tradeInstruments: [0.1, 0],
        cash: -14.75,
        payments: [],
      },
      {
        n: 6,
        t: 0.5,
        kind: 'exercise',
        spots: [104, 99],
        bookValue: 4,
        hedgeBefore: 12.5,
        hedgeAfter: 4.6,
        holdings: [0.5, -0.25],
        weights: [0.1, 0],
        tradeAssets: [0, 0],
        tradeInstruments: [0, 0],
        cash: -22.6,
        payments: [{ option: 0, label: 'geometric call, ATM', amount: 7.9, early: true }],
      },
    ],
  };
  const ctx = {
    runId: 'run-abcdef12',
    strategy: 'delta-gamma',
    greeks: 'network',
    scheme: 'osm',
    rebalance: 2,
    steps: 12,
    instruments: [
      { label: 'put S1 K=100', kind: 'put' as const, assets: [0], strike: 100, maturity: 4 },
      { label: 'exchange S1/S 2, k=1', kind: 'exchange' as const, assets: [0, 1], strike: 1, maturity: 4 },
    ],
  };

  it('writes one row per non-zero trade with side, absolute quantity and the spot', () => {
    const { csv: text, meta } = tradesCsv(schedule, ctx);
    // plain CSV: the header row first, no '#' lines; the notes live in the sidecar metadata
    expect(text.split('\r\n').some((l) => l.startsWith('#'))).toBe(false);
    expect(meta.title).toBe('Trades of hedge run run-abcdef12, path 17 (median relative PnL)');
    expect(meta.notes.join(' ')).toMatch(/Gamma instruments .*price and notional are empty/);
    expect(Object.keys(meta.columns)).toEqual([...TRADE_COLUMNS]);
    const rows = readCsv(text);
    expect(rows[0]).toEqual([...TRADE_COLUMNS]);
    expect(rows.slice(1)).toEqual([
      ['0', '0', 'rebalance', 'S1', 'asset', 'S1', '', '', 'BUY', '0.5', '100', '50'],
      ['0', '0', 'rebalance', 'S 2', 'asset', 'S 2', '', '', 'SELL', '0.25', '101', '25.25'],
      ['0', '0', 'rebalance', 'put S1 K=100', 'put', 'S1', '100', '4', 'BUY', '0.1', '', ''],
    ]);
    for (const r of rows) expect(r).toHaveLength(TRADE_COLUMNS.length);
  });

  it('prices instrument orders when the schedule carries instrument prices', () => {
    const priced: HedgeSchedule = { ...schedule, rows: schedule.rows.map((r) => ({ ...r, instrumentPrices: [12.5, 3] })) };
    const { csv: text, meta } = tradesCsv(priced, ctx);
    expect(meta.notes.join(' ')).toMatch(/Gamma instruments .*price = the model price used for the trade/);
    expect(readCsv(text)[3]).toEqual(['0', '0', 'rebalance', 'put S1 K=100', 'put', 'S1', '100', '4', 'BUY', '0.1', '12.5', '1.25']);
  });

  it('writes cash and payments, quoting labels with commas', () => {
    const { csv: text, meta } = cashCsv(schedule, ctx);
    expect(text.startsWith(`${CASH_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(Object.keys(meta.columns)).toEqual([...CASH_COLUMNS]);
    expect(text).toContain('"geometric call, ATM"');
    const rows = readCsv(text);
    expect(rows[0]).toEqual([...CASH_COLUMNS]);
    expect(rows[1]).toEqual(['0', '0', 'rebalance', '10', '10', '10', '0', '-14.75', '', '', '']);
    expect(rows[2]).toEqual(['0.5', '6', 'exercise', '4', '12.5', '4.6', String(4.6 - 4), '-22.6', 'geometric call, ATM', '7.9', 'yes']);
  });
});
