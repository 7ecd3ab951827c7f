import { type HestonClaim, type HestonGreekArrays, type HestonGreekSource, type HestonMarket } from '../../../src-shared/heston/types';
import { hestonEuropeanBatch } from './semiAnalytic';

/**
 * The semi-analytic Greeks of a European claim (exerciseDates = 1) as a `HestonGreekSource`: at grid date
 * t_n = n horizon / steps the batch formula at tau = T - t_n (currency; Vega per unit variance). At maturity every
 * state gets the payoff and its a.e. Greeks and exercises where the payoff is positive; before it nobody exercises.
 */
export function semiAnalyticGreekSource(market: HestonMarket, claim: HestonClaim, steps: number, horizon: number): HestonGreekSource {
  if (claim.exerciseDates !== 1) throw new RangeError(`the semi-analytic source prices Europeans only (exerciseDates = 1, got ${claim.exerciseDates}); use the ADI source for a Bermudan`);
  if (!(Number.isInteger(steps) && steps >= 1 && horizon > 0)) throw new RangeError(`steps must be a whole number >= 1 and horizon > 0 (got ${steps}, ${horizon})`);
  return {
    steps,
    horizon,
    at(n: number, S: Float64Array, nu: Float64Array): HestonGreekArrays & { exercise: Uint8Array } {
      if (!(Number.isInteger(n) && n >= 0 && n <= steps)) throw new RangeError(`grid date index ${n} outside 0..${steps}`);
      const tau = claim.maturity - (n * horizon) / steps;
      const atMaturity = Math.abs(tau) <= 1e-12 * Math.max(1, claim.maturity);
      const g = hestonEuropeanBatch(market, claim, atMaturity ? 0 : tau, S, nu);
      const exercise = new Uint8Array(S.length);
      if (atMaturity) for (let i = 0; i < S.length; i++) exercise[i] = g.price[i] > 0 ? 1 : 0;
      return { ...g, exercise };
    },
  };
}
