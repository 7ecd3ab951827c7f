import { CRITERION_DEFAULTS } from '../../../src-shared/hedging/criteria';
import { DOES_NOT_HEDGE_FRACTION, DOES_NOT_HEDGE_LABEL } from '../../../src-shared/hedging/ranking';
import styles from './CriteriaHelp.module.css';

/**
 * In-app help on training criteria and rankings (deep-hedging spec, "Training criteria"): shown under the
 * criterion select of the hedging form and in the experiment launcher. Same content as the README section.
 */
export function CriteriaHelp() {
  return (
    <details className={styles.help} data-testid="criteria-help">
      <summary>How criteria and rankings work</summary>
      <p>
        A trained hedger minimises one risk measure of its PnL (all in P₀, lower is better): the <b>entropic loss</b>{' '}
        (1/a) log E exp(−a PnL), the <b>expected shortfall</b> ES α (mean loss of the worst 1 − α of paths), or{' '}
        <b>mean-variance</b> −E[PnL] + (λ/2) Var(PnL). The default is the source’s entropic loss with a ={' '}
        {CRITERION_DEFAULTS.riskAversion}, so the experiments E1–E5 stay the source’s.
      </p>
      <p>
        With a = 1 and PnL of order 10⁻², the entropic loss is almost the mean PnL: a hedger that stops trading saves its
        costs and can “win” on it while its ES 90% is twice BSDH’s or worse. Raise a (e.g. 50) or train on ES to weigh the
        tail.
      </p>
      <p>
        Every run stores the criterion it was trained on and reports every measure (entropic at a = 1 and at its a, ES at
        90% and at its α, mean-variance at its λ) plus its mean |position| and BSDH’s on the same paths. Comparisons rank
        on the criterion the runs were trained on (or one you pick when they differ) and say so (“ranked by ES 90%”).
        A hedger whose mean |position| is below {DOES_NOT_HEDGE_FRACTION * 100}% of BSDH’s on the same paths is labelled
        “{DOES_NOT_HEDGE_LABEL}”, ranked after every hedger that hedges, and never highlighted as best. Experiment verdicts:
        DHLNN ranks first on the criterion trained and has the lowest ES 90%.
      </p>
    </details>
  );
}
