import { describe, expect, it } from 'vitest';
import { isUsableWap, relativeSpreadBp, wapAllLevels, wapLevel1 } from '../../../../src-main/engine/orderbook/wap';

describe('WAP formulas (source eqs. 31-33 and the level-1 formula), worked by hand', () => {
  // Two levels: bids 1.000 x 100, 0.999 x 300; asks 1.002 x 200, 1.003 x 50.
  // P_bid = (1.000*100 + 0.999*300) / 400 = (100 + 299.7) / 400 = 0.99925
  // P_ask = (1.002*200 + 1.003*50) / 250 = (200.4 + 50.15) / 250 = 1.0022
  // WAP = (0.99925 + 1.0022) / 2 = 1.000725
  it('all-level WAP is the mean of the size-weighted bid and ask prices', () => {
    expect(wapAllLevels([1.0, 0.999], [100, 300], [1.002, 1.003], [200, 50])).toBeCloseTo(1.000725, 14);
  });

  it('level-1 WAP weighs each price by the opposite size: (1.000*200 + 1.002*100) / 300', () => {
    expect(wapLevel1(1.0, 100, 1.002, 200)).toBeCloseTo((1.0 * 200 + 1.002 * 100) / 300, 14);
    // = 1.000666..., nearer the bid because the bid side is thinner (the price is more likely to go down).
    expect(wapLevel1(1.0, 100, 1.002, 200)).toBeCloseTo(1.0006666666666666, 14);
  });

  it('with one level the all-level WAP is the plain mid, unlike the level-1 WAP', () => {
    expect(wapAllLevels([1.0], [100], [1.002], [200])).toBeCloseTo(1.001, 14);
    expect(wapLevel1(1.0, 100, 1.002, 200)).not.toBeCloseTo(1.001, 6);
  });

  it('equal level-1 sizes give the mid for both formulas', () => {
    expect(wapLevel1(0.998, 50, 1.002, 50)).toBeCloseTo(1.0, 14);
    expect(wapAllLevels([0.998], [50], [1.002], [50])).toBeCloseTo(1.0, 14);
  });

  it('skips a missing deeper level (NaN price and size) on one side only', () => {
    // bids: only level 1 counts -> 1.000; asks: (1.002*200 + 1.003*50) / 250 = 1.0022
    expect(wapAllLevels([1.0, NaN], [100, NaN], [1.002, 1.003], [200, 50])).toBeCloseTo(0.5 * (1.0 + 1.0022), 14);
  });

  it('lies between the best bid and the best ask', () => {
    const w = wapAllLevels([1.0, 0.99], [10, 1e6], [1.01, 1.02], [10, 1]);
    expect(w).toBeGreaterThan(0.99);
    expect(w).toBeLessThan(1.02);
  });

  it('keeps only positive finite WAPs (eq. 34) and computes spreads in basis points of the mid', () => {
    expect(isUsableWap(1)).toBe(true);
    for (const v of [0, -1, NaN, Infinity]) expect(isUsableWap(v)).toBe(false);
    // (1.001 - 0.999) / 1.000 = 0.002 = 20 bp
    expect(relativeSpreadBp(0.999, 1.001)).toBeCloseTo(20, 10);
  });
});
