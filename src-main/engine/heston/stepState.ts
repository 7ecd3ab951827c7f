import { type HestonSolveInfo } from './solution';

/**
 * A Heston deep-BSDE solve's resumable state after a backward time step (the same shape of solve as
 * engine/bsde: networks trained from n = N-1 down to 1, each starting from the step after it). After step n
 * the rest needs: the networks of the solved steps n..N-1, the position of the solve's one random stream (the
 * path bank and the input normalisation are rebuilt from the seed exactly as before, then the stream is set to
 * the saved position), the per-step losses, the progress units done and the time trained so far. Resumed,
 * the solve ends with the uninterrupted one's numbers bit for bit (wall-clock figures aside).
 *
 * Size: 4 bytes per network parameter of the solved steps (OSM: C and Z networks of `width` x `depth` on two
 * inputs) plus ~40 bytes per solved step of losses; measured in test/integration/heston-checkpoints.test.ts.
 */
export interface HestonStepState {
  kind: 'heston-steps';
  scheme: 'osm' | 'rdbdp';
  /** The last solved step (N-1 .. 1). */
  n: number;
  steps: number;
  /** Networks of the solved steps n..N-1: the tail of the solution's weights from step n's offset, float32. */
  weights: Float32Array;
  /** rngState() of the solve's stream after step n. */
  rng: number[];
  losses: HestonSolveInfo['losses'];
  done: number;
  /** Wall ms of the solve so far (set-up and training), summed over the attempts (each counts its own set-up). */
  trainMs: number;
}

/** What a resumable Heston solve takes (the domain job maps it to the job's CheckpointChannel). */
export interface HestonResume {
  resume?: unknown;
  /** Called after every solved time step with a fresh state object. */
  onStepDone?(state: HestonStepState): void;
}

/** `resume` checked against this solve (null on a first attempt); a state that does not fit is refused with the reason. */
export function checkHestonResume(resume: unknown, scheme: 'osm' | 'rdbdp', steps: number, paramsPerStep: number): HestonStepState | null {
  if (resume === null || resume === undefined) return null;
  const bad = (why: string): Error => new Error(`the saved checkpoint of this Heston solve cannot be resumed: ${why}; cancel the run and start it again`);
  if (typeof resume !== 'object' || (resume as { kind?: unknown }).kind !== 'heston-steps') throw bad('it is not a Heston time-step state');
  const s = resume as HestonStepState;
  if (s.scheme !== scheme) throw bad(`it is a ${String(s.scheme)} solve, this one is ${scheme}`);
  if (s.steps !== steps) throw bad(`it has ${String(s.steps)} time steps, this solve ${steps}`);
  if (!Number.isInteger(s.n) || s.n < 1 || s.n > steps - 1) throw bad(`its last solved step ${String(s.n)} is outside 1..${steps - 1}`);
  const want = (steps - s.n) * paramsPerStep;
  if (!(s.weights instanceof Float32Array) || s.weights.length !== want) throw bad(`it has ${String(s.weights?.length)} network parameters where ${steps - s.n} solved steps of this solve have ${want}`);
  if (!Array.isArray(s.rng) || s.rng.length !== 4) throw bad('its random-number state is missing');
  if (!Array.isArray(s.losses) || s.losses.length !== steps - s.n) throw bad(`it has losses of ${String(s.losses?.length)} steps, expected ${steps - s.n}`);
  if (!Number.isFinite(s.done) || !Number.isFinite(s.trainMs)) throw bad('its progress or timing is missing');
  return s;
}
