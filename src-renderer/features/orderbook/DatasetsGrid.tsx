import { useCallback, useEffect, useMemo, useRef } from 'react';
import { type ColDef, type GetRowIdParams, type GridApi, type RowClickedEvent } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { type DatasetSummary, type StockSummary, type TimeUnits } from '../../../src-shared/orderbook/contract';
import { annualisedText } from '../../../src-shared/orderbook/timeUnitsText';
import { fmtDateTime, fmtInt, fmtSig } from '../../app/format';
import { compactGridTheme } from '../../components/gridTheme';

const pct = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);
const numCol = { type: 'numericColumn', filter: 'agNumberColumnFilter' } as const;
/** The trading year of a row's annualised volatilities, short (`252 × 6.5 h`), with the whole unit as its tooltip. */
const yearCol = <T extends { timeUnits: TimeUnits }>(): ColDef<T> => ({
  headerName: 'RV year',
  colId: 'rvYear',
  valueGetter: (p) => (p.data ? `${Number(p.data.timeUnits.sessionsPerYear.toPrecision(6))} × ${Number(p.data.timeUnits.sessionHours.toPrecision(6))} h` : ''),
  tooltipValueGetter: (p) => (p.data ? `RV figures of this row: ${annualisedText(p.data.timeUnits)}` : ''),
  width: 92,
  headerTooltip: 'The trading year the RV columns are annualised in: sessions a year × hours a session (edit it with “Trading time … edit” above the charts)',
});
const rvTip = <T extends { timeUnits: TimeUnits }>(p: { data?: T }): string => (p.data ? annualisedText(p.data.timeUnits) : '');

const DATASET_COLUMNS: ColDef<DatasetSummary>[] = [
  { headerName: 'Data set', field: 'label', width: 230, tooltipField: 'sourcePath' },
  { headerName: 'Format', field: 'format', width: 78 },
  { headerName: 'Files', field: 'files', width: 64, ...numCol },
  { headerName: 'Stocks', field: 'stocks', width: 72, ...numCol },
  { headerName: 'Buckets', field: 'buckets', width: 84, ...numCol, valueFormatter: (p) => fmtInt(p.value) },
  { headerName: 'Rows', field: 'rows', width: 100, ...numCol, valueFormatter: (p) => fmtInt(p.value) },
  { headerName: 'Rejected', field: 'rejectedRows', width: 84, ...numCol, valueFormatter: (p) => fmtInt(p.value) },
  {
    headerName: 'RV median',
    colId: 'rvMedian',
    valueGetter: (p) => p.data?.rv.median ?? null,
    width: 94,
    ...numCol,
    valueFormatter: (p) => pct(p.value),
    tooltipValueGetter: rvTip,
    headerTooltip: "Median over buckets of the realised volatility of the all-level WAP, annualised in the data set's trading time (RV year)",
  },
  { headerName: 'RV p5–p95', colId: 'rvRange', valueGetter: (p) => (p.data ? `${pct(p.data.rv.p05)}–${pct(p.data.rv.p95)}` : ''), width: 112, tooltipValueGetter: rvTip, headerTooltip: "5% and 95% quantiles over buckets, annualised in the data set's trading time (RV year)" },
  { headerName: 'RV L1 median', colId: 'rv1Median', valueGetter: (p) => p.data?.rv1.median ?? null, width: 104, ...numCol, valueFormatter: (p) => pct(p.value), tooltipValueGetter: rvTip, headerTooltip: 'From the level-1 WAP, annualised in the RV year' },
  yearCol<DatasetSummary>(),
  { headerName: 'Spread (bp)', field: 'spreadBp', width: 96, ...numCol, valueFormatter: (p) => fmtSig(p.value, 3), headerTooltip: 'Mean (ask1 - bid1) / mid over all rows, basis points' },
  { headerName: 'Imported', field: 'createdAt', width: 142, sort: 'desc', valueFormatter: (p) => fmtDateTime(p.value) },
  { headerName: 'Import (s)', field: 'importSeconds', width: 88, ...numCol, valueFormatter: (p) => (p.value === null ? '—' : fmtSig(p.value, 3)) },
];

