import { type WorkEstimate, estimateBsde } from '../limits/estimate';
import { type HestonSolveConfig } from './config';

/**
 * Seconds the job adds beyond training: the PDE reference with its refinement (two ADI solves; the h1 target is
 * under 5 s for the default grid) and the Greek surfaces (network and PDE on 4 dates x 25 x 25 states).
 */
export const HESTON_REFERENCE_SECONDS = 10;

/**
 * Work of a Heston solve before it starts: the deep-BSDE estimate of src-shared/limits (Adam iterations x batch x
 * d with d = 2 state variables, at the rate measured on Black–Scholes books, so good to a factor of about two)
 * plus {@link HESTON_REFERENCE_SECONDS} for the reference and the surfaces.
 */
export function estimateHestonSolve(c: Pick<HestonSolveConfig, 'scheme' | 'steps' | 'batch' | 'iterationsLast' | 'iterationsOther' | 't0Samples' | 'width' | 'depth'>): WorkEstimate {
  const e = estimateBsde({ ...c, samplesT0: c.t0Samples, d: 2 });
  return { ...e, what: `Heston solve (${c.scheme})`, seconds: e.seconds + HESTON_REFERENCE_SECONDS };
}
