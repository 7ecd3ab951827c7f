import { useCallback, useEffect, useMemo, useRef } from 'react';
import {
  type ColDef,
  type GetRowIdParams,
  type GridApi,
  type ICellRendererParams,
  type RowClassRules,
  type RowClickedEvent,
  type RowSelectionOptions,
  type SelectionChangedEvent,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { fmtDateTime, fmtInt, fmtPlain, fmtSeconds, fmtSig } from '../../app/format';
import { deskGridTheme } from '../../components/gridTheme';
import { StatusBadge } from '../../components/StatusBadge';
import { type QlbsAnyRun, type QlbsRun } from './useQlbsRuns';

interface Props {
  runs: QlbsAnyRun[];
  activeId: string | null;
  onActivate(run: QlbsAnyRun): void;
  onSelectionChange(runIds: string[]): void;
}

const pct = (r: QlbsAnyRun): string | undefined =>
  r.status === 'running' && r.progress.total > 0 ? `${Math.floor((100 * r.progress.done) / r.progress.total)}%` : undefined;

function StatusCell(p: ICellRendererParams<QlbsAnyRun>) {
  return p.data ? <StatusBadge status={p.data.status} extra={pct(p.data)} /> : null;
}

/** The run's config, or a sweep's base config. */
const cfg = (r: QlbsAnyRun | undefined) => (!r ? undefined : r.kind === 'qlbs' ? r.config : r.config.base);
const runMetrics = (r: QlbsAnyRun | undefined) => (r && r.kind === 'qlbs' ? (r as QlbsRun).metrics : null);
const sig = (p: { value: number | null | undefined }) => (p.value === null || p.value === undefined ? '' : fmtSig(p.value));

const COLUMNS: ColDef<QlbsAnyRun>[] = [
  {
    headerName: 'Status',
    colId: 'status',
    valueGetter: (p) => (p.data ? [p.data.status, pct(p.data)].filter(Boolean).join(' ') : ''),
    cellRenderer: StatusCell,
    width: 108,
  },
  {
    headerName: 'Kind',
    colId: 'kind',
    valueGetter: (p) => (p.data?.kind === 'qlbs-sweep' ? `sweep ${p.data.config.param}` : p.data?.config.method === 'fqi' ? 'DP + FQI' : 'DP'),
    width: 96,
  },
  { headerName: 'Label', field: 'label', width: 200, tooltipField: 'label' },
  { headerName: 'Option', colId: 'option', valueGetter: (p) => cfg(p.data)?.option, width: 70 },
  { headerName: 'K', colId: 'strike', valueGetter: (p) => cfg(p.data)?.strike, width: 66, type: 'numericColumn', valueFormatter: (p) => fmtPlain(p.value) },
  { headerName: 'μ (/yr)', colId: 'mu', valueGetter: (p) => cfg(p.data)?.mu, width: 74, type: 'numericColumn', valueFormatter: (p) => fmtPlain(p.value) },
  { headerName: 'σ (/yr)', colId: 'sigma', valueGetter: (p) => cfg(p.data)?.sigma, width: 74, type: 'numericColumn', valueFormatter: (p) => fmtPlain(p.value) },
  { headerName: 'λ', colId: 'lambda', valueGetter: (p) => cfg(p.data)?.lambda, width: 70, type: 'numericColumn', valueFormatter: (p) => fmtPlain(p.value) },
  {
    headerName: 'Steps',
    colId: 'steps',
    valueGetter: (p) => {
      const c = cfg(p.data);
      return c ? (c.method === 'fqi' ? `${c.steps}/${c.fqiSteps}` : `${c.steps}`) : '';
    },
    width: 72,
    headerTooltip: 'DP steps / FQI steps',
  },
  { headerName: 'Paths', colId: 'paths', valueGetter: (p) => cfg(p.data)?.paths, width: 84, type: 'numericColumn', filter: 'agNumberColumnFilter', valueFormatter: (p) => fmtInt(p.value) },
  { headerName: 'Seed', field: 'seed', width: 66, type: 'numericColumn' },
  { headerName: 'Created', field: 'createdAt', width: 148, sort: 'desc', valueFormatter: (p) => fmtDateTime(p.value) },
  {
    headerName: 'Wall (s)',
    field: 'wallMs',
    width: 78,
    type: 'numericColumn',
    valueFormatter: (p) => (p.value === null || p.value === undefined ? '—' : fmtSeconds(p.value)),
  },
  { headerName: 'BS price', colId: 'bs', valueGetter: (p) => runMetrics(p.data)?.bsPrice ?? null, width: 92, type: 'numericColumn', valueFormatter: sig, pinned: 'right', headerTooltip: 'Black-Scholes price (money)' },
  { headerName: 'DP price', colId: 'dp', valueGetter: (p) => runMetrics(p.data)?.dpPrice ?? null, width: 92, type: 'numericColumn', valueFormatter: sig, pinned: 'right', headerTooltip: 'On-policy QLBS price −Q₀ (money)' },
  { headerName: 'FQI price', colId: 'fqi', valueGetter: (p) => runMetrics(p.data)?.fqiPrice ?? null, width: 92, type: 'numericColumn', valueFormatter: sig, pinned: 'right', headerTooltip: 'Off-policy FQI price −Q*₀ (money)' },
];

const DEFAULT_COL: ColDef<QlbsAnyRun> = { sortable: true, filter: true, resizable: true };
const SELECTION: RowSelectionOptions<QlbsAnyRun> = { mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: false };

/** Stored QLBS runs and sweeps: sortable, filterable, checkbox multi-selection; a row click shows it. */
export function QlbsRunsGrid({ runs, activeId, onActivate, onSelectionChange }: Props) {
  const apiRef = useRef<GridApi<QlbsAnyRun> | null>(null);
  const getRowId = useCallback((p: GetRowIdParams<QlbsAnyRun>) => p.data.id, []);
  const activeRef = useRef(activeId);
  activeRef.current = activeId;
  const rowClassRules = useMemo<RowClassRules<QlbsAnyRun>>(() => ({ 'row-active': (p) => p.data?.id === activeRef.current }), []);
  useEffect(() => {
    apiRef.current?.redrawRows();
  }, [activeId]);
  return (
    <div className="grid-host" data-testid="qlbs-runs-grid">
      <AgGridReact<QlbsAnyRun>
        theme={deskGridTheme}
        rowData={runs}
        columnDefs={COLUMNS}
        defaultColDef={DEFAULT_COL}
        rowSelection={SELECTION}
        getRowId={getRowId}
        rowClassRules={rowClassRules}
        tooltipShowDelay={400}
        animateRows={false}
        onGridReady={(e) => {
          apiRef.current = e.api;
        }}
        onRowClicked={(e: RowClickedEvent<QlbsAnyRun>) => {
          const target = e.event?.target as HTMLElement | null;
          if (target?.closest('.ag-selection-checkbox, .ag-checkbox-input-wrapper')) return;
          if (e.data) onActivate(e.data);
        }}
        onSelectionChanged={(e: SelectionChangedEvent<QlbsAnyRun>) => onSelectionChange(e.api.getSelectedRows().map((r) => r.id))}
        overlayNoRowsTemplate="No QLBS runs yet. Start one from the form."
      />
    </div>
  );
}
