import { useMemo } from 'react';
import { type BookContent, type BookOption, PAYOFF_INFO, PAYOFF_TYPES } from '../../../src-shared/portfolio/book';
import { type EditColumn, EditGrid } from './EditGrid';
import {
  addAsset,
  addOption,
  assetsText,
  parseAssets,
  parseCellNumber,
  removeAsset,
  removeOption,
  setAssetField,
  setCorrelation,
  setOptionField,
} from './draft';
import styles from './portfolio.module.css';

interface GridProps {
  book: BookContent;
  issues: Map<string, string[]>;
  onChange(b: BookContent): void;
  readOnly: boolean;
}

const num = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(8))) : v === null || v === undefined ? '' : String(v));

type AssetRow = BookContent['assets'][number] & { i: number };

/** Assets: name, S0 (money), mu, sigma, dividend yield (per year). */
export function AssetsGrid({ book, issues, onChange, readOnly }: GridProps) {
  const rows = useMemo<AssetRow[]>(() => book.assets.map((a, i) => ({ ...a, i })), [book.assets]);
  const columns = useMemo<EditColumn<AssetRow>[]>(() => {
    const field = (id: 'name' | 's0' | 'mu' | 'sigma' | 'q', header: string, help: string, numeric = true): EditColumn<AssetRow> => ({
      id,
      header,
      help,
      numeric,
      flex: id === 'name' ? 1.2 : 1,
      get: (r) => r[id],
      set: (r, v) => onChange(setAssetField(book, r.i, id, numeric ? parseCellNumber(v) : String(v ?? '').trim())),
      format: numeric ? num : undefined,
    });
    return [
      field('name', 'Asset', 'unique name, used by the options grid', false),
      field('s0', 'S0', 'spot price at t = 0 (money)'),
      field('mu', 'μ /yr', 'drift under the real-world measure, per year'),
      field('sigma', 'σ /yr', 'volatility, per year (0.25 = 25%)'),
      field('q', 'q /yr', 'continuous dividend yield, per year'),
      {
        id: 'remove',
        header: '',
        width: 40,
        get: () => '',
        render: (p: { data?: AssetRow }) =>
          readOnly || !p.data || book.assets.length <= 1 ? null : (
            <button type="button" className={styles.rowRemove} title={`Remove ${p.data.name}`} data-testid={`asset-remove-${p.data.i}`} onClick={() => onChange(removeAsset(book, p.data!.i))}>
              ×
            </button>
          ),
      },
    ];
  }, [book, onChange, readOnly]);
  return (
    <div className={styles.gridBlock}>
      <div className={styles.gridHead}>
        <span className="panel-title-inline">Assets ({book.assets.length})</span>
        <span className="spacer" />
        {!readOnly && (
          <button type="button" className="small" data-testid="asset-add" disabled={book.assets.length >= 50} onClick={() => onChange(addAsset(book))}>
            + Asset
          </button>
        )}
      </div>
      <EditGrid testId="assets-grid" rows={rows} columns={columns} prefix="assets" issues={issues} readOnly={readOnly} />
    </div>
  );
}

type CorrRow = { i: number; name: string };

/** Correlation: symmetric edits (rho_ij sets rho_ji), unit diagonal, red cells where it breaks positive definiteness. */
export function CorrelationGrid({ book, issues, onChange, readOnly }: GridProps) {
  const rows = useMemo<CorrRow[]>(() => book.assets.map((a, i) => ({ i, name: a.name })), [book.assets]);
  const columns = useMemo<EditColumn<CorrRow>[]>(
    () => [
      { id: 'asset', header: 'ρ', pinned: true, width: 64, get: (r) => r.name, key: (r) => `correlation.${r.i}` },
      ...book.assets.map(
        (a, j): EditColumn<CorrRow> => ({
          id: `c${j}`,
          header: a.name,
          help: `correlation with ${a.name}`,
          width: 64,
          numeric: true,
          get: (r) => book.correlation[r.i]?.[j],
          set: (r, v) => onChange(setCorrelation(book, r.i, j, parseCellNumber(v))),
          editable: (r) => r.i !== j,
          format: (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(Math.abs(v * 100 - Math.round(v * 100)) > 1e-9 ? 4 : 2) : num(v)),
          key: (r) => `correlation.${r.i}.${j}`,
          cellStyle: (r) => {
            const v = book.correlation[r.i]?.[j];
            if (r.i === j || typeof v !== 'number' || !Number.isFinite(v)) return undefined;
            const t = Math.min(1, Math.abs(v));
            // A quiet tint (blue for positive, amber for negative); red is kept for cells with a problem.
            return { backgroundColor: v >= 0 ? `rgba(31, 95, 191, ${0.04 + 0.16 * t})` : `rgba(230, 119, 0, ${0.06 + 0.22 * t})` };
          },
        }),
      ),
    ],
    [book, onChange],
  );
  return (
    <div className={styles.gridBlock}>
      <div className={styles.gridHead}>
        <span className="panel-title-inline">Correlation</span>
        <span className="muted">symmetric · unit diagonal · must be positive definite</span>
      </div>
      <EditGrid testId="correlation-grid" rows={rows} columns={columns} prefix="correlation" issues={issues} readOnly={readOnly} />
    </div>
  );
}