const STOCK_COLUMNS: ColDef<StockSummary>[] = [
  { headerName: 'Stock', field: 'stockId', width: 70, ...numCol },
  { headerName: 'Name', colId: 'name', valueGetter: (p) => p.data?.name ?? '', width: 120, headerTooltip: 'LOBSTER: the ticker (and the date when a ticker has several days)' },
  { headerName: 'Buckets', field: 'buckets', width: 80, ...numCol, valueFormatter: (p) => fmtInt(p.value) },
  { headerName: 'Rows', field: 'rows', width: 92, ...numCol, valueFormatter: (p) => fmtInt(p.value) },
  { headerName: 'time_id', colId: 'span', valueGetter: (p) => (p.data ? `${p.data.firstTimeId}–${p.data.lastTimeId}` : ''), width: 100 },
  { headerName: 'RV median', colId: 'rvMedian', valueGetter: (p) => p.data?.rv.median ?? null, width: 90, ...numCol, valueFormatter: (p) => pct(p.value), tooltipValueGetter: rvTip, headerTooltip: "Annualised in the stock's trading time (RV year)" },
  { headerName: 'RV mean', colId: 'rvMean', valueGetter: (p) => p.data?.rv.mean ?? null, width: 84, ...numCol, valueFormatter: (p) => pct(p.value), tooltipValueGetter: rvTip, headerTooltip: "Annualised in the stock's trading time (RV year)" },
  { headerName: 'RV p95', colId: 'rvP95', valueGetter: (p) => p.data?.rv.p95 ?? null, width: 80, ...numCol, valueFormatter: (p) => pct(p.value), tooltipValueGetter: rvTip, headerTooltip: "Annualised in the stock's trading time (RV year)" },
  yearCol<StockSummary>(),
  { headerName: 'Spread (bp)', field: 'spreadBp', width: 92, ...numCol, valueFormatter: (p) => fmtSig(p.value, 3) },
  { headerName: 'Depth', field: 'depth', width: 80, ...numCol, valueFormatter: (p) => fmtSig(p.value, 3), headerTooltip: 'Mean total displayed size per row (both sides, all levels)' },
];

const DEFAULT_COL = { sortable: true, resizable: true, filter: true };

/** The stored data sets; a click selects one (its stocks and charts show below). */
export function DatasetsGrid({ datasets, selectedId, onSelect }: { datasets: DatasetSummary[]; selectedId: string | null; onSelect(id: string): void }) {
  const getRowId = useCallback((p: GetRowIdParams<DatasetSummary>) => p.data.id, []);
  const api = useRef<GridApi<DatasetSummary> | null>(null);
  const sel = useRef(selectedId);
  sel.current = selectedId;
  const rowClassRules = useMemo(() => ({ 'row-active': (p: { data?: DatasetSummary }) => p.data?.id === sel.current }), []);
  useEffect(() => api.current?.redrawRows(), [selectedId]);
  return (
    <div className="grid-host" data-testid="ob-datasets-grid">
      <AgGridReact<DatasetSummary>
        theme={compactGridTheme}
        rowData={datasets}
        columnDefs={DATASET_COLUMNS}
        defaultColDef={DEFAULT_COL}
        getRowId={getRowId}
        rowClassRules={rowClassRules}
        animateRows={false}
        tooltipShowDelay={400}
        onGridReady={(e) => (api.current = e.api)}
        onRowClicked={(e: RowClickedEvent<DatasetSummary>) => e.data && onSelect(e.data.id)}
        overlayNoRowsTemplate="No data sets yet. Import a file on the left."
      />
    </div>
  );
}

/** The stocks of the selected data set; a click shows that stock's charts. */
export function StocksGrid({ stocks, selectedId, onSelect }: { stocks: StockSummary[]; selectedId: number | null; onSelect(id: number): void }) {
  const getRowId = useCallback((p: GetRowIdParams<StockSummary>) => String(p.data.stockId), []);
  const api = useRef<GridApi<StockSummary> | null>(null);
  const sel = useRef(selectedId);
  sel.current = selectedId;
  const rowClassRules = useMemo(() => ({ 'row-active': (p: { data?: StockSummary }) => p.data?.stockId === sel.current }), []);
  useEffect(() => api.current?.redrawRows(), [selectedId]);
  return (
    <div className="grid-host" data-testid="ob-stocks-grid">
      <AgGridReact<StockSummary>
        theme={compactGridTheme}
        rowData={stocks}
        columnDefs={STOCK_COLUMNS}
        defaultColDef={DEFAULT_COL}
        getRowId={getRowId}
        rowClassRules={rowClassRules}
        animateRows={false}
        tooltipShowDelay={400}
        onGridReady={(e) => (api.current = e.api)}
        onRowClicked={(e: RowClickedEvent<StockSummary>) => e.data && onSelect(e.data.stockId)}
        overlayNoRowsTemplate="Select a data set."
      />
    </div>
  );
}
