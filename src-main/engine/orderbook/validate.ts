import { type BookBatch, type CellIssue, type RolePlan, type RowProblem, FLAG_CELL_COUNT, FLAG_NON_NUMERIC } from './batch';
import { excerpt } from '../../../src-shared/text/excerpt';

/**
 * Checks of one book row (spec orderbook.md, issue "Bad input"): every required cell is a number; level 1 is
 * complete on both sides; a deeper level is either complete (price and size) or missing on that side (both
 * empty); prices > 0; sizes > 0; the book is not crossed (bid_price1 < ask_price1). Time order is checked by
 * the accumulator, which knows the previous row of the same stock.
 */

const fmt = (v: number): string => (Number.isNaN(v) ? '(empty)' : String(v));

/**
 * The first problem of row `i` of a batch, or null when the row is good.
 *
 * @param batch the batch (values as numbers, NaN for empty cells)
 * @param plan where each role sits and what the file calls it
 * @param i row index within the batch
 * @param issue the reader's note on this row when it is flagged (batch.issues is sorted by row)
 */
export function rowProblem(batch: BookBatch, plan: RolePlan, i: number, issue?: CellIssue): RowProblem | null {
  const { cols, flags } = batch;
  const names = plan.names;
  if (flags !== null && flags[i] !== 0) {
    if (flags[i] & FLAG_CELL_COUNT) {
      const [got, want] = (issue?.text ?? '?/?').split('/');
      return { code: 'wrong-cell-count', role: -1, message: `the row has ${got} cells, the header has ${want}` };
    }
    if (flags[i] & FLAG_NON_NUMERIC) {
      const role = issue?.role ?? -1;
      const what = role === plan.time && plan.seconds < 0 ? 'a number or an ISO 8601 date-time' : 'a finite number';
      return { code: 'non-numeric', role, message: `expected ${what}, found ${excerpt(issue?.text ?? '?')}` };
    }
  }
  const t = cols[plan.time][i];
  if (t !== t) return { code: 'missing-value', role: plan.time, message: 'the time cell is empty' };
  if (plan.seconds >= 0) {
    if (!Number.isInteger(t)) return { code: 'non-numeric', role: plan.time, message: `time_id must be a whole number, found ${t}` };
    const s = cols[plan.seconds][i];
    if (s !== s) return { code: 'missing-value', role: plan.seconds, message: 'the seconds cell is empty' };
  }
  if (plan.stock >= 0) {
    const st = cols[plan.stock][i];
    if (st !== st) return { code: 'missing-value', role: plan.stock, message: 'the stock cell is empty' };
    if (!Number.isInteger(st) || st < 0) return { code: 'non-numeric', role: plan.stock, message: `stock ids must be whole numbers >= 0, found ${st}` };
  }
  const bidProblem = sideProblem(batch, plan, i, plan.bidPrice, plan.bidSize, 'bid');
  if (bidProblem !== null) return bidProblem;
  const askProblem = sideProblem(batch, plan, i, plan.askPrice, plan.askSize, 'ask');
  if (askProblem !== null) return askProblem;
  const bid1 = cols[plan.bidPrice[0]][i];
  const ask1 = cols[plan.askPrice[0]][i];
  if (bid1 >= ask1) {
    return {
      code: 'crossed-book',
      role: plan.bidPrice[0],
      message: `crossed book: ${names[plan.bidPrice[0]]} = ${bid1} is not below ${names[plan.askPrice[0]]} = ${ask1}`,
    };
  }
  return null;
}

/** Level completeness, price > 0 and size > 0 on one side of row `i`. */
function sideProblem(batch: BookBatch, plan: RolePlan, i: number, prices: number[], sizes: number[], side: string): RowProblem | null {
  const cols = batch.cols;
  for (let k = 0; k < prices.length; k++) {
    const p = cols[prices[k]][i];
    const s = cols[sizes[k]][i];
    const pMissing = p !== p;
    const sMissing = s !== s;
    if (pMissing || sMissing) {
      const role = pMissing ? prices[k] : sizes[k];
      if (k === 0) return { code: 'missing-value', role, message: `level 1 of the ${side} side must be present (the cell is empty)` };
      if (pMissing && sMissing) continue; // a missing deeper level
      const other = plan.names[pMissing ? sizes[k] : prices[k]];
      return { code: 'missing-value', role, message: `the cell is empty but ${other} is not; leave both empty for a missing level` };
    }
    if (!(p > 0)) return { code: 'price-not-positive', role: prices[k], message: `prices must be > 0, found ${fmt(p)}` };
    if (!(s > 0)) return { code: 'size-not-positive', role: sizes[k], message: `sizes must be > 0, found ${fmt(s)}` };
  }
  return null;
}
