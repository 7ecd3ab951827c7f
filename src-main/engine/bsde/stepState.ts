import { type StepLoss } from '../../../src-shared/bsde/result';

/**
 * A deep-BSDE solve's resumable state after a backward time step (spec portfolio-bsde.md: the networks are
 * trained from n = N-1 down to n = 1, each from the step after it). After step n the rest of the solve needs
 * only: the networks of steps N-1..n (the solved part of the result's `weights` array), the
 * position of the solve's one random stream (which every later step and the t = 0 sample draw from), the
 * per-step losses, the progress units done, and the time spent so far. A solve resumed from it skips steps
 * N-1..n and, the engine being deterministic given the seed, ends with the uninterrupted solve's numbers bit
 * for bit (wall-clock figures aside).
 *
 * Size: 4 bytes per network parameter of the solved steps (at most N-1 of them) plus ~80 bytes per solved step
 * of losses; measured figures in test/integration/bsde-checkpoints.test.ts.
 */
/** The fields of every backward time-step state (the BSDE solve's here, the Heston solve's in engine/heston/stepState.ts). */
export interface StepStateBase<K extends string> {
  kind: K;
  scheme: 'osm' | 'rdbdp';
  /** The last solved step (N-1 .. 1): steps >= n are done. */
  n: number;
  /** N of the grid: checked on resume. */
  steps: number;
  /** The networks of the solved steps n..N-1 (the tail of the result's `weights` from step n's offset), float32. */
  weights: Float32Array;
  /** rngState() of the solve's stream after step n. */
  rng: number[];
  /** Progress units done (Adam iterations). */
  done: number;
  /** Training wall ms of all attempts so far (the result's timing adds this attempt's). */
  trainMs: number;
}

export interface BsdeStepState extends StepStateBase<'bsde-steps'> {
  /** One entry per solved step, N-1 first. */
  history: StepLoss[];
  /** Largest tf.memory().numBytes seen so far. */
  peakTensorBytes: number;
}

/** What a resumable solve takes (the domain job maps it to the job's CheckpointChannel). */
export interface StepResume<S> {
  /** The state an earlier attempt saved (null/undefined: start from the beginning). */
  resume?: unknown;
  /** Called after every solved time step with the state to save (a fresh object: the solve keeps no reference). */
  onStepDone?(state: S): void;
}

export type BsdeResume = StepResume<BsdeStepState>;

/**
 * `resume` checked against this solve, or null on a first attempt; a state that does not fit is refused with the
 * reason. `losses` picks the state's per-step losses (one per solved step).
 */
export function checkStepState<S extends StepStateBase<string>>(
  resume: unknown,
  want: { kind: S['kind']; solve: string; scheme: 'osm' | 'rdbdp'; steps: number; paramsPerStep: number; losses: (s: S) => unknown },
): S | null {
  if (resume === null || resume === undefined) return null;
  const { steps } = want;
  const bad = (why: string): Error => new Error(`the saved checkpoint of this ${want.solve} solve cannot be resumed: ${why}; cancel the run and start it again`);
  if (typeof resume !== 'object' || (resume as { kind?: unknown }).kind !== want.kind) throw bad(`it is not a ${want.solve} time-step state`);
  const s = resume as S;
  if (s.scheme !== want.scheme) throw bad(`it is a ${String(s.scheme)} solve, this one is ${want.scheme}`);
  if (s.steps !== steps) throw bad(`it has ${String(s.steps)} time steps, this solve ${steps}`);
  if (!Number.isInteger(s.n) || s.n < 1 || s.n > steps - 1) throw bad(`its last solved step ${String(s.n)} is outside 1..${steps - 1}`);
  const params = (steps - s.n) * want.paramsPerStep;
  if (!(s.weights instanceof Float32Array) || s.weights.length !== params) throw bad(`it has ${String(s.weights?.length)} network parameters where ${steps - s.n} solved steps of this solve have ${params}`);
  if (!Array.isArray(s.rng) || s.rng.length !== 4) throw bad('its random-number state is missing');
  const losses = want.losses(s);
  if (!Array.isArray(losses) || losses.length !== steps - s.n) throw bad(`it has losses of ${String((losses as unknown[] | undefined)?.length)} steps, expected ${steps - s.n}`);
  if (!Number.isFinite(s.done) || !Number.isFinite(s.trainMs)) throw bad('its progress or timing is missing');
  return s;
}

/** checkStepState for a BSDE solve. */
export const checkBsdeResume = (resume: unknown, scheme: 'osm' | 'rdbdp', steps: number, paramsPerStep: number): BsdeStepState | null =>
  checkStepState<BsdeStepState>(resume, { kind: 'bsde-steps', solve: 'BSDE', scheme, steps, paramsPerStep, losses: (s) => s.history });
