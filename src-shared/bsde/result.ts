import { type PayoffType } from '../portfolio/book';
import { type Scheme } from './config';

/**
 * What a solve run stores (run kind 'bsde-solve'): metrics JSON (this file's BsdeMetrics) and the trained
 * networks as one float32 array named `weights`, laid out as described by `solution` (see
 * src-main/engine/bsde/solution.ts, whose `evaluateSolution` gives price/Delta/Gamma at any (t_n, S)).
 */

/** Price (money), Delta (d, units of each asset) and Gamma (d x d, 1/money) in asset-price coordinates. */
export interface GreeksAt {
  price: number;
  delta: number[];
  /** null when the scheme has no Gamma there (RDBDP with a single time step). */
  gamma: number[][] | null;
}

export interface GreekErrors {
  /** |p - p_ref| / |p_ref|. */
  price: number;
  /** ||Delta - Delta_ref||_2 / ||Delta_ref||_2. */
  delta: number;
  /** ||Gamma - Gamma_ref||_F / ||Gamma_ref||_F. */
  gamma: number | null;
  deltaMaxAbs: number;
  gammaMaxAbs: number | null;
}

export interface ReferenceGreeks extends GreeksAt {
  method: 'closed form' | 'lattice';
  gamma: number[][];
}

/**
 * How far the learned price may be from the true one (money), beyond the t = 0 regression's standard error,
 * which only measures the sampling noise of the last least-squares fit and not the solver's bias (on books
 * with closed forms the actual gap has been 10–73 of those standard errors).
 * - 'reference': the measured gap |price - reference| to the closed form or lattice value;
 * - 'calibrated': no reference for this row; k x its regression s.e., k the largest gap / s.e. among the
 *   options of the same solve that have a reference (same settings, same networks); for the book the sum of
 *   |n_j| x the options' figures (a bound);
 * - 'none': nothing in this solve has a reference, so the bias is not estimated (value null).
 */
export interface PriceErrorEstimate {
  kind: 'reference' | 'calibrated' | 'none';
  /** Money, >= 0; null for 'none'. */
  value: number | null;
  /** One line saying what the figure is, for the screen and the CLI. */
  note: string;
}

export interface OptionSolveResult extends GreeksAt {
  label: string;
  payoff: PayoffType;
  quantity: number;
  /**
   * Standard error (money) of the t = 0 regression's intercept: the sampling noise of that one fit only. It
   * does not cover the solver's bias; see `priceError`.
   */
  priceStdErr: number;
  /** The estimate of the price's actual error (absent in runs stored before it existed). */
  priceError?: PriceErrorEstimate;
  reference: ReferenceGreeks | null;
  errors: GreekErrors | null;
}

export interface StepLoss {
  /** Grid index trained (N-1 .. 1; 0 is the t = 0 least squares). */
  n: number;
  /** t_n in years. */
  t: number;
  /** OSM: Z/Gamma loss (scaled MSE); null for RDBDP. */
  lossZ: number | null;
  /** OSM: Y loss; RDBDP: the joint loss (scaled MSE). */
  lossY: number;
  iterations: number;
  ms: number;
}

/** The stored networks and everything needed to evaluate them (JSON part; the weights are an array). */
export interface StoredSolution {
  format: 'bsde-solution/1';
  scheme: Scheme;
  d: number;
  J: number;
  steps: number;
  horizon: number;
  dt: number;
  shapes: { c: MlpShapeJson; z: MlpShapeJson };
  /** Offsets in `weights` of the networks of grid index n = 1..N-1 (entry n-1). */
  offsets: Array<{ c: number; z: number }>;
  scales: { shiftC: number[]; sC: number[]; shiftZ: number[]; sZ: number[]; sG: number[] };
  market: { rate: number; s0: number[]; x0: number[]; b: number[]; sigma: number[]; sig: number[]; sigInv: number[]; theta: number[] };
  /** sigma_a sqrt(dt) (the digital's gradient smoothing). */
  smooth: number[];
  options: Array<{ payoff: PayoffType; assets: number[]; strike: number; strike2: number | null; quantity: number; maturityIndex: number; exercise: number[] }>;
  /** t = 0 constants (valid at S_0 only). */
  t0: { price: number[]; z: number[]; dz: number[] | null; hessX: number[] | null };
}

export interface MlpShapeJson {
  inputs: number;
  width: number;
  depth: number;
  outputs: number;
}

export interface BsdeMetrics {
  scheme: Scheme;
  d: number;
  J: number;
  steps: number;
  horizon: number;
  dt: number;
  assets: string[];
  options: OptionSolveResult[];
  /** sum_j n_j of the options' values; reference only when every option has one. */
  book: GreeksAt & { priceStdErr: number; priceError?: PriceErrorEstimate; reference: ReferenceGreeks | null; errors: GreekErrors | null };
  losses: StepLoss[];
  t0: { samples: number; lossZ: number | null; lossY: number; ms: number };
  timing: { trainMs: number; t0Ms: number; totalMs: number; iterations: number };
  /** Largest tfjs memory held between Adam steps (networks, Adam moments, pools; bytes). Process RSS is larger. */
  peakTensorBytes: number;
  solution: StoredSolution;
}

/** Greeks of one option at (t_n, S) from the stored networks ('bsde-evaluate'). */
export interface OptionGreeksAt extends GreeksAt {
  /** Exercised at this date (value = payoff). */
  exercised: boolean;
  /** Past its maturity: no longer part of the book. */
  expired: boolean;
}

export interface BookGreeksAt {
  /** t_n in years. */
  t: number;
  options: OptionGreeksAt[];
  /** sum_j n_j over options not expired. */
  book: GreeksAt;
}

/** Live detail of a running solve ('run-progress'.detail). */
export interface BsdeProgress {
  phase: 'train' | 't0' | 'done';
  /** 1-based count of the time step being worked on (N-1 trained steps, then t = 0): "step k of N". */
  step: number;
  steps: number;
  /** Grid index n of that step and t_n (years). */
  n: number;
  t: number;
  stage: 'Z' | 'Y' | 'joint' | 't0';
  iteration: number;
  iterations: number;
  lossZ: number | null;
  lossY: number | null;
  /** Finished steps so far. */
  history: StepLoss[];
}
