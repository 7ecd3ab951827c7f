/**
 * The live detail a 'heston-solve' job sends with its progress: which phase it is in (training the networks
 * backward in time, the t = 0 regression, the PDE reference, the Greek surfaces), and the solver's own detail
 * while it trains (passed through as it comes).
 */
export interface HestonJobProgress {
  phase: 'train' | 'reference' | 'surfaces';
  /** The engine's detail during training (JSON, shape of the solver). */
  solver?: unknown;
  /** What the phase is doing, for the screen ("ADI PDE on 100 x 50 x 60 and the refined grid"). */
  note?: string;
}
