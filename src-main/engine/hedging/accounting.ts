/**
 * Per-path accounting of a discrete hedge (deep-hedging spec, "PnL of a hedge"). Positions
 * delta_0 .. delta_{n-1}; delta_i is held over [t_i, t_{i+1}); delta_{-1} = 0; no trade at maturity:
 *
 *     PNL  = -Z + sum_{i=0}^{n-1} delta_i (P_{i+1} - P_i) - c sum_{i=0}^{n-1} |delta_i - delta_{i-1}| P_i
 *     cost =  c sum_{i=0}^{n-1} |delta_i - delta_{i-1}| P_i
 *
 * (the source's eq. (5) with the opening trade charged). Money units (P_0 = 1); positions in units of
 * the asset. Every hedger (BSDH and the network hedgers) should produce positions and call this.
 */

/**
 * Trading gains and traded value of one path, written to `out` (no allocation, for hot loops):
 * out[0] = sum_i delta_i (P_{i+1} - P_i), out[1] = sum_i |delta_i - delta_{i-1}| P_i (delta_{-1} = 0).
 * @param prices holds P_0 .. P_n at prices[priceOffset .. priceOffset + steps].
 * @param positions holds delta_0 .. delta_{n-1} at positions[positionOffset .. positionOffset + steps - 1].
 * @param steps n >= 1.
 * @param out length >= 2.
 */
export function hedgeAccountingInto(
  prices: Float64Array,
  priceOffset: number,
  positions: Float64Array,
  positionOffset: number,
  steps: number,
  out: Float64Array,
): void {
  let gains = 0;
  let traded = 0;
  let prev = 0;
  for (let i = 0; i < steps; i++) {
    const pi = prices[priceOffset + i];
    const d = positions[positionOffset + i];
    gains += d * (prices[priceOffset + i + 1] - pi);
    traded += Math.abs(d - prev) * pi;
    prev = d;
  }
  out[0] = gains;
  out[1] = traded;
}

const scratch = new Float64Array(2);

/**
 * PnL and transaction cost of one hedged path (formula in the module doc).
 * @param prices P_0 .. P_n, length n + 1 (money).
 * @param positions delta_0 .. delta_{n-1}, length n (asset units).
 * @param payoff Z, the liability paid at maturity (money).
 * @param cost proportional cost rate c (0.002 = 20 bp of the value traded).
 * @returns pnl (money, premium not included) and cost (money, >= 0).
 */
export function hedgePnl(prices: Float64Array, positions: Float64Array, payoff: number, cost: number): { pnl: number; cost: number } {
  const steps = positions.length;
  if (prices.length !== steps + 1) throw new RangeError(`prices must have positions.length + 1 = ${steps + 1} entries, got ${prices.length}`);
  hedgeAccountingInto(prices, 0, positions, 0, steps, scratch);
  const paid = cost * scratch[1];
  return { pnl: -payoff + scratch[0] - paid, cost: paid };
}

/** Mean over dates of |delta_i| for each path of path-major `paths x steps` positions (asset units). */
export function meanAbsPositions(positions: Float64Array, paths: number, steps: number): Float64Array {
  const out = new Float64Array(paths);
  for (let k = 0; k < paths; k++) {
    let s = 0;
    for (let i = 0; i < steps; i++) s += Math.abs(positions[k * steps + i]);
    out[k] = s / steps;
  }
  return out;
}
