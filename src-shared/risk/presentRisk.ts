/**
 * The one way every tab presents VaR and ES: as a positive loss with its confidence level in the label,
 * "VaR 99% (loss)" / "ES 97.5% (loss)".
 *
 * With L = −PnL the loss of the position whose PnL is measured:
 * - VaR_α = q_α(L) = −q_{1−α}(PnL), the loss exceeded with probability 1 − α;
 * - ES_α = E[L | L ≥ VaR_α] = −E[PnL | PnL ≤ q_{1−α}(PnL)], the mean loss beyond it.
 * A positive value is a loss, a negative one a gain even in the bad tail. Engines that return signed
 * lower-tail PnL quantiles (the rebalancing statistics) convert with {@link lossFromLowerTail}; engines that
 * already return losses (deep hedging) only need the labels.
 */

/** A confidence level as text: 0.99 -> "99%", 0.975 -> "97.5%", 0.9 -> "90%". */
export function levelText(confidence: number): string {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${confidence}`);
  return `${Number((confidence * 100).toPrecision(6))}%`;
}

/** "VaR 99% (loss)": the label of a value-at-risk figure shown as a positive loss. */
export const varLabel = (confidence: number): string => `VaR ${levelText(confidence)} (loss)`;

/** "ES 97.5% (loss)": the label of an expected-shortfall figure shown as a positive loss. */
export const esLabel = (confidence: number): string => `ES ${levelText(confidence)} (loss)`;

/** Tooltip text of a VaR figure at `confidence`. */
export const varHint = (confidence: number): string =>
  `Value at risk: the loss L = −PnL exceeded on ${levelText(1 - confidence)} of paths (positive = loss)`;

/** Tooltip text of an ES figure at `confidence`. */
export const esHint = (confidence: number): string =>
  `Expected shortfall: the mean loss L = −PnL over the worst ${levelText(1 - confidence)} of paths (positive = loss)`;

/**
 * A loss from a lower-tail PnL figure: L = −x for the (1 − α) quantile of PnL, or the mean PnL below it.
 * Returns +0 for 0 (never "−0").
 */
export function lossFromLowerTail(pnlFigure: number): number {
  return pnlFigure === 0 ? 0 : -pnlFigure;
}
