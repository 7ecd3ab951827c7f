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
import { fmtDateTime, fmtInt, fmtSeconds } from '../../app/format';
import { deskGridTheme } from '../../components/gridTheme';
import { StatusBadge } from '../../components/StatusBadge';
import { type HedgeRun, sourceLabel, strategyName } from './runs';
import { type StatKey, fmtStat, statDef } from './stats';

interface Props {
  runs: HedgeRun[];
  activeId: string | null;
  onActivate(runId: string): void;
  onSelectionChange(runIds: string[]): void;
}

const pct = (r: HedgeRun): string | undefined => (r.status === 'running' && r.progress.total > 0 ? `${Math.floor((100 * r.progress.done) / r.progress.total)}%` : undefined);

function StatusCell(p: ICellRendererParams<HedgeRun>) {
  return p.data ? <StatusBadge status={p.data.status} extra={pct(p.data)} /> : null;
}

const statCol = (key: StatKey, width = 104): ColDef<HedgeRun> => {
  const def = statDef(key);
  return {
    headerName: `${key === 'std' ? 'Std' : def.label}${def.unit.startsWith('%') ? ' (%)' : ''}`,
    colId: key,
    headerTooltip: `${def.hint} (${def.unit})`,
    valueGetter: (p) => (p.data?.metrics ? def.get(p.data.metrics.stats) : null),
    valueFormatter: (p) => (p.data?.metrics ? fmtStat(def, p.data.metrics.stats) : ''),
    type: 'numericColumn',
    width,
  };
};

const COLUMNS: ColDef<HedgeRun>[] = [
  {
    headerName: 'Status',
    colId: 'status',
    valueGetter: (p) => (p.data ? [p.data.status, pct(p.data)].filter(Boolean).join(' ') : ''),
    cellRenderer: StatusCell,
    width: 120,
  },
  { headerName: 'Strategy', valueGetter: (p) => (p.data ? strategyName(p.data.config.strategy) : ''), width: 112 },
  { headerName: 'Greeks', valueGetter: (p) => (p.data ? sourceLabel(p.data.config.greeks, p.data.metrics?.scheme) : ''), width: 128 },
  { headerName: 'R', valueGetter: (p) => p.data?.config.rebalance, width: 60, type: 'numericColumn', headerTooltip: 'rebalancing dates' },
  { headerName: 'N', valueGetter: (p) => p.data?.metrics?.steps ?? p.data?.config.steps ?? null, width: 62, type: 'numericColumn', headerTooltip: 'path grid steps', valueFormatter: (p) => (p.value === null ? 'solve' : String(p.value)) },
  { headerName: 'Paths', valueGetter: (p) => p.data?.config.paths, width: 82, type: 'numericColumn', valueFormatter: (p) => fmtInt(p.value) },
  statCol('mean'),
  statCol('std'),
  statCol('variance', 110),
  statCol('es1'),
  {
    headerName: 'Wall (s)',
    valueGetter: (p) => (p.data?.wallMs ? p.data.wallMs / 1000 : null),
    valueFormatter: (p) => (p.value === null || p.value === undefined ? '—' : fmtSeconds(p.value * 1000)),
    width: 82,
    type: 'numericColumn',
  },
  { headerName: 'Created', field: 'createdAt', width: 146, sort: 'desc', valueFormatter: (p) => fmtDateTime(p.value) },
  { headerName: 'Label', field: 'label', width: 200, tooltipField: 'label' },
];

const SELECTION: RowSelectionOptions<HedgeRun> = { mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: false };

/** The hedge runs of the picked solve run: sortable, checkbox multi-selection; a row click shows the run. */
export function HedgeRunsGrid({ runs, activeId, onActivate, onSelectionChange }: Props) {
  const apiRef = useRef<GridApi<HedgeRun> | null>(null);
  const activeRef = useRef(activeId);
  activeRef.current = activeId;
  const getRowId = useCallback((p: GetRowIdParams<HedgeRun>) => p.data.id, []);
  const rowClassRules = useMemo<RowClassRules<HedgeRun>>(() => ({ 'row-active': (p) => p.data?.id === activeRef.current }), []);
  useEffect(() => {
    apiRef.current?.redrawRows();
  }, [activeId]);
  return (
    <div className="grid-host" data-testid="rb-runs-grid">
      <AgGridReact<HedgeRun>
        theme={deskGridTheme}
        rowData={runs}
        columnDefs={COLUMNS}
        defaultColDef={{ sortable: true, resizable: true }}
        rowSelection={SELECTION}
        getRowId={getRowId}
        rowClassRules={rowClassRules}
        tooltipShowDelay={400}
        animateRows={false}
        onGridReady={(e) => {
          apiRef.current = e.api;
        }}
        onRowClicked={(e: RowClickedEvent<HedgeRun>) => {
          const target = e.event?.target as HTMLElement | null;
          if (target?.closest('.ag-selection-checkbox, .ag-checkbox-input-wrapper')) return;
          if (e.data) onActivate(e.data.id);
        }}
        onSelectionChanged={(e: SelectionChangedEvent<HedgeRun>) => onSelectionChange(e.api.getSelectedRows().map((r) => r.id))}
        overlayNoRowsTemplate="No hedge runs of this solve yet. Start one with the form on the left."
      />
    </div>
  );
}
