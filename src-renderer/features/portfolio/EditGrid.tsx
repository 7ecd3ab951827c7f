import { useEffect, useMemo, useRef } from 'react';
import {
  AllCommunityModule,
  type CellClassParams,
  type ColDef,
  type GridApi,
  type ITooltipParams,
  ModuleRegistry,
  type ValueSetterParams,
  themeQuartz,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import styles from './portfolio.module.css';
import { cellDisplay } from './draft';

ModuleRegistry.registerModules([AllCommunityModule]);

/** The editable grids' look: the runs grid's dense theme, plus a red cell for every validation issue. */
export const editGridTheme = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: 12,
  headerFontSize: 11,
  spacing: 4,
  rowHeight: 26,
  headerHeight: 28,
  accentColor: '#1f5fbf',
  borderColor: '#d5dae3',
  headerBackgroundColor: '#f1f3f7',
  foregroundColor: '#1d2330',
  wrapperBorderRadius: 0,
  browserColorScheme: 'light',
});

export interface EditColumn<R> {
  /** Column id, also the last part of the cell key (`<prefix>.<row>.<id>`). */
  id: string;
  header: string;
  /** Header tooltip (units, meaning). */
  help?: string;
  width?: number;
  flex?: number;
  get(row: R): unknown;
  /** Called with the typed value; return nothing (the parent re-renders with new rows). */
  set?(row: R, value: unknown): void;
  editable?(row: R): boolean;
  numeric?: boolean;
  /** Values for a select editor. */
  options?: readonly string[];
  format?(value: unknown, row: R): string;
  /** Cell key for issue lookup when not `<prefix>.<row>.<id>`. */
  key?(row: R): string;
  pinned?: boolean;
  cellStyle?(row: R): Record<string, string> | undefined;
  render?: ColDef<R>['cellRenderer'];
}

interface Props<R extends { i: number }> {
  testId: string;
  rows: R[];
  columns: EditColumn<R>[];
  /** Prefix of cell keys, e.g. `assets` -> `assets.2.sigma`. */
  prefix: string;
  issues: Map<string, string[]>;
  readOnly?: boolean;
  height?: number | string;
}

/**
 * An ag-grid whose cells edit a parent-owned model: every edit goes through the column's `set` (the grid
 * never mutates its rows), and cells with a validation issue are red with the issue as their tooltip.
 * Cells carry data-testid-like attributes through `col-id` and the row id (`row-id` = row index).
 */
export function EditGrid<R extends { i: number }>({ testId, rows, columns, prefix, issues, readOnly, height }: Props<R>) {
  const apiRef = useRef<GridApi<R> | null>(null);
  const issuesRef = useRef(issues);
  const keyOf = (c: EditColumn<R>, r: R): string => (c.key ? c.key(r) : `${prefix}.${r.i}.${c.id}`);

  const colDefs = useMemo<ColDef<R>[]>(
    () =>
      columns.map((c) => ({
        colId: c.id,
        headerName: c.header,
        headerTooltip: c.help,
        width: c.width,
        flex: c.flex,
        pinned: c.pinned ? 'left' : undefined,
        sortable: false,
        resizable: true,
        suppressMovable: true,
        valueGetter: (p) => (p.data ? c.get(p.data) : undefined),
        valueFormatter: (p) => (p.data ? cellDisplay(p.value, c.format ? c.format(p.value, p.data) : String(p.value ?? ''), issuesRef.current.get(keyOf(c, p.data))) : ''),
        editable: (p) => !readOnly && !!c.set && !!p.data && (c.editable ? c.editable(p.data) : true),
        valueSetter: (p: ValueSetterParams<R>) => {
          if (!p.data || !c.set) return false;
          c.set(p.data, p.newValue);
          return false;
        },
        cellEditor: c.options ? 'agSelectCellEditor' : 'agTextCellEditor',
        cellEditorParams: c.options ? { values: c.options } : undefined,
        type: c.numeric ? 'rightAligned' : undefined,
        cellClass: c.numeric ? styles.num : undefined,
        cellClassRules: {
          [styles.cellError]: (p: CellClassParams<R>) => !!p.data && issuesRef.current.has(keyOf(c, p.data)),
          [styles.cellReadonly]: (p: CellClassParams<R>) => !!p.data && (readOnly || !c.set || (c.editable ? !c.editable(p.data) : false)),
        },
        cellStyle: c.cellStyle ? (p) => (p.data ? c.cellStyle!(p.data) ?? null : null) : undefined,
        tooltipValueGetter: (p: ITooltipParams<R>) => (p.data ? issuesRef.current.get(keyOf(c, p.data as R))?.join('\n') : undefined),
        cellRenderer: c.render,
      })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [columns, prefix, readOnly],
  );

  useEffect(() => {
    issuesRef.current = issues; // read by the cell class and tooltip getters, then the cells are redrawn
    apiRef.current?.refreshCells({ force: true });
  }, [issues, rows]);

  return (
    <div className={styles.grid} data-testid={testId} style={{ height: height ?? '100%' }}>
      <AgGridReact<R>
        theme={editGridTheme}
        rowData={rows}
        columnDefs={colDefs}
        getRowId={(p) => String(p.data.i)}
        singleClickEdit
        stopEditingWhenCellsLoseFocus
        tooltipShowDelay={200}
        animateRows={false}
        suppressMovableColumns
        onGridReady={(e) => {
          apiRef.current = e.api;
        }}
      />
    </div>
  );
}
