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
export interface BsdeStepState {
  kind: 'bsde-steps';
  scheme: 'osm' | 'rdbdp';
  /** The last solved step (N-1 .. 1): steps >= n are done. */
  n: number;
  /** N of the grid: checked on resume. */
  steps: number;
  /** The networks of the solved steps n..N-1 (the tail of the result's `weights` from step n's offset), float32. */
  weights: Float32Array;
  /** rngState() of the solve's stream after step n. */
  rng: number[];
  /** One entry per solved step, N-1 first. */
  history: StepLoss[];
  /** Progress units done (Adam iterations). */
  done: number;
  /** Training wall ms of all attempts so far (the result's timing.trainMs adds this attempt's). */
  trainMs: number;
  /** Largest tf.memory().numBytes seen so far. */
  peakTensorBytes: number;
}

/** What a resumable solve takes (the domain job maps it to the job's CheckpointChannel). */
export interface BsdeResume {
  /** The state an earlier attempt saved (null/undefined: start from the beginning). */
  resume?: unknown;
  /** Called after every solved time step with the state to save (a fresh object: the solve keeps no reference). */
  onStepDone?(state: BsdeStepState): void;
}

/** `resume` checked against this solve, or null on a first attempt; a state that does not fit is refused with the reason. */
export function checkBsdeResume(resume: unknown, scheme: 'osm' | 'rdbdp', steps: number, paramsPerStep: number): BsdeStepState | null {
  if (resume === null || resume === undefined) return null;
  const bad = (why: string): Error => new Error(`the saved checkpoint of this BSDE solve cannot be resumed: ${why}; cancel the run and start it again`);
  if (typeof resume !== 'object' || (resume as { kind?: unknown }).kind !== 'bsde-steps') throw bad('it is not a BSDE time-step state');
  const s = resume as BsdeStepState;
  if (s.scheme !== scheme) throw bad(`it is a ${String(s.scheme)} solve, this one is ${scheme}`);
  if (s.steps !== steps) throw bad(`it has ${String(s.steps)} time steps, this solve ${steps}`);
  if (!Number.isInteger(s.n) || s.n < 1 || s.n > steps - 1) throw bad(`its last solved step ${String(s.n)} is outside 1..${steps - 1}`);
  const want = (steps - s.n) * paramsPerStep;
  if (!(s.weights instanceof Float32Array) || s.weights.length !== want) throw bad(`it has ${String(s.weights?.length)} network parameters where ${steps - s.n} solved steps of this solve have ${want}`);
  if (!Array.isArray(s.rng) || s.rng.length !== 4) throw bad('its random-number state is missing');
  if (!Array.isArray(s.history) || s.history.length !== steps - s.n) throw bad(`it has losses of ${String(s.history?.length)} steps, expected ${steps - s.n}`);
  if (!Number.isFinite(s.done) || !Number.isFinite(s.trainMs)) throw bad('its progress or timing is missing');
  return s;
}
