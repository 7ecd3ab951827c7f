import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { GREEK_LABELS, GREEK_UNITS, type HestonSurfaceInfo } from '../../../../src-shared/heston/contract';
import { GREEK_NAMES, type GreekName } from '../../../../src-shared/heston/types';
import { fmtSig } from '../../../app/format';
import { EChart } from '../../../components/EChart';
import { appErrorOf, call } from '../../../ipc/client';
import { surfaceHeatmapOption, valueRange } from './hestonCharts';
import styles from './heston.module.css';
import { cx } from '../../../styles/cx';

/**
 * A Greek over (S, ν) at one of the run's stored grid dates, from the networks and from the PDE side by side on
 * one numbered colour scale; the states span the 2%–98% range of the simulated paths at that date (where the
 * networks were trained). Pick the Greek and the date.
 */
export function HestonSurfaces({ runId, info }: { runId: string; info: HestonSurfaceInfo }) {
  const [greek, setGreek] = useState<GreekName>('delta');
  const [date, setDate] = useState(0);
  const q = useQuery({ queryKey: ['heston-surface', runId, date, greek], queryFn: () => call('heston-surface', { runId, date, greek }) });
  const s = q.data;
  const range = useMemo(() => (s ? valueRange(s.network, s.pde) : null), [s]);
  const maxDiff = useMemo(() => (s?.pde ? Math.max(...s.network.map((v, k) => Math.abs(v - s.pde![k]!))) : null), [s]);
  const unit = GREEK_UNITS[greek];
  return (
    <div className={styles.surfaces} data-testid="heston-surfaces">
      <div className="toolbar">
        <span className={styles.surfacesTitle}>Surfaces over (S, ν)</span>
        <label>
          Greek{' '}
          <select data-testid="heston-surface-greek" value={greek} onChange={(e) => setGreek(e.target.value as GreekName)}>
            {GREEK_NAMES.map((g) => (
              <option key={g} value={g}>
                {GREEK_LABELS[g]}
              </option>
            ))}
          </select>
        </label>
        <label>
          date{' '}
          <select data-testid="heston-surface-date" value={date} onChange={(e) => setDate(Number(e.target.value))}>
            {info.dates.map((d, k) => (
              <option key={d.n} value={k}>
                t = {fmtSig(d.t, 3)} y (n = {d.n})
              </option>
            ))}
          </select>
        </label>
        {maxDiff !== null && (
          <span className="muted" data-testid="heston-surface-maxdiff">
            max |network − PDE| = {fmtSig(maxDiff, 3)} {unit}
          </span>
        )}
      </div>
      {q.error ? (
        <div className="run-message error" role="alert">
          {appErrorOf(q.error).message}
        </div>
      ) : !s || !range ? (
        <div className="empty">Loading the surfaces…</div>
      ) : (
        <div className={styles.surfaceRow}>
          <EChart option={surfaceHeatmapOption(s.S, s.nu, s.network, `${GREEK_LABELS[greek]} — network`, range, unit)} testId="heston-surface-network" className={styles.chart} ariaLabel="Greek surface from the networks" />
          {s.pde ? (
            <EChart option={surfaceHeatmapOption(s.S, s.nu, s.pde, `${GREEK_LABELS[greek]} — PDE`, range, unit)} testId="heston-surface-pde" className={styles.chart} ariaLabel="Greek surface from the PDE" />
          ) : (
            <div className={cx(styles.chart, 'placeholder')}>No PDE surface stored for this run.</div>
          )}
        </div>
      )}
    </div>
  );
}
