import { type ColumnMapping, MAX_LEVELS, TIME_UNITS } from '../../../src-shared/orderbook/contract';
import styles from './orderbook.module.css';
import { cx } from '../../styles/cx';

/** Roles of one level, as the mapping names them, and their labels. */
const LEVEL_ROLES = [
  ['bidPrice', 'bid price'],
  ['bidSize', 'bid size'],
  ['askPrice', 'ask price'],
  ['askSize', 'ask size'],
] as const;

const UNIT_LABELS: Record<(typeof TIME_UNITS)[number], string> = {
  s: 'seconds since 1970',
  ms: 'milliseconds since 1970',
  us: 'microseconds since 1970',
  ns: 'nanoseconds since 1970',
  iso: 'ISO 8601 date-time text',
};

/** Roles the draft leaves unmapped, e.g. `ask size 2`, `timestamp`. */
export function unmappedRoles(m: ColumnMapping): string[] {
  const out: string[] = [];
  if (m.layout === 'competition') {
    if (!m.timeId) out.push('time_id');
    if (!m.secondsInBucket) out.push('seconds_in_bucket');
  } else if (!m.timestamp) out.push('timestamp');
  for (let k = 0; k < m.levels; k++) for (const [role, label] of LEVEL_ROLES) if (!m[role][k]) out.push(`${label} ${k + 1}`);
  return out;
}

/** Resize the level lists to `levels`, keeping what is mapped. */
export function withLevels(m: ColumnMapping, levels: number): ColumnMapping {
  const fit = (a: string[]) => Array.from({ length: levels }, (_, k) => a[k] ?? '');
  return { ...m, levels, bidPrice: fit(m.bidPrice), bidSize: fit(m.bidSize), askPrice: fit(m.askPrice), askSize: fit(m.askSize) };
}

interface Props {
  columns: string[];
  sample: string[][];
  value: ColumnMapping;
  onChange(m: ColumnMapping): void;
  /** Whether the file's first line is a header (false: columns are offered by position, `column 3`). */
  header: boolean;
  onHeader(header: boolean): void;
}

/**
 * The column-mapping step for books whose column names differ from the expected ones: which file column is
 * the time (time_id + seconds, or a timestamp and its unit) and which are each level's bid/ask price and size.
 * The file's first rows are shown to help.
 */
export function MappingForm({ columns, sample, value, onChange, header, onHeader }: Props) {
  // Headerless files: each position with its first value, so "column 3 (e.g. 5859400)" can be recognised.
  const optionText = (c: string, j: number): string => (header || sample[0]?.[j] === undefined ? c : `${c} (e.g. ${sample[0][j].slice(0, 14)})`);
  const select = (testId: string, current: string | undefined, set: (c: string) => void, label: string) => (
    <select data-testid={testId} aria-label={label} value={current ?? ''} onChange={(e) => set(e.target.value)} className={current ? '' : styles.unmapped}>
      <option value="">— choose —</option>
      {columns.map((c, j) => (
        <option key={c} value={c}>
          {optionText(c, j)}
        </option>
      ))}
    </select>
  );
  const setLevel = (role: (typeof LEVEL_ROLES)[number][0], k: number, c: string) => {
    const list = [...value[role]];
    list[k] = c;
    onChange({ ...value, [role]: list });
  };
  const missing = unmappedRoles(value);
  return (
    <div className={styles.mapping} data-testid="ob-mapping">
      <div className={styles.subtitle}>Column mapping</div>
      <label className={styles.checkRow}>
        <input type="checkbox" data-testid="ob-map-header" checked={header} onChange={(e) => onHeader(e.target.checked)} />
        The first line is a header (clear it for a headerless file: columns are then offered by position)
      </label>
      <div className={styles.grid2}>
        <label htmlFor="ob-map-layout">Layout</label>
        <select
          id="ob-map-layout"
          data-testid="ob-map-layout"
          value={value.layout}
          onChange={(e) => onChange({ ...value, layout: e.target.value as ColumnMapping['layout'] })}
        >
          <option value="competition">competition (time_id + seconds_in_bucket)</option>
          <option value="generic">generic (one timestamp column)</option>
        </select>
        <label htmlFor="ob-map-levels">Levels</label>
        <input
          id="ob-map-levels"
          data-testid="ob-map-levels"
          type="number"
          min={1}
          max={MAX_LEVELS}
          value={value.levels}
          onChange={(e) => onChange(withLevels(value, Math.max(1, Math.min(MAX_LEVELS, Math.round(Number(e.target.value) || 1)))))}
        />
        {value.layout === 'competition' ? (
          <>
            <label>time_id</label>
            {select('ob-map-timeId', value.timeId, (c) => onChange({ ...value, timeId: c }), 'time_id column')}
            <label>seconds</label>
            {select('ob-map-secondsInBucket', value.secondsInBucket, (c) => onChange({ ...value, secondsInBucket: c }), 'seconds_in_bucket column')}
          </>
        ) : (
          <>
            <label>timestamp</label>
            {select('ob-map-timestamp', value.timestamp, (c) => onChange({ ...value, timestamp: c }), 'timestamp column')}
            <label htmlFor="ob-map-unit">unit</label>
            <select
              id="ob-map-unit"
              data-testid="ob-map-unit"
              value={value.timestampUnit ?? 's'}
              onChange={(e) => onChange({ ...value, timestampUnit: e.target.value as ColumnMapping['timestampUnit'] })}
            >
              {TIME_UNITS.map((u) => (
                <option key={u} value={u}>
                  {UNIT_LABELS[u]}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor="ob-map-bucket">bucket</label>
        <span className={styles.inline}>
          <input
            id="ob-map-bucket"
            data-testid="ob-map-bucket"
            type="number"
            min={1}
            value={value.bucketSeconds ?? 600}
            onChange={(e) => onChange({ ...value, bucketSeconds: Math.max(1, Number(e.target.value) || 600) })}
          />
          <span className="muted">seconds per bucket (time_id)</span>
        </span>
        <label>stock id</label>
        <select data-testid="ob-map-stockId" aria-label="stock id column" value={value.stockId ?? ''} onChange={(e) => onChange({ ...value, stockId: e.target.value || undefined })}>
          <option value="">from the file path (stock_id=N)</option>
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <table className={styles.levels}>
        <thead>
          <tr>
            <th>level</th>
            {LEVEL_ROLES.map(([, label]) => (
              <th key={label}>{label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: value.levels }, (_, k) => (
            <tr key={k}>
              <td>{k + 1}</td>
              {LEVEL_ROLES.map(([role, label]) => (
                <td key={role}>{select(`ob-map-${role}-${k + 1}`, value[role][k], (c) => setLevel(role, k, c), `${label} ${k + 1}`)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {missing.length > 0 && (
        <div className={cx('field-error', styles.block)} data-testid="ob-mapping-missing">
          Still to map: {missing.join(', ')}
        </div>
      )}
      {sample.length > 0 && (
        <div className={styles.sampleWrap}>
          <div className="muted">First rows of the file:</div>
          <table className={styles.sample} data-testid="ob-sample">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sample.slice(0, 4).map((r, i) => (
                <tr key={i}>
                  {columns.map((c, j) => (
                    <td key={c}>{r[j] ?? ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
