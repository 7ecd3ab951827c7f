/**
 * Weighted average prices of one order-book snapshot (spec orderbook.md "WAP"; source appendix A).
 *
 * Prices are in the file's units (the competition normalises them near 1), sizes in shares (any positive
 * unit). A missing level (NaN price and size) is left out of the sums; level 1 is always present after
 * validation (see validate.ts).
 */

/**
 * The source's all-level WAP, eqs. (31)-(33):
 * `P_bid = sum_j bidPrice_j bidSize_j / sum_j bidSize_j`, `P_ask` likewise over the ask levels,
 * `WAP = (P_bid + P_ask) / 2`.
 *
 * @param bidPrice bid prices by level (index 0 = level 1); NaN marks a missing level
 * @param bidSize bid sizes by level, same length
 * @returns the WAP in price units; NaN when a side has no size
 */
export function wapAllLevels(bidPrice: ArrayLike<number>, bidSize: ArrayLike<number>, askPrice: ArrayLike<number>, askSize: ArrayLike<number>): number {
  let bv = 0;
  let bs = 0;
  let av = 0;
  let as = 0;
  for (let j = 0; j < bidPrice.length; j++) {
    const p = bidPrice[j];
    const s = bidSize[j];
    if (p === p && s === s) {
      bv += p * s;
      bs += s;
    }
  }
  for (let k = 0; k < askPrice.length; k++) {
    const p = askPrice[k];
    const s = askSize[k];
    if (p === p && s === s) {
      av += p * s;
      as += s;
    }
  }
  return 0.5 * (bv / bs + av / as);
}

/**
 * The competition's level-1 WAP: `WAP1 = (bidPrice1 askSize1 + askPrice1 bidSize1) / (bidSize1 + askSize1)`
 * (each price weighted by the opposite side's size, so the WAP leans towards the thinner side).
 *
 * @returns the level-1 WAP in price units
 */
export function wapLevel1(bidPrice1: number, bidSize1: number, askPrice1: number, askSize1: number): number {
  return (bidPrice1 * askSize1 + askPrice1 * bidSize1) / (bidSize1 + askSize1);
}

/** Eq. (34): only positive, finite WAP values enter a series. */
export const isUsableWap = (w: number): boolean => w > 0 && w < Infinity;

/** Relative spread of level 1 in basis points: `1e4 (ask1 - bid1) / ((ask1 + bid1) / 2)`. */
export function relativeSpreadBp(bidPrice1: number, askPrice1: number): number {
  return (2e4 * (askPrice1 - bidPrice1)) / (askPrice1 + bidPrice1);
}
