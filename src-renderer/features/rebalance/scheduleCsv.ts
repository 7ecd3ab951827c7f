import { type HedgeInstrumentInfo, type HedgeSchedule } from '../../../src-shared/bsde/hedge';
import { type CsvExport, type CsvMeta, csvExport } from '../../components/download';

/**
 * A path's rebalancing schedule as files a desk can turn into orders (built in the renderer, no server
 * round trip):
 *
 * - trades: one row per (date, instrument) with a non-zero trade — time (years) and grid index, the
 *   instrument (asset name or gamma-instrument label) with its type, underlying(s), strike or exchange ratio
 *   and maturity, side BUY/SELL (the hedger's trade: BUY raises the holding), the absolute quantity in units,
 *   and for assets the spot used (money) and the notional. The schedule carries no gamma-instrument prices,
 *   so their price and notional are left empty (said in the header comment).
 * - cash: one row per event (one per payment when several options pay at once) with the book value, the
 *   hedge value before and after, cash, and each payment (money) with whether it was an early exercise.
 *
 * Plain CSV (RFC 4180, header row first) with the notes and column meanings in a sidecar JSON
 * (components/download.ts), so spreadsheets open the file as it is.
 */

export interface ScheduleCsvContext {
  runId: string;
  strategy: string;
  greeks: string;
  scheme: string;
  rebalance: number;
  steps: number;
  /** The run's gamma instruments, in the schedule's instrument order. */
  instruments: HedgeInstrumentInfo[];
}

/** Trades below this size (units) are rounding, not orders. */
export const MIN_TRADE = 1e-12;

export const TRADE_COLUMNS = [
  'time_years',
  'grid_index',
  'event',
  'instrument',
  'instrument_type',
  'underlying',
  'strike_or_ratio',
  'maturity_years',
  'side',
  'quantity',
  'price',
  'notional',
] as const;

export const CASH_COLUMNS = [
  'time_years',
  'grid_index',
  'event',
  'book_value',
  'hedge_value_before',
  'hedge_value_after',
  'hedge_minus_book',
  'cash',
  'option',
  'payment',
  'early_exercise',
] as const;

function meta(s: HedgeSchedule, c: ScheduleCsvContext, what: string, notes: string[], columns: Record<string, string>): CsvMeta {
  return {
    title: `${what} of hedge run ${c.runId}, path ${s.path}${s.pick ? ` (${s.pick} relative PnL)` : ''}`,
    notes: [
      `relative PnL of this path: ${s.pnl} (fraction of |V0|)`,
      `strategy ${c.strategy}; Greeks ${c.greeks}${c.greeks === 'network' ? ` (${c.scheme})` : ''}; R = ${c.rebalance} rebalancing dates on a grid of N = ${c.steps} steps`,
      ...notes,
    ],
    columns,
    source: { runId: c.runId, path: s.path, pick: s.pick ?? null, pnl: s.pnl, strategy: c.strategy, greeks: c.greeks, scheme: c.scheme, rebalance: c.rebalance, steps: c.steps },
  };
}

const TIME_COLUMNS = { time_years: 'date of the event, years from t = 0', grid_index: 'index n of the date on the time grid t_n', event: 'rebalance, exercise or maturity' };

/** The trades file (see the module comment). */
export function tradesCsv(s: HedgeSchedule, c: ScheduleCsvContext): CsvExport {
  const rows: unknown[][] = [];
  for (const r of s.rows) {
    r.tradeAssets.forEach((q, a) => {
      if (!(Math.abs(q) > MIN_TRADE)) return;
      const price = r.spots[a];
      rows.push([r.t, r.n, r.kind, s.assets[a], 'asset', s.assets[a], null, null, q > 0 ? 'BUY' : 'SELL', Math.abs(q), price, Math.abs(q) * price]);
    });
    r.tradeInstruments.forEach((q, k) => {
      if (!(Math.abs(q) > MIN_TRADE)) return;
      const info = c.instruments[k];
      const under = info ? info.assets.map((i) => s.assets[i] ?? `asset ${i + 1}`).join('/') : null;
      const price = r.instrumentPrices?.[k] ?? null;
      rows.push([r.t, r.n, r.kind, s.instruments[k] ?? info?.label ?? `instrument ${k + 1}`, info?.kind ?? 'instrument', under, info?.strike ?? null, info?.maturity ?? null, q > 0 ? 'BUY' : 'SELL', Math.abs(q), price, price === null ? null : Math.abs(q) * price]);
    });
  }
  const priced = s.rows.some((r) => r.instrumentPrices?.length);
  return csvExport(
    TRADE_COLUMNS,
    rows,
    meta(s, c, 'Trades', [
      "side/quantity: the hedger's trade in units (quantity absolute; BUY raises the holding). price: the asset's spot at that date (money); notional = quantity x price.",
      `Gamma instruments (European puts, exchange calls max(S_a - k S_b, 0)): ${priced ? 'price = the model price used for the trade (money per unit)' : 'the schedule has no price for them, so price and notional are empty'}; strike_or_ratio is the put strike (money) or the exchange ratio k; maturity_years is from t = 0.`,
    ], {
      ...TIME_COLUMNS,
      instrument: 'asset name or gamma-instrument label',
      instrument_type: 'asset, put or exchange',
      underlying: 'asset(s) the instrument is written on',
      strike_or_ratio: 'put strike (money) or exchange ratio k',
      maturity_years: 'instrument maturity, years from t = 0',
      side: 'BUY raises the holding, SELL lowers it',
      quantity: 'units traded (absolute)',
      price: 'money per unit',
      notional: 'quantity x price (money)',
    }),
  );
}

/** The cash and payments file (see the module comment). */
export function cashCsv(s: HedgeSchedule, c: ScheduleCsvContext): CsvExport {
  const rows: unknown[][] = [];
  for (const r of s.rows) {
    const base = [r.t, r.n, r.kind, r.bookValue, r.hedgeBefore, r.hedgeAfter, r.hedgeAfter - r.bookValue, r.cash];
    if (!r.payments.length) rows.push([...base, null, null, null]);
    else for (const p of r.payments) rows.push([...base, p.label, p.amount, p.early ? 'yes' : 'no']);
  }
  return csvExport(
    CASH_COLUMNS,
    rows,
    meta(s, c, 'Cash and payments', ['Values in money: book_value = sum of n_j Y_j over live options; hedge values before/after the trade and payments at that date; cash after them; payment = what the hedger pays the holder (quantity included).'], {
      ...TIME_COLUMNS,
      book_value: 'sum of n_j Y_j over live options (money)',
      hedge_value_before: 'hedge portfolio value before the trade (money)',
      hedge_value_after: 'hedge portfolio value after the trade (money)',
      hedge_minus_book: 'hedge_value_after - book_value (money)',
      cash: 'cash account after the trade and payments (money)',
      option: 'option paid at this date, if any',
      payment: 'what the hedger pays the holder, quantity included (money)',
      early_exercise: 'yes when the payment is an early exercise',
    }),
  );
}

/** A file-name stem: "hedge-<run>-path-<p>". */
export const csvStem = (s: HedgeSchedule): string => `hedge-${s.runId.slice(0, 8)}-path-${s.path}${s.pick ? `-${s.pick}` : ''}`;

