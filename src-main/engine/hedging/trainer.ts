import { type Criterion, criterionRisk, criterionWeights } from '../../../src-shared/hedging/criteria';
import { Adam, type AdamState } from './adam';
import { type HedgeTask, deriveSeed, featureCount, sampleWindows, trainingPrices } from './datasets';
import { dhlnnInnerLoop } from './dhlnn';
import { type MlpLayout, initParams } from './network';
import { type ShardPool } from './pool';
import { type NetModel } from './shard';
import { seeded } from '../stochastic/rng';

/**
 * The training loop of the network hedgers, one epoch at a time (pfhedge's convention, which the source
 * follows: an epoch is ONE optimiser step on `trainPaths` fresh paths; spec "Market": 10,000 paths per
 * epoch). Loss: the run's criterion rho of the batch PnL (src-shared/hedging/criteria.ts; default the source's
 * entropic risk with a = 1). The gradient is sum_k u_k dV_k/dw with u_k = d rho / d V_k from `criterionWeights`
 * on the whole batch (ES: the sorting-based tail mean, weight -1/m on the m worst paths).
 *
 * - DHMLP and DHNTB: plain Adam on the exact gradient.
 * - DHLNN: the same outer Adam step, then the inner iterations of dhlnn.ts on the frozen linearisation, with
 *   the same weights u_k in place of the entropic -pi_k.
 *
 * Deterministic: the initial weights come from `seeded(deriveSeed(seed, 0))`, epoch e's paths from
 * `seeded(deriveSeed(seed, e))`; a run resumed from its checkpoint after epoch e continues exactly as the
 * uninterrupted run would have.
 */
export interface TrainerOptions {
  model: NetModel;
  task: HedgeTask;
  seed: number;
  trainPaths: number;
  /** Volatility and drift of the training paths (GBM). */
  trainVol: number;
  drift: number;
  learningRate: number;
  /** Training criterion (default entropic, a = 1). */
  criterion?: Criterion;
  innerSteps?: number;
  innerTol?: number;
  /**
   * Train on stored windows instead of GBM (order-book path set): path-major `count x (steps + 1)`, rows
   * starting at 1. Each epoch draws `trainPaths` windows with replacement (datasets.ts `sampleWindows`).
   */
  trainSet?: { prices: Float64Array; count: number };
}

/** Network of each model: 4 x 64 ReLU; NTB/DHLNN output the two band widths, DHMLP the position. */
export function layoutFor(model: NetModel, task: Pick<HedgeTask, 'option'>, hidden = [64, 64, 64, 64]): MlpLayout {
  const nf = featureCount(task.option);
  return model === 'mlp' ? { inputs: nf + 1, hidden, outputs: 1 } : { inputs: nf, hidden, outputs: 2 };
}

export interface EpochResult {
  /** Criterion value of the batch at the weights before the step (money). */
  trainLoss: number;
  /** Mean PnL of the batch before the step (money). */
  trainMean: number;
  /** DHLNN only. */
  innerIterations?: number;
  innerObjectives?: number[];
  /** Wall seconds of the whole epoch (paths, passes, steps). */
  seconds: number;
  /** Of which the outer step: paths, forward, backward, Adam (= the whole epoch for DHMLP/DHNTB). */
  outerSeconds: number;
  /** DHLNN: wall seconds of all inner iterations of the epoch. */
  innerSeconds?: number;
}

const DEFAULT_CRITERION: Criterion = { kind: 'entropic', a: 1 };

export class Trainer {
  params: Float64Array;
  readonly adam: Adam;

  constructor(
    private readonly pool: ShardPool,
    readonly opts: TrainerOptions,
    readonly layout: MlpLayout,
    init?: { params: Float64Array; adam?: AdamState },
  ) {
    this.params = init ? Float64Array.from(init.params) : initParams(layout, seeded(deriveSeed(opts.seed, 0)));
    this.adam = new Adam(this.params.length, { lr: opts.learningRate });
    if (init?.adam) this.adam.load(init.adam);
  }

  /**
   * Epoch `epoch` (>= 1): fresh paths, forward, backward, Adam step (+ DHLNN inner loop).
   * @param shouldStop polled inside the DHLNN inner loop (the epoch then ends early but stays consistent).
   */
  async epoch(epoch: number, shouldStop?: () => boolean): Promise<EpochResult> {
    const t0 = performance.now();
    const { task, trainPaths, seed, trainVol, drift } = this.opts;
    const set = this.opts.trainSet;
    const prices = set
      ? sampleWindows(seed, epoch, set.prices, set.count, task.steps, trainPaths)
      : trainingPrices(seed, epoch, trainPaths, task, trainVol, drift);
    await this.pool.setBatch(prices, trainPaths);
    try {
      const fw = await this.pool.forward(this.params);
      const criterion = this.opts.criterion ?? DEFAULT_CRITERION;
      const rho = criterionRisk(fw.pnl, criterion);
      const grad = await this.pool.backward(criterionWeights(fw.pnl, criterion));
      const wr = Float64Array.from(this.params);
      this.adam.step(this.params, grad);
      const res: EpochResult = { trainLoss: rho, trainMean: fw.pnlSum / trainPaths, seconds: 0, outerSeconds: (performance.now() - t0) / 1000 };
      if (this.opts.model === 'dhlnn') {
        const t1 = performance.now();
        const inner = await dhlnnInnerLoop(this.pool, this.params, wr, this.adam, this.opts.innerSteps ?? 0, this.opts.innerTol ?? 0, shouldStop);
        res.innerIterations = inner.iterations;
        res.innerObjectives = inner.objectives.map((o) => o + rho);
        res.innerSeconds = (performance.now() - t1) / 1000;
      }
      res.seconds = (performance.now() - t0) / 1000;
      return res;
    } finally {
      await this.pool.release();
    }
  }
}
