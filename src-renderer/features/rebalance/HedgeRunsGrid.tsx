import { type ColDef } from 'ag-grid-community';
import { fmtDateTime, fmtInt, fmtSeconds } from '../../app/format';
import { RunGrid, statusColumn } from '../../components/RunGrid';
import { type HedgeRun, sourceLabel, strategyName } from './runs';
import { type StatKey, fmtStat, statDef } from './stats';

interface Props {
  runs: HedgeRun[];
  activeId: string | null;
  onActivate(runId: string): void;
  onSelectionChange(runIds: string[]): void;
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
  statusColumn({ width: 150 }),
  { headerName: 'Strategy', valueGetter: (p) => (p.data ? strategyName(p.data.config.strategy) : ''), width: 112 },
  { headerName: 'Greeks', valueGetter: (p) => (p.data ? sourceLabel(p.data.config.greeks, p.data.metrics?.scheme) : ''), width: 128 },
  { headerName: 'R', valueGetter: (p) => p.data?.config.rebalance, width: 60, type: 'numericColumn', headerTooltip: 'rebalancing dates' },
  { headerName: 'N', valueGetter: (p) => p.data?.metrics?.steps ?? p.data?.config.steps ?? null, width: 62, type: 'numericColumn', headerTooltip: 'path grid steps', valueFormatter: (p) => (p.value === null ? 'solve' : String(p.value)) },
  { headerName: 'Paths', valueGetter: (p) => p.data?.config.paths, width: 82, type: 'numericColumn', valueFormatter: (p) => fmtInt(p.value) },
  statCol('mean'),
  statCol('std'),
  statCol('variance', 110),
  statCol('es1', 128),
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

/** The hedge runs of the picked solve run: sortable, checkbox multi-selection; a row click shows the run. */
export function HedgeRunsGrid({ runs, activeId, onActivate, onSelectionChange }: Props) {
  return (
    <RunGrid
      runs={runs}
      columns={COLUMNS}
      filterable={false}
      activeId={activeId}
      onActivate={(r) => onActivate(r.id)}
      onSelectionChange={onSelectionChange}
      emptyText="No hedge runs of this solve yet. Start one with the form on the left."
      testId="rb-runs-grid"
    />
  );
}
