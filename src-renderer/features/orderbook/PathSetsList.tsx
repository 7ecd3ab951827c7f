import { useEffect, useMemo, useState } from 'react';
import { type PathSetSummary } from '../../../src-shared/orderbook/contract';
import { fmtDateTime, fmtInt, fmtPct } from '../../app/format';
import { EChart } from '../../components/EChart';
import { appErrorOf, call } from '../../ipc/client';
import { pathsPreviewOption } from './charts';
import styles from './orderbook.module.css';
import { cx } from '../../styles/cx';

const PREVIEW = 40;

/**
 * The path sets of a data set: windows (train / test), sigma of the training windows, and the id the
 * deep-hedging lab takes; clicking one previews its first training windows.
 */
export function PathSetsList({ pathSets, highlight, onDeleted }: { pathSets: PathSetSummary[]; highlight: string | null; onDeleted(): void }) {
  const [selected, setSelected] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ id: string; paths: number[][]; steps: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const active = selected ?? highlight ?? pathSets[0]?.id ?? null;
  useEffect(() => {
    if (!active || !pathSets.some((p) => p.id === active)) {
      setPreview(null);
      return;
    }
    let live = true;
    call('orderbook-paths-get', { pathSetId: active, split: 'train', limit: PREVIEW })
      .then((r) => live && setPreview({ id: active, paths: r.paths, steps: r.steps }))
      .catch((e) => live && setError(appErrorOf(e).message));
    return () => {
      live = false;
    };
  }, [active, pathSets]);
  const option = useMemo(() => (preview ? pathsPreviewOption(preview.paths, preview.steps) : null), [preview]);
  if (pathSets.length === 0) return <div className={cx('muted', styles.block)}>No path sets for this data set yet.</div>;
  const remove = async (id: string): Promise<void> => {
    try {
      await call('orderbook-path-set-delete', { pathSetId: id });
      if (selected === id) setSelected(null);
      onDeleted();
    } catch (e) {
      setError(appErrorOf(e).message);
    }
  };
  return (
    <div className={styles.pathsets} data-testid="ob-pathsets">
      <table className={cx(styles.table, styles.fixed)}>
        <colgroup>
          <col />
          <col style={{ width: 78 }} />
          <col style={{ width: 52 }} />
          <col style={{ width: 30 }} />
        </colgroup>
        <thead>
          <tr>
            <th>path set</th>
            <th>train / test</th>
            <th>σ train</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {pathSets.map((p) => (
            <tr key={p.id} className={p.id === active ? styles.active : ''} data-testid="ob-pathset-row" data-id={p.id} onClick={() => setSelected(p.id)} title={`created ${fmtDateTime(p.createdAt)}`}>
              <td>
                <div className={styles.ellipsis}>{p.label}</div>
                <div className="run-id">{p.id}</div>
              </td>
              <td className="num">
                {fmtInt(p.train)} / {fmtInt(p.test)}
              </td>
              <td className="num">{Number.isFinite(p.sigmaTrain) && p.sigmaTrain !== null ? fmtPct(p.sigmaTrain, 1) : '—'}</td>
              <td>
                <button
                  type="button"
                  className="small danger"
                  aria-label="delete path set"
                  onClick={(e) => {
                    e.stopPropagation();
                    void remove(p.id);
                  }}
                >
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <div className="form-error">{error}</div>}
      {option && preview && (
        <div>
          <div className="muted">First {preview.paths.length} training windows (each starts at 1)</div>
          <EChart option={option} testId="ob-paths-preview" className={styles.previewChart} ariaLabel="path preview" seriesCount={preview.paths.length} />
        </div>
      )}
    </div>
  );
}