type OptionRow = BookOption & { i: number };

/** Options: payoff, assets, strike(s), maturity, European/Bermudan with exercise dates, quantity. */
export function OptionsGrid({ book, issues, onChange, readOnly }: GridProps) {
  const rows = useMemo<OptionRow[]>(() => book.options.map((o, i) => ({ ...o, i })), [book.options]);
  const columns = useMemo<EditColumn<OptionRow>[]>(() => {
    const set =
      <K extends keyof BookOption>(field: K, parse: (v: unknown) => BookOption[K]) =>
      (r: OptionRow, v: unknown) =>
        onChange(setOptionField(book, r.i, field, parse(v)));
    return [
      { id: 'n', header: '#', width: 40, pinned: true, get: (r) => r.i + 1 },
      { id: 'label', header: 'Label', flex: 1.4, get: (r) => r.label, set: set('label', (v) => String(v ?? '').slice(0, 60)) },
      {
        id: 'payoff',
        header: 'Payoff',
        help: PAYOFF_TYPES.map((p) => `${p}: ${PAYOFF_INFO[p].formula}`).join('\n'),
        flex: 1.3,
        options: PAYOFF_TYPES,
        get: (r) => r.payoff,
        set: set('payoff', (v) => v as BookOption['payoff']),
      },
      {
        id: 'assets',
        header: 'On assets',
        help: 'asset names separated by commas, or "all"; exchange: a, b pays max(S_a − k S_b, 0)',
        flex: 1.3,
        get: (r) => assetsText(book, r),
        set: (r, v) => onChange(setOptionField(book, r.i, 'assets', parseAssets(book, String(v ?? '')))),
      },
      { id: 'strike', header: 'Strike K', help: 'strike (money); exchange: ratio k; cash-or-nothing: lower bound l', width: 84, numeric: true, get: (r) => r.strike, set: set('strike', parseCellNumber), format: num },
      {
        id: 'strike2',
        header: 'Upper u',
        help: 'cash-or-nothing only: upper bound u (money)',
        width: 76,
        numeric: true,
        get: (r) => r.strike2,
        set: set('strike2', (v) => (String(v ?? '').trim() === '' ? null : parseCellNumber(v))),
        editable: (r) => r.payoff === 'cash-or-nothing',
        format: (v) => (v === null ? '—' : num(v)),
      },
      { id: 'maturity', header: 'T (y)', help: 'maturity in years', width: 66, numeric: true, get: (r) => r.maturity, set: set('maturity', parseCellNumber), format: num },
      { id: 'exercise', header: 'Exercise', width: 96, options: ['european', 'bermudan'], get: (r) => r.exercise, set: set('exercise', (v) => v as BookOption['exercise']) },
      {
        id: 'exerciseDates',
        header: 'Dates',
        help: 'Bermudan: number E of equally spaced exercise dates k T/E, k = 1..E (they must lie on the solver grid)',
        width: 62,
        numeric: true,
        get: (r) => r.exerciseDates,
        set: set('exerciseDates', parseCellNumber),
        editable: (r) => r.exercise === 'bermudan',
        format: (v, r) => (r.exercise === 'european' ? '—' : num(v)),
      },
      { id: 'quantity', header: 'Qty', help: 'units held (negative = short)', width: 62, numeric: true, get: (r) => r.quantity, set: set('quantity', parseCellNumber), format: num },
      {
        id: 'remove',
        header: '',
        width: 40,
        get: () => '',
        render: (p: { data?: OptionRow }) =>
          readOnly || !p.data || book.options.length <= 1 ? null : (
            <button type="button" className={styles.rowRemove} title="Remove this option" data-testid={`option-remove-${p.data.i}`} onClick={() => onChange(removeOption(book, p.data!.i))}>
              ×
            </button>
          ),
      },
    ];
  }, [book, onChange, readOnly]);
  return (
    <div className={styles.gridBlock}>
      <div className={styles.gridHead}>
        <span className="panel-title-inline">Options ({book.options.length})</span>
        <span className="spacer" />
        {!readOnly && (
          <button type="button" className="small" data-testid="option-add" disabled={book.options.length >= 100} onClick={() => onChange(addOption(book))}>
            + Option
          </button>
        )}
      </div>
      <EditGrid testId="options-grid" rows={rows} columns={columns} prefix="options" issues={issues} readOnly={readOnly} />
    </div>
  );
}
