/**
 * Reduce a long WAP series to at most `bins` points for a chart, streaming (rows are pushed in time order,
 * nothing is kept but the bins): the window [from, to] is cut into `bins` equal bins; each non-empty bin keeps
 * the time and WAPs of its LAST row (the price at the end of the bin, as a carried-forward series would show)
 * and the LOWEST bid and HIGHEST ask in the bin, so the bid/ask band never hides a wide spread.
 */
export interface DecimatedSeries {
  x: number[];
  wap: number[];
  wap1: number[];
  bid: number[];
  ask: number[];
  /** Rows that fell inside [from, to]. */
  rows: number;
}

export class Decimator {
  private readonly lastX: Float64Array;
  private readonly wap: Float64Array;
  private readonly wap1: Float64Array;
  private readonly bid: Float64Array;
  private readonly ask: Float64Array;
  private readonly used: Uint8Array;
  private readonly width: number;
  rows = 0;

  constructor(
    private readonly from: number,
    private readonly to: number,
    private readonly bins: number,
  ) {
    this.lastX = new Float64Array(bins);
    this.wap = new Float64Array(bins);
    this.wap1 = new Float64Array(bins);
    this.bid = new Float64Array(bins).fill(Infinity);
    this.ask = new Float64Array(bins).fill(-Infinity);
    this.used = new Uint8Array(bins);
    this.width = to > from ? (to - from) / bins : 1;
  }

  push(x: number, wap: number, wap1: number, bid: number, ask: number): void {
    if (x < this.from || x > this.to) return;
    this.rows++;
    const b = Math.min(this.bins - 1, Math.floor((x - this.from) / this.width));
    this.used[b] = 1;
    this.lastX[b] = x;
    this.wap[b] = wap;
    this.wap1[b] = wap1;
    if (bid < this.bid[b]) this.bid[b] = bid;
    if (ask > this.ask[b]) this.ask[b] = ask;
  }

  /**
   * Push the rows of one bucket whose axis starts at `base` (x = base + seconds[j]); the same as calling
   * `push` for each row, in one tight loop.
   */
  pushBucket(base: number, seconds: ArrayLike<number>, wap: ArrayLike<number>, wap1: ArrayLike<number>, bid: ArrayLike<number>, ask: ArrayLike<number>): void {
    const { from, to, bins, width } = this;
    for (let j = 0; j < seconds.length; j++) {
      const x = base + seconds[j];
      if (x < from || x > to) continue;
      this.rows++;
      let b = Math.floor((x - from) / width);
      if (b >= bins) b = bins - 1;
      this.used[b] = 1;
      this.lastX[b] = x;
      this.wap[b] = wap[j];
      this.wap1[b] = wap1[j];
      if (bid[j] < this.bid[b]) this.bid[b] = bid[j];
      if (ask[j] > this.ask[b]) this.ask[b] = ask[j];
    }
  }

  result(): DecimatedSeries {
    const out: DecimatedSeries = { x: [], wap: [], wap1: [], bid: [], ask: [], rows: this.rows };
    for (let b = 0; b < this.bins; b++) {
      if (!this.used[b]) continue;
      out.x.push(this.lastX[b]);
      out.wap.push(this.wap[b]);
      out.wap1.push(this.wap1[b]);
      out.bid.push(this.bid[b]);
      out.ask.push(this.ask[b]);
    }
    return out;
  }
}

/**
 * Histogram counts of the finite values on `bins` equal bins over [lo, hi] (values outside are clamped into
 * the first/last bin). Returns the edges (bins + 1) and counts.
 */
export function histogram(values: ArrayLike<number>, bins: number, lo: number, hi: number): { edges: number[]; counts: number[] } {
  const width = hi > lo ? (hi - lo) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)));
    counts[b]++;
  }
  return { edges, counts };
}
