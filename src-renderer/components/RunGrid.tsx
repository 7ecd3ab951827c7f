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
import { type RunStatus } from '../../src-shared/api/runs';
import { deskGridTheme } from './gridTheme';
import { StatusBadge } from './StatusBadge';
import { ClusterBadge } from './ClusterBadge';

/** What a run list needs of a row: its id, status and stored progress. */
export interface RunRow {
  id: string;
  status: RunStatus;
  progress: { done: number; total: number };
  /** Where it computed: 'cluster' adds a badge beside the status. */
  compute?: 'local' | 'cluster';
}

/** Percentage done of a running run, e.g. "42%". */
export const runningPct = (r: RunRow): string | undefined =>
  r.status === 'running' && r.progress.total > 0 ? `${Math.floor((100 * r.progress.done) / r.progress.total)}%` : undefined;

function StatusCell(p: ICellRendererParams<RunRow>) {
  return p.data ? (
    <>
      <StatusBadge status={p.data.status} extra={runningPct(p.data)} />
      <ClusterBadge compute={p.data.compute} />
    </>
  ) : null;
}

/** The 'Status' column (badge with the percentage while running, and "cluster" for a cluster run); `extra` sets width, filter, ... */
export function statusColumn<T extends RunRow>(extra: ColDef<T> = {}): ColDef<T> {
  return {
    headerName: 'Status',
    colId: 'status',
    // The value includes the percentage so the cell re-renders as progress arrives.
    valueGetter: (p) => (p.data ? [p.data.status, runningPct(p.data)].filter(Boolean).join(' ') : ''),
    cellRenderer: StatusCell,
    width: 150, // room for "running 42%" and the "cluster" badge
    ...extra,
  };
}

const FILTERABLE: ColDef = { sortable: true, filter: true, resizable: true };
const SORTABLE: ColDef = { sortable: true, resizable: true };
const SELECTION: RowSelectionOptions = { mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: false };

interface Props<T extends RunRow> {
  runs: T[];
  columns: ColDef<T>[];
  /** Columns filterable by default (otherwise only sortable and resizable). */
  filterable?: boolean;
  activeId: string | null;
  onActivate(run: T): void;
  onSelectionChange(runIds: string[]): void;
  /** Shown when there are no runs. */
  emptyText: string;
  /** data-testid of the grid's host element. */
  testId: string;
}

/**
 * A list of stored runs: sortable, checkbox multi-selection, the shown run marked `row-active`; a row click
 * (not on the checkbox) shows that run.
 */
export function RunGrid<T extends RunRow>({ runs, columns, filterable = true, activeId, onActivate, onSelectionChange, emptyText, testId }: Props<T>) {
  const apiRef = useRef<GridApi<T> | null>(null);
  const getRowId = useCallback((p: GetRowIdParams<T>) => p.data.id, []);
  const activeRef = useRef(activeId);
  const rowClassRules = useMemo<RowClassRules<T>>(() => ({ 'row-active': (p) => p.data?.id === activeRef.current }), []);
  useEffect(() => {
    activeRef.current = activeId;
    apiRef.current?.redrawRows();
  }, [activeId]);
  return (
    <div className="grid-host" data-testid={testId}>
      <AgGridReact<T>
        theme={deskGridTheme}
        rowData={runs}
        columnDefs={columns}
        // a few dozen columns at most: render them all, so every cell is there to read (and to find) when scrolled
        suppressColumnVirtualisation
        defaultColDef={(filterable ? FILTERABLE : SORTABLE) as ColDef<T>}
        rowSelection={SELECTION as RowSelectionOptions<T>}
        getRowId={getRowId}
        rowClassRules={rowClassRules}
        tooltipShowDelay={400}
        animateRows={false}
        onGridReady={(e) => {
          apiRef.current = e.api;
        }}
        onRowClicked={(e: RowClickedEvent<T>) => {
          const target = e.event?.target as HTMLElement | null;
          // Clicks on the checkbox select; clicks elsewhere in the row show the run.
          if (target?.closest('.ag-selection-checkbox, .ag-checkbox-input-wrapper')) return;
          if (e.data) onActivate(e.data);
        }}
        onSelectionChanged={(e: SelectionChangedEvent<T>) => onSelectionChange(e.api.getSelectedRows().map((r) => r.id))}
        overlayNoRowsTemplate={emptyText}
      />
    </div>
  );
}
