import { describe, expect, it } from 'vitest';
import { Decimator, histogram } from '../../../../src-main/engine/orderbook/decimate';

describe('chart reduction', () => {
  it('keeps per bin the last WAP and the widest bid/ask', () => {
    const d = new Decimator(0, 10, 2); // bins [0, 5) and [5, 10]
    d.push(1, 1.0, 1.1, 0.99, 1.01);
    d.push(2, 1.2, 1.3, 0.95, 1.02);
    d.push(4, 1.1, 1.0, 0.98, 1.05);
    d.push(7, 2.0, 2.1, 1.9, 2.2);
    d.push(11, 9, 9, 9, 9); // outside the window
    const r = d.result();
    expect(r).toEqual({ x: [4, 7], wap: [1.1, 2.0], wap1: [1.0, 2.1], bid: [0.95, 1.9], ask: [1.05, 2.2], rows: 4 });
  });

  it('reduces a whole bucket at once exactly as row by row', () => {
    const secs = [0, 1.5, 2, 3.25, 9];
    const wap = [1, 1.1, 1.2, 1.3, 1.4];
    const bid = [0.9, 0.95, 0.8, 0.99, 1.3];
    const ask = [1.1, 1.2, 1.25, 1.35, 1.5];
    const a = new Decimator(600, 1200, 3);
    const b = new Decimator(600, 1200, 3);
    a.pushBucket(600, secs, wap, wap, bid, ask);
    secs.forEach((s, j) => b.push(600 + s, wap[j], wap[j], bid[j], ask[j]));
    expect(a.result()).toEqual(b.result());
  });

  it('leaves empty bins out and never returns more points than bins', () => {
    const d = new Decimator(0, 100, 10);
    for (let x = 0; x <= 100; x += 0.5) if (x < 20 || x > 80) d.push(x, 1, 1, 1, 1);
    const r = d.result();
    expect(r.x.length).toBeLessThanOrEqual(10);
    expect(r.x.length).toBe(4);
  });

  it('counts values into equal bins, clamping the out-of-range ones', () => {
    const h = histogram([0.05, 0.15, 0.15, 0.95, 3, NaN, -1], 4, 0, 1);
    expect(h.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(h.counts).toEqual([4, 0, 0, 2]);
  });
});
