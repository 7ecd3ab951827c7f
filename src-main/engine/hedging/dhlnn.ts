import { type Adam } from './adam';
import { type ShardPool } from './pool';

/**
 * DHLNN's nested optimisation with a linearised objective (source section 4.1, Algorithm 1; deep-hedging
 * spec "DHLNN"). What this code does, exactly, in one outer iteration r (= one epoch, on that epoch's
 * fresh training paths):
 *
 * 1. Outer step (the "backpropagation during the outer iterations", source 5.1). At w^r: widths
 *    f(x_i, w^r) on all rows, positions through the band, PnL V^r of every path, rho(V^r) on the run's
 *    criterion and its weights u_k = d rho / d V_k (src-shared/hedging/criteria.ts: entropic -pi_k with
 *    pi = softmax(-a V^r); ES -1/m on the m worst paths; mean-variance (-1 + lambda (V_k - mean V)) / N).
 *    The exact gradient g^r = d rho / d w (backpropagation
 *    through the clamp and the |.| cost, the same gradient DHNTB uses) is fed to Adam (lr eta, betas
 *    (0.9, 0.999), eps 1e-8), which updates its moments m, v and moves w_1 = w^r - eta m^ / (sqrt(v^) + eps).
 *    (Trainer.epoch does this step; with N = 0 inner iterations it is the whole epoch, i.e. DHLNN with
 *    N = 0 is DHNTB training, bit for bit.)
 * 2. Freeze at w^r: the clamp's active set of every row (IN / LOW / UP / MID), the leaky-ReLU slopes, the
 *    criterion's weights u_k = d rho / d V_k (entropic: -pi_k), and the activations of the network (its Jacobian J at w^r is never
 *    formed: J d costs one forward-mode pass, J^T e one reverse pass).
 * 3. Inner iterations j = 1 .. N (N = `innerSteps`), starting from w_1:
 *      fhat = f(w^r) + J (w_j - w^r)                          (eq. 9; one JVP)
 *      dhat = positions of fhat through the frozen active set  (affine in fhat)
 *      Vhat_k = smoothed PnL of dhat, cost c sum (dhat_i - dhat_{i-1})^2 P_i   (eq. 13)
 *      Lhat(w_j) = rho(V^r) + sum_k u_k (Vhat_k(w_j) - Vhat_k(w^r))       (eq. 10 with Vhat; = rho(V^r) at w^r)
 *      ghat_j = grad Lhat(w_j) = J^T (dLhat / dfhat)           (eqs. 14-15; one VJP with per-row weights)
 *      w_{j+1} = w_j - eta * ghat_j / (sqrt(v^) + eps)
 *    i.e. the inner steps reuse the Adam adjustment of the outer step — the same learning rate and the same
 *    per-parameter scaling 1 / (sqrt(v^) + eps) from Adam's second moment after step 1 — with the moments
 *    NOT updated by inner gradients (the source: "the adjusted gradient by Adam ... fixed during the nested
 *    linearized model updating process with the same learning rate"). Stop early when
 *    ||w_{j+1} - w_j||_2 < eps_inner (`innerTol`).
 * 4. w^{r+1} = the last inner iterate.
 *
 * Cost per inner iteration: one JVP and one VJP over all rows of the batch at w^r, plus O(rows) scalar work
 * for the clamp sweeps; no per-row Jacobian (rows x parameters) is ever materialised.
 */
export interface InnerLoopResult {
  /** Inner iterations run (<= innerSteps; fewer on early stop). */
  iterations: number;
  /** Lhat(w_j) - rho(V^r) at each inner iterate w_1 .. w_iterations (before its step), money. */
  objectives: number[];
  /** ||w_{j+1} - w_j||_2 of each inner step. */
  stepNorms: number[];
}

/**
 * Run DHLNN's inner iterations on a pool whose shards hold the frozen linearisation at w^r (after
 * `pool.backward`). `params` (= w_1 on entry) is updated in place to the last inner iterate.
 * @param wr w^r, the point of linearisation (flat parameters).
 * @param adam the optimiser after the outer step (its scaling is reused, its state is not changed).
 * @param shouldStop polled between inner iterations (cancellation); stops the loop when true.
 */
export async function dhlnnInnerLoop(
  pool: ShardPool,
  params: Float64Array,
  wr: Float64Array,
  adam: Adam,
  innerSteps: number,
  innerTol: number,
  shouldStop?: () => boolean,
): Promise<InnerLoopResult> {
  const objectives: number[] = [];
  const stepNorms: number[] = [];
  const delta = new Float64Array(params.length);
  for (let j = 0; j < params.length; j++) delta[j] = params[j] - wr[j];
  let iterations = 0;
  for (let it = 0; it < innerSteps; it++) {
    if (shouldStop?.()) break;
    const { objective, grad } = await pool.inner(delta);
    objectives.push(objective);
    const scaled = adam.precondition(grad);
    let norm2 = 0;
    for (let j = 0; j < params.length; j++) {
      const step = -adam.lr * scaled[j];
      params[j] += step;
      delta[j] += step;
      norm2 += step * step;
    }
    iterations++;
    const norm = Math.sqrt(norm2);
    stepNorms.push(norm);
    if (norm < innerTol) break;
  }
  return { iterations, objectives, stepNorms };
}
