import { type HedgeComparison } from '../../../src-shared/bsde/hedge';
import { fmtDateTime } from '../../app/format';
import styles from './rebalance.module.css';
import { cx } from '../../styles/cx';

interface Props {
  comparisons: HedgeComparison[] | null;
  error: string | null;
  activeId: string | null;
  onSelect(groupId: string): void;
}

const TERMINAL = new Set(['done', 'failed', 'cancelled', 'interrupted']);

/** The stored comparisons, newest first, with how many of their cells have finished. */
export function ComparisonsList({ comparisons, error, activeId, onSelect }: Props) {
  if (error) return <div className={cx('inline-error', styles.pad)}>Could not list the comparisons: {error}</div>;
  if (!comparisons) return <div className={cx('muted', styles.pad)}>Loading comparisons…</div>;
  if (!comparisons.length)
    return (
      <div className="empty" data-testid="rb-cmp-empty">
        No comparisons yet: start one on the left (a preset book in one action, or a finished solve run).
      </div>
    );
  const sorted = [...comparisons].sort((a, b) => b.createdAt - a.createdAt);
  return (
    <div className={styles.cmpListWrap}>
      <table className={cx('metrics-table', styles.cmpList)} data-testid="rb-cmp-list">
        <thead>
          <tr>
            <th>Comparison</th>
            <th className="num">Cells</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((c) => {
            const done = c.cells.filter((x) => TERMINAL.has(x.status)).length;
            const failed = c.cells.filter((x) => x.status === 'failed').length;
            return (
              <tr key={c.groupId} className={c.groupId === activeId ? styles.selected : undefined} data-testid="rb-cmp-item" data-group-id={c.groupId} onClick={() => onSelect(c.groupId)}>
                <td className={styles.ellipsis} title={c.label}>
                  {c.label}
                </td>
                <td className="num">
                  {done} / {c.cells.length}
                  {failed ? <span className="inline-error"> ({failed} failed)</span> : null}
                </td>
                <td>{fmtDateTime(c.createdAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
