import { type HedgeInstrumentInfo, type HedgeSchedule } from '../../../src-shared/bsde/hedge';
import { toCsv } from '../../components/download';

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
 * Lines starting with '#' are comments (pandas: `comment='#'`); fields are quoted per RFC 4180.
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

const comment = (text: string): string => `# ${text.replace(/[\r\n]+/g, ' ')}\r\n`;

function header(s: HedgeSchedule, c: ScheduleCsvContext, what: string): string {
  return (
    comment(`${what} of hedge run ${c.runId}, path ${s.path}${s.pick ? ` (${s.pick} relative PnL)` : ''}; relative PnL ${s.pnl} (fraction of |V0|)`) +
    comment(`strategy ${c.strategy}; Greeks ${c.greeks}${c.greeks === 'network' ? ` (${c.scheme})` : ''}; R = ${c.rebalance} rebalancing dates on a grid of N = ${c.steps} steps`)
  );
}

/** The trades file (see the module comment). */
export function tradesCsv(s: HedgeSchedule, c: ScheduleCsvContext): string {
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
  return (
    header(s, c, 'Trades') +
    comment('side/quantity: the hedger\'s trade in units (quantity absolute; BUY raises the holding). price: the asset\'s spot at that date (money); notional = quantity x price.') +
    comment(
      `Gamma instruments (European puts, exchange calls max(S_a - k S_b, 0)): ${
        s.rows.some((r) => r.instrumentPrices?.length) ? 'price = the model price used for the trade (money per unit)' : 'the schedule has no price for them, so price and notional are empty'
      }; strike_or_ratio is the put strike (money) or the exchange ratio k; maturity_years is from t = 0.`,
    ) +
    toCsv([[...TRADE_COLUMNS], ...rows])
  );
}

/** The cash and payments file (see the module comment). */
export function cashCsv(s: HedgeSchedule, c: ScheduleCsvContext): string {
  const rows: unknown[][] = [];
  for (const r of s.rows) {
    const base = [r.t, r.n, r.kind, r.bookValue, r.hedgeBefore, r.hedgeAfter, r.hedgeAfter - r.bookValue, r.cash];
    if (!r.payments.length) rows.push([...base, null, null, null]);
    else for (const p of r.payments) rows.push([...base, p.label, p.amount, p.early ? 'yes' : 'no']);
  }
  return (
    header(s, c, 'Cash and payments') +
    comment('Values in money: book_value = sum of n_j Y_j over live options; hedge values before/after the trade and payments at that date; cash after them; payment = what the hedger pays the holder (quantity included).') +
    toCsv([[...CASH_COLUMNS], ...rows])
  );
}

/** A file-name stem: "hedge-<run>-path-<p>". */
export const csvStem = (s: HedgeSchedule): string => `hedge-${s.runId.slice(0, 8)}-path-${s.path}${s.pick ? `-${s.pick}` : ''}`;

