import { type EpochRecord, type HedgeEpochDetail, type HedgeRunConfig, type SnapshotMetrics } from '../../../src-shared/hedging/config';
import { type AdamState } from '../../engine/hedging/adam';

/**
 * The resumable state of a trained hedging run ('hedge' with a network model) on a CheckpointChannel
 * (src-main/cluster/types.ts), saved after every epoch. With it a retried attempt continues exactly as the
 * uninterrupted run: the Trainer draws epoch e's paths from `seeded(deriveSeed(seed, e))` (no RNG position to
 * carry), the monitor and test sets are fixed by the seed, so what the loop carries between epochs is all that
 * is needed — the weights, Adam's moments and step count, the epoch history, the snapshot figures and PnLs
 * (`pnl@<epoch>`, the result's arrays), the per-epoch seconds and DHLNN inner iterations summed so far, and the
 * last live detail (the result's `training.lastDetail`).
 *
 * Size: params + Adam m and v are 3 x 8 bytes per weight (12,866 weights for DHNTB on a European: ~309 kB), plus
 * 8 bytes per test path for each snapshot taken so far, plus the history (~100 bytes per epoch).
 */
export interface HedgeResumeState {
  kind: 'hedge-train';
  /** Epochs done (1-based, the state is after this epoch). */
  epoch: number;
  params: Float64Array;
  adam: AdamState;
  history: EpochRecord[];
  snapshots: SnapshotMetrics[];
  /** `pnl@<epoch>` of the snapshots so far, by epoch. */
  snapshotPnl: Record<string, Float64Array>;
  /** Wall seconds of each epoch trained by this run so far (its median is `training.secondsPerEpoch`). */
  seconds: number[];
  innerSum: number;
  lastDetail?: HedgeEpochDetail;
}

/**
 * Why this run cannot run without the local store (on a cluster worker), or null if it can: a continuation or
 * an evaluation reads another run's stored weights, a run on an order-book path set reads the stored windows.
 */
export function hedgeNeedsStore(cfg: HedgeRunConfig): string | null {
  if (cfg.resume) return `it continues run ${cfg.resume.runId} from a checkpoint kept in the local store; run it on this machine`;
  if (cfg.evaluation) return `it evaluates the stored weights of run ${cfg.evaluation.runId}, which live in the local store; run it on this machine`;
  if (cfg.data?.kind === 'paths') return 'it trains on an order-book path set stored on this machine; run it on this machine';
  return null;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/**
 * The saved state, checked against this run (null on a first attempt). A state that does not fit — another
 * network size, an epoch beyond the run's — is refused with the reason rather than resumed into wrong numbers.
 */
export function readHedgeResume(latest: unknown, paramCount: number, epochs: number): HedgeResumeState | null {
  if (latest === null || latest === undefined) return null;
  const bad = (why: string): Error => new Error(`the saved checkpoint of this hedging run cannot be resumed: ${why}; cancel the run and start it again`);
  if (!isObj(latest) || latest.kind !== 'hedge-train') throw bad('it is not a hedging training state');
  const s = latest as unknown as HedgeResumeState;
  if (!Number.isInteger(s.epoch) || s.epoch < 1 || s.epoch > epochs) throw bad(`it is after epoch ${String(s.epoch)}, outside 1..${epochs}`);
  if (!(s.params instanceof Float64Array) || s.params.length !== paramCount) throw bad(`it has ${String(s.params?.length)} weights where the network has ${paramCount}`);
  const a = s.adam;
  if (!isObj(a) || !(a.m instanceof Float64Array) || !(a.v instanceof Float64Array) || a.m.length !== paramCount || a.v.length !== paramCount || a.t !== s.epoch) {
    throw bad('its Adam state does not match its weights and epoch');
  }
  if (!Array.isArray(s.history) || s.history.length !== s.epoch) throw bad(`its history has ${String(s.history?.length)} epochs, expected ${s.epoch}`);
  if (!Array.isArray(s.snapshots) || !isObj(s.snapshotPnl) || !Array.isArray(s.seconds)) throw bad('its snapshots or timings are missing');
  return s;
}
