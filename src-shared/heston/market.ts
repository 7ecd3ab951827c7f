import { type HestonClaim, type HestonMarket, H1_CLAIM, H1_MARKET, fellerHolds } from './types';

/**
 * Presentation helpers of a Heston market and claim (spec heston-osm.md "Market"): the Feller condition with
 * what it means, a one-line claim description, and whether two runs solved the same problem. The request
 * schemas are `hestonMarketSchema` / `hestonClaimSchema` in ./config.ts.
 */
/** The Feller condition and what it means, for the form and the results. */
export interface FellerInfo {
  /** 2 kappa nubar (1/year^2). */
  lhs: number;
  /** xi^2 (1/year). */
  rhs: number;
  holds: boolean;
  meaning: string;
}

export function fellerInfo(m: HestonMarket): FellerInfo {
  const lhs = 2 * m.kappa * m.nubar;
  const rhs = m.xi * m.xi;
  const holds = fellerHolds(m);
  return {
    lhs,
    rhs,
    holds,
    meaning: holds
      ? 'the variance process stays strictly positive; the Euler paths rarely need the absolute-value fix'
      : 'the variance can reach 0: the Euler–Higham–Mao paths reflect it (|ν|, floor 1e-16), the PDE grid needs points near ν = 0, and Greeks there are less accurate',
  };
}

/** "Bermudan put K = 11, T = 0.3 y, 12 exercise dates" */
export function claimText(c: HestonClaim): string {
  const style = c.exerciseDates > 1 ? `Bermudan ${c.kind}` : `European ${c.kind}`;
  return `${style} K = ${c.strike}, T = ${c.maturity} y${c.exerciseDates > 1 ? `, ${c.exerciseDates} exercise dates` : ''}`;
}

/** Same market and claim (the results put runs of both schemes side by side when they match). */
export function sameProblem(a: { market: HestonMarket; claim: HestonClaim }, b: { market: HestonMarket; claim: HestonClaim }): boolean {
  return JSON.stringify([a.market, a.claim]) === JSON.stringify([b.market, b.claim]);
}

export const H1 = { market: H1_MARKET, claim: H1_CLAIM } as const;
