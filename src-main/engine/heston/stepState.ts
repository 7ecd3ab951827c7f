import { type StepResume, type StepStateBase, checkStepState } from '../bsde/stepState';
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
export interface HestonStepState extends StepStateBase<'heston-steps'> {
  losses: HestonSolveInfo['losses'];
}

/** What a resumable Heston solve takes (the domain job maps it to the job's CheckpointChannel). */
export type HestonResume = StepResume<HestonStepState>;

/** checkStepState (engine/bsde/stepState.ts) for a Heston solve. */
export const checkHestonResume = (resume: unknown, scheme: 'osm' | 'rdbdp', steps: number, paramsPerStep: number): HestonStepState | null =>
  checkStepState<HestonStepState>(resume, { kind: 'heston-steps', solve: 'Heston', scheme, steps, paramsPerStep, losses: (s) => s.losses });
