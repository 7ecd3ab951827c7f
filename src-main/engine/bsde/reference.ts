import { type BookContent, assetIndex } from '../../../src-shared/portfolio/book';
import { type BasketMarket, chainRuleFromBasket, geometricBasketEuropean, geometricBasketParams } from '../math/geometricBasket';
import { latticeBermudan } from '../math/lattice1d';
import { exchangeVol, margrabe } from '../math/margrabe';
import { stulzMaxCall, stulzMinPut } from '../math/stulz';

/**
 * Reference prices and Greeks at t = 0 for the options that have one (spec "Closed forms"): geometric
 * baskets and single-asset calls/puts (a basket of one) in closed form when European and on a 1-D lattice
 * in G when Bermudan; exchange options by Margrabe when European and, when Bermudan, on a 1-D lattice in
 * R = S_a / S_b under the measure with numeraire S_b e^{q_b t}, where V = S_b W(R) and W is a call on R with
 * volatility s, "rate" q_b and "dividend" q_a:
 *
 *     dV/dS_a = W',  dV/dS_b = W - R W',  V_aa = W'' / S_b,  V_ab = -R W'' / S_b,  V_bb = R^2 W'' / S_b.
 *
 * Calls on the max and puts on the min of two assets, European: Stulz (1982). Arithmetic baskets, max/min of
 * more than two assets or with early exercise, and cash-or-nothing have none (null).
 */
export interface Reference {
  method: 'closed form' | 'lattice';
  price: number;
  /** Length d (zero for assets the option is not written on). */
  delta: number[];
  /** d x d. */
  gamma: number[][];
}

export function basketMarket(book: BookContent): BasketMarket {
  return {
    spots: book.assets.map((a) => a.s0),
    vols: book.assets.map((a) => a.sigma),
    divs: book.assets.map((a) => a.q),
    corr: book.correlation,
    rate: book.rate,
  };
}

/** The reference for option j, or null when none exists. */
export function optionReference(book: BookContent, j: number, latticeSteps = 2400): Reference | null {
  const o = book.options[j];
  const idx = assetIndex(book);
  const assets = o.assets.map((n) => idx.get(n)!);
  const d = book.assets.length;
  const m = basketMarket(book);
  const E = o.exercise === 'bermudan' ? o.exerciseDates : 1;
  switch (o.payoff) {
    case 'geometric-call':
    case 'geometric-put':
    case 'call':
    case 'put': {
      const side = o.payoff === 'geometric-call' || o.payoff === 'call' ? 'call' : 'put';
      if (E === 1) return { method: 'closed form', ...geometricBasketEuropean(side, m, assets, o.strike, o.maturity) };
      const p = geometricBasketParams(m, assets);
      const lat = latticeBermudan({ side, spot: p.g0, strike: o.strike, vol: p.vol, rate: m.rate, div: p.div, tau: o.maturity, exerciseDates: E, steps: latticeSteps });
      return { method: 'lattice', price: lat.price, ...chainRuleFromBasket(lat.delta, lat.gamma, p.g0, m.spots, assets, d) };
    }
    case 'exchange': {
      const [a, b] = assets;
      const delta = new Array<number>(d).fill(0);
      const gamma = Array.from({ length: d }, () => new Array<number>(d).fill(0));
      if (E === 1) {
        const r = margrabe({ spotA: m.spots[a], spotB: m.spots[b], ratio: o.strike, volA: m.vols[a], volB: m.vols[b], rho: m.corr[a][b], divA: m.divs[a], divB: m.divs[b], tau: o.maturity });
        return { method: 'closed form', price: r.price, ...embedPair(d, a, b, r) };
      }
      const sa = m.spots[a];
      const sb = m.spots[b];
      const R = sa / sb;
      const s = exchangeVol(m.vols[a], m.vols[b], m.corr[a][b]);
      const w = latticeBermudan({ side: 'call', spot: R, strike: o.strike, vol: s, rate: m.divs[b], div: m.divs[a], tau: o.maturity, exerciseDates: E, steps: latticeSteps });
      delta[a] = w.delta;
      // V = S_b W(R): dV/dS_b = W - R W' (W is per unit of S_b, so price = S_b W).
      delta[b] = w.price - R * w.delta;
      gamma[a][a] = w.gamma / sb;
      gamma[a][b] = gamma[b][a] = (-R * w.gamma) / sb;
      gamma[b][b] = (R * R * w.gamma) / sb;
      return { method: 'lattice', price: sb * w.price, delta, gamma };
    }
    case 'max-call':
    case 'min-put': {
      // Stulz (1982) for two assets, European only (no closed form for more assets or early exercise)
      if (assets.length !== 2 || E !== 1) return null;
      const [a, b] = assets;
      const args = {
        spots: [m.spots[a], m.spots[b]] as [number, number],
        vols: [m.vols[a], m.vols[b]] as [number, number],
        divs: [m.divs[a], m.divs[b]] as [number, number],
        rho: m.corr[a][b],
        rate: m.rate,
        strike: o.strike,
        tau: o.maturity,
      };
      const r = o.payoff === 'max-call' ? stulzMaxCall(args) : stulzMinPut(args);
      return { method: 'closed form', price: r.price, ...embedPair(d, a, b, r) };
    }
    default:
      return null;
  }
}

/** Relative errors of a learned (price, Delta, Gamma) against a reference. */
export interface GreekErrors {
  /** |p - p_ref| / |p_ref|. */
  price: number;
  /** ||Delta - Delta_ref||_2 / ||Delta_ref||_2. */
  delta: number;
  /** ||Gamma - Gamma_ref||_F / ||Gamma_ref||_F (null when no Gamma was learned). */
  gamma: number | null;
  /** max_a |Delta_a - Delta_ref,a| (units of the asset). */
  deltaMaxAbs: number;
  /** max_ab |Gamma_ab - Gamma_ref,ab| (1/money). */
  gammaMaxAbs: number | null;
}

const norm = (xs: number[]): number => Math.sqrt(xs.reduce((s, x) => s + x * x, 0));

export function greekErrors(got: { price: number; delta: number[]; gamma: number[][] | null }, ref: Reference): GreekErrors {
  const dd = got.delta.map((x, a) => x - ref.delta[a]);
  const gd = got.gamma ? got.gamma.flatMap((row, a) => row.map((x, b) => x - ref.gamma[a][b])) : null;
  return {
    price: Math.abs(got.price - ref.price) / Math.max(Math.abs(ref.price), 1e-300),
    delta: norm(dd) / Math.max(norm(ref.delta), 1e-300),
    gamma: gd ? norm(gd) / Math.max(norm(ref.gamma.flat()), 1e-300) : null,
    deltaMaxAbs: Math.max(...dd.map(Math.abs)),
    gammaMaxAbs: gd ? Math.max(...gd.map(Math.abs)) : null,
  };
}

/** A two-asset closed form's Delta (2) and Gamma (2 x 2) placed at assets a and b of a d-asset book (zeros elsewhere). */
function embedPair(d: number, a: number, b: number, r: { delta: readonly number[]; gamma: readonly (readonly number[])[] }): { delta: number[]; gamma: number[][] } {
  const delta = new Array<number>(d).fill(0);
  const gamma = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  delta[a] = r.delta[0];
  delta[b] = r.delta[1];
  gamma[a][a] = r.gamma[0][0];
  gamma[a][b] = gamma[b][a] = r.gamma[0][1];
  gamma[b][b] = r.gamma[1][1];
  return { delta, gamma };
}
