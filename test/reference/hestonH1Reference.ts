import { type HestonGreeks } from '../../src-shared/heston/types';

/**
 * H1 (spec heston-osm.md: Bermudan put, 12 exercise dates, S0 = 10, nu0 = 0.0625, K = 11, T = 0.3, r = 0.1,
 * kappa = 5, nubar = 0.16, xi = 0.9, rho = 0.1) at t = 0, printed by `test/reference/heston_osm_reference.py`
 * (QuantLib 1.29 FdHestonVanillaEngine, Douglas ADI, BermudanExercise; Vega / Vomma / Vanna by central
 * differences in nu0). Fine grid 400 x 400 x 200 (t, S, nu); the coarse grid 200 x 200 x 100 differs by
 * 1e-5 in price, 3e-5 in Delta, 3e-4 in Vega, 4e-4 in Gamma, 1e-2 in Vomma and 8e-4 in Vanna (discretisation).
 */
export const H1_QUANTLIB: HestonGreeks = {
  price: 1.1809000042800895,
  delta: -0.6837695916504691,
  vega: 1.672533710079236,
  gamma: 0.2746254897177245,
  vomma: -3.962861158379382,
  vanna: 0.6430159652616751,
};
