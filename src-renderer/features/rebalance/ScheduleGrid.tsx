import { useCallback, useMemo } from 'react';
import { type ColDef, type ColGroupDef, type GetRowIdParams, type RowClassRules } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { type HedgeSchedule, type ScheduleRow } from '../../../src-shared/bsde/hedge';
import { fmtSig } from '../../app/format';
import { deskGridTheme } from '../../components/gridTheme';
import styles from './rebalance.module.css';
import { cx } from '../../styles/cx';

interface Row extends ScheduleRow {
  i: number;
}

const KIND: Record<ScheduleRow['kind'], string> = { rebalance: 'rebalance', exercise: 'exercise', maturity: 'maturity', final: 'final' };
const sig = (digits = 6) => (p: { value: number | null | undefined }) => (p.value === null || p.value === undefined ? '' : fmtSig(p.value, digits));
/** Trades: blank when nothing was traded, so the orders stand out. */
const trade = (p: { value: number | null | undefined }) => (p.value === null || p.value === undefined || Math.abs(p.value) <= 1e-12 ? '' : fmtSig(p.value, 5));

const num = (headerName: string, get: (r: Row) => number | undefined, opts: Partial<ColDef<Row>> = {}): ColDef<Row> => ({
  headerName,
  valueGetter: (p) => (p.data ? (get(p.data) ?? null) : null),
  type: 'numericColumn',
  width: 104,
  valueFormatter: sig(),
  ...opts,
});

/** A group of per-item columns; with many items it opens on demand and shows Σ|x| when closed. */
function perItem(headerName: string, names: string[], get: (r: Row, k: number) => number | undefined, format: (p: { value: number | null | undefined }) => string, tip: string): ColGroupDef<Row> {
  const many = names.length > 6;
  return {
    headerName,
    headerTooltip: tip,
    openByDefault: !many,
    marryChildren: true,
    children: [
      ...(many
        ? [
            num(`Σ|·| (${names.length})`, (r) => names.reduce((a, _n, k) => a + Math.abs(get(r, k) ?? 0), 0), {
              columnGroupShow: 'closed' as const,
              headerTooltip: `sum of absolute values over the ${names.length} items; open the group for each`,
              valueFormatter: format,
            }),
          ]
        : []),
      ...names.map((n, k) => num(n, (r) => get(r, k), { columnGroupShow: many ? ('open' as const) : undefined, valueFormatter: format, headerTooltip: `${n} (${tip})` })),
    ],
  };
}

/** No extra state columns (a stable default: the columns are memoised on it). */
const NO_STATES: Array<{ name: string; tip: string; get: (r: ScheduleRow) => number | undefined }> = [];

/**
 * Every event on the path — rebalancing dates, exercises, maturities and the final settlement — with time,
 * spots, the book's value against the hedge's, holdings and trades in each asset and gamma instrument,
 * cash and payments. Money columns are in the book's currency, holdings and trades in units.
 */
export function ScheduleGrid({ schedule, instrumentKind = 'Gamma instrument', states = NO_STATES }: {
  schedule: HedgeSchedule;
  /** What the instruments are called in the headers (Heston: 'Instrument'). */
  instrumentKind?: string;
  /** Extra state columns after the spots (Heston: the variance ν). */
  states?: Array<{ name: string; tip: string; get: (r: ScheduleRow) => number | undefined }>;
}) {
  const rows = useMemo<Row[]>(() => schedule.rows.map((r, i) => ({ ...r, i })), [schedule]);
  const columns = useMemo<Array<ColDef<Row> | ColGroupDef<Row>>>(() => {
    const { assets, instruments } = schedule;
    const cols: Array<ColDef<Row> | ColGroupDef<Row>> = [
      { headerName: 't (y)', field: 't', width: 78, pinned: 'left', type: 'numericColumn', valueFormatter: sig(4), headerTooltip: 'time in years' },
      { headerName: 'n', field: 'n', width: 58, pinned: 'left', type: 'numericColumn', headerTooltip: 'grid index' },
      { headerName: 'Event', field: 'kind', width: 92, pinned: 'left', valueFormatter: (p) => KIND[p.value as ScheduleRow['kind']] ?? String(p.value) },
      perItem('Spots (money)', assets, (r, a) => r.spots[a], sig(6), 'asset price'),
      ...states.map((st) => num(st.name, (r) => st.get(r), { headerTooltip: st.tip })),
      {
        headerName: 'Values (money)',
        marryChildren: true,
        children: [
          num('Book', (r) => r.bookValue, { headerTooltip: 'book value Σ n_j Y_j of the live options (money)' }),
          num('Hedge before', (r) => r.hedgeBefore, { headerTooltip: 'hedge portfolio value before the trade (money)' }),
          num('Hedge after', (r) => r.hedgeAfter, { headerTooltip: 'hedge portfolio value after the trade and payments (money)' }),
          num('Hedge − book', (r) => r.hedgeAfter - r.bookValue, { headerTooltip: 'hedge after − book value (money)', cellClass: styles.diffCell }),
          num('Cash', (r) => r.cash, { headerTooltip: 'cash after the trade and payments (money)' }),
        ],
      },
      perItem('Asset holdings (units)', assets, (r, a) => r.holdings[a], sig(5), 'units held after the trade'),
      perItem('Asset trades (units)', assets, (r, a) => r.tradeAssets[a], trade, 'units bought (+) or sold (−)'),
    ];
    if (instruments.length) {
      cols.push(
        perItem(`${instrumentKind}s held (units)`, instruments, (r, k) => r.weights[k], sig(5), 'weights w after the trade'),
        perItem(`${instrumentKind} trades (units)`, instruments, (r, k) => r.tradeInstruments[k], trade, 'units bought (+) or sold (−)'),
      );
      if (schedule.rows.some((r) => r.instrumentPrices?.length)) cols.push(perItem(`${instrumentKind} prices (money)`, instruments, (r, k) => r.instrumentPrices?.[k], sig(6), 'model price per unit'));
    }
    cols.push({
      headerName: 'Payments / exercises',
      colId: 'payments',
      width: 260,
      valueGetter: (p) => (p.data ? p.data.payments.map((x) => `${x.label || `option ${x.option + 1}`}: ${x.early ? 'exercised early' : 'matured'}, pays ${fmtSig(x.amount, 5)}`).join('; ') : ''),
      tooltipValueGetter: (p) => p.value as string,
      headerTooltip: 'options exercised or matured here and what the hedger paid (money, quantity included)',
    });
    return cols;
  }, [schedule, instrumentKind, states]);
  const getRowId = useCallback((p: GetRowIdParams<Row>) => String(p.data.i), []);
  const rowClassRules = useMemo<RowClassRules<Row>>(
    () => ({ [styles.rowExercise]: (p) => !!p.data?.payments.length && p.data.kind !== 'final', [styles.rowFinal]: (p) => p.data?.kind === 'final' }),
    [],
  );
  return (
    <div className={cx('grid-host', styles.scheduleGrid)} data-testid="rb-schedule-grid" data-rows={rows.length}>
      <AgGridReact<Row>
        theme={deskGridTheme}
        rowData={rows}
        columnDefs={columns}
        defaultColDef={{ sortable: false, resizable: true, suppressMovable: true }}
        getRowId={getRowId}
        rowClassRules={rowClassRules}
        tooltipShowDelay={400}
        animateRows={false}
        overlayNoRowsTemplate="No events on this path."
      />
    </div>
  );
}
