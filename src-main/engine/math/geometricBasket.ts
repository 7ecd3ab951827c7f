import { bsDivDelta, bsDivGamma, bsDivPrice, type OptionSide } from './blackScholesDividend';

/**
 * European options on the geometric basket G = (prod_{a in A} S_a)^{1/k} of k assets A under Black–Scholes
 * (spec portfolio-bsde.md, "Closed forms": geometric basket). Under Q, log G is normal:
 *
 *     s_G^2 = (1/k^2) sum_{a,b in A} rho_ab sigma_a sigma_b,     drift of log G = (1/k) sum_a (r - q_a - sigma_a^2/2)
 *
 * so G is a Black–Scholes asset with volatility s_G and the effective dividend yield
 * q_G = r - s_G^2/2 - (1/k) sum_a (r - q_a - sigma_a^2/2). The Greeks in the asset prices follow from
 * f(G) by the chain rule (see {@link chainRuleFromBasket}).
 */
export interface BasketMarket {
  /** Spots S_a > 0, length d (money). */
  spots: readonly number[];
  /** Annualised volatilities sigma_a, length d. */
  vols: readonly number[];
  /** Dividend yields q_a, length d (per year). */
  divs: readonly number[];
  /** Correlation matrix rho, d x d, symmetric with unit diagonal. */
  corr: readonly (readonly number[])[];
  /** Risk-free rate r (per year). */
  rate: number;
}

export interface BasketParams {
  /** G_0 = (prod S_a)^{1/k} (money). */
  g0: number;
  /** Volatility of log G, s_G (per sqrt(year)). */
  vol: number;
  /** Effective dividend yield q_G (per year). */
  div: number;
}

/** Price, Delta vector (length d) and Gamma matrix (d x d) in the asset prices; zero outside the basket. */
export interface PriceGreeks {
  price: number;
  delta: number[];
  gamma: number[][];
}

/** G_0, s_G and q_G of the geometric basket on `assets` (indices into the market, each at most once). */
export function geometricBasketParams(m: BasketMarket, assets: readonly number[]): BasketParams {
  const k = assets.length;
  let logG = 0;
  let drift = 0;
  let varSum = 0;
  for (const a of assets) {
    logG += Math.log(m.spots[a]) / k;
    drift += (m.rate - m.divs[a] - 0.5 * m.vols[a] * m.vols[a]) / k;
    for (const b of assets) varSum += m.corr[a][b] * m.vols[a] * m.vols[b];
  }
  const v = Math.max(varSum, 0) / (k * k);
  return { g0: Math.exp(logG), vol: Math.sqrt(v), div: m.rate - 0.5 * v - drift };
}

/**
 * Asset-price Greeks of V = f(G), G = (prod_{a in A} S_a)^{1/k}, from f'(G) and f''(G):
 *
 *     dV/dS_a = f' G / (k S_a)
 *     d2V/dS_a dS_b = f'' G^2 / (k^2 S_a S_b) + f' (G / (k^2 S_a S_b) - [a = b] G / (k S_a^2))
 *
 * @param d number of assets in the market (length of the returned vector).
 */
export function chainRuleFromBasket(
  f1: number,
  f2: number,
  g: number,
  spots: readonly number[],
  assets: readonly number[],
  d: number,
): { delta: number[]; gamma: number[][] } {
  const k = assets.length;
  const delta = new Array<number>(d).fill(0);
  const gamma = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const a of assets) {
    delta[a] = (f1 * g) / (k * spots[a]);
    for (const b of assets) {
      const sab = spots[a] * spots[b];
      gamma[a][b] = (f2 * g * g) / (k * k * sab) + (f1 * g) / (k * k * sab) - (a === b ? (f1 * g) / (k * spots[a] * spots[a]) : 0);
    }
  }
  return { delta, gamma };
}

/**
 * European geometric-basket call or put: max(G_T - K, 0) or max(K - G_T, 0), as Black–Scholes on G with
 * volatility s_G and dividend yield q_G.
 * @param strike K > 0 (money); tau time to maturity in years.
 */
export function geometricBasketEuropean(side: OptionSide, m: BasketMarket, assets: readonly number[], strike: number, tau: number): PriceGreeks {
  const p = geometricBasketParams(m, assets);
  const args = { spot: p.g0, strike, vol: p.vol, tau, rate: m.rate, div: p.div };
  const price = bsDivPrice(side, args);
  const { delta, gamma } = chainRuleFromBasket(bsDivDelta(side, args), bsDivGamma(args), p.g0, m.spots, assets, m.spots.length);
  return { price, delta, gamma };
}
