/**
 * Payoffs of the liabilities in the deep-hedging spec ("Liabilities": short one option), in units of money
 * (P_0 = 1). Path arrays are row-major `paths x (steps + 1)` with P_0 in column 0, as produced by
 * `simulateGbm`.
 */

export type OptionType = 'european' | 'lookback';

/** European call Z = max(P_n - K, 0). */
export function europeanCallPayoff(terminal: number, strike: number): number {
  return terminal > strike ? terminal - strike : 0;
}

/** Fixed-strike lookback call on a known running maximum: Z = max(M_n - K, 0). */
export function lookbackCallPayoffFromMax(runningMax: number, strike: number): number {
  return runningMax > strike ? runningMax - strike : 0;
}

/**
 * Maximum of one path, max_{0<=i<=steps} P_i (P_0 included).
 * @param prices row-major `paths x (steps + 1)` (or a single path).
 * @param offset index of P_0 of the path.
 */
export function pathMax(prices: Float64Array, offset: number, steps: number): number {
  let m = prices[offset];
  for (let i = 1; i <= steps; i++) if (prices[offset + i] > m) m = prices[offset + i];
  return m;
}

/** Fixed-strike lookback call Z = max(max_{0<=i<=n} P_i - K, 0) of one path (P_0 included). */
export function lookbackCallPayoff(path: Float64Array, strike: number, offset = 0, steps = path.length - 1 - offset): number {
  return lookbackCallPayoffFromMax(pathMax(path, offset, steps), strike);
}

/** Payoff of one path for either option type; the path is prices[offset .. offset + steps]. */
export function optionPayoff(option: OptionType, prices: Float64Array, offset: number, steps: number, strike: number): number {
  return option === 'european'
    ? europeanCallPayoff(prices[offset + steps], strike)
    : lookbackCallPayoffFromMax(pathMax(prices, offset, steps), strike);
}

/**
 * Payoffs of all paths.
 * @param paths row-major `n x (steps + 1)`.
 * @returns Float64Array of length n.
 */
export function payoffs(option: OptionType, paths: Float64Array, steps: number, strike: number): Float64Array {
  const row = steps + 1;
  const n = Math.floor(paths.length / row);
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) out[p] = optionPayoff(option, paths, p * row, steps, strike);
  return out;
}
