import { DOES_NOT_HEDGE_LABEL } from '../../src-shared/hedging/ranking';
import { cx } from '../styles/cx';
import styles from './NoHedgeBadge.module.css';

/** The "does not hedge" label wherever hedgers are ranked: inline (chips), block (table headers) or compact (experiment cells). */
export function NoHedgeBadge({ layout = 'inline', testId }: { layout?: 'inline' | 'block' | 'compact'; testId?: string }) {
  return (
    <span
      className={cx(styles.badge, layout === 'block' && styles.block, layout === 'compact' && styles.compact)}
      data-testid={testId}
      title="Mean |position| below 10% of BSDH’s on the same paths"
    >
      {DOES_NOT_HEDGE_LABEL}
    </span>
  );
}
