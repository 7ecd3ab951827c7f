import { type ColDef } from 'ag-grid-community';
import { type RunSummary } from '../../../src-shared/api/runs';
import { fmtBp, fmtDateTime, fmtInt, fmtPlain, fmtSeconds, fmtSig } from '../../app/format';
import { RunGrid, statusColumn } from '../../components/RunGrid';
import { type CriterionFields, criterionLabel } from '../../../src-shared/hedging/criteria';
import { DOES_NOT_HEDGE_LABEL, measureOf, metricsDoNotHedge, runCriterion } from '../../../src-shared/hedging/ranking';
import { modelShort, optionShort } from '../hedging/labels';
import { esLabel } from '../../../src-shared/risk/presentRisk';

interface Props {
  runs: RunSummary[];
  activeRunId: string | null;
  onActivate(runId: string): void;
  onSelectionChange(runIds: string[]): void;
}

const num = (digits?: number) => (p: { value: number | null | undefined }) => fmtSig(p.value ?? null, digits);

const dateFilterComparator = (filterDate: Date, cell: number | null): number => {
  if (cell === null) return -1;
  const d = new Date(cell);
  const day = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return day < filterDate.getTime() ? -1 : day > filterDate.getTime() ? 1 : 0;
};

const COLUMNS: ColDef<RunSummary>[] = [
  statusColumn({ width: 150, filter: 'agTextColumnFilter' }),
  { headerName: 'Label', field: 'label', width: 180, tooltipField: 'label' },
  { headerName: 'Model', field: 'model', width: 76, valueFormatter: (p) => modelShort(p.value ?? '') },
  { headerName: 'Option', valueGetter: (p) => p.data?.config.option, width: 100, valueFormatter: (p) => optionShort(p.value ?? '') },
  {
    headerName: 'K (P₀)',
    valueGetter: (p) => p.data?.config.strike,
    width: 80,
    type: 'numericColumn',
    filter: 'agNumberColumnFilter',
    valueFormatter: (p) => fmtPlain(p.value),
  },
  {
    headerName: 'σ (/yr)',
    valueGetter: (p) => p.data?.config.sigma,
    width: 82,
    type: 'numericColumn',
    filter: 'agNumberColumnFilter',
    valueFormatter: (p) => fmtPlain(p.value),
  },
  {
    headerName: 'Cost (bp)',
    valueGetter: (p) => (p.data ? p.data.config.cost * 1e4 : null),
    width: 100,
    type: 'numericColumn',
    filter: 'agNumberColumnFilter',
    valueFormatter: (p) => (p.value === null || p.value === undefined ? '—' : fmtBp(p.value / 1e4).replace(' bp', '')),
    headerTooltip: 'Proportional cost rate per unit traded, in basis points',
  },
  {
    headerName: 'Cal. days / steps',
    headerTooltip: 'Horizon in calendar days (365 a year, as the simulated paths count them) / hedge steps',
    colId: 'daysSteps',
    valueGetter: (p) => (p.data ? p.data.config.days * 1e6 + p.data.config.steps : null),
    valueFormatter: (p) => (p.data ? `${fmtPlain(p.data.config.days)} d / ${p.data.config.steps}` : ''),
    width: 104,
    type: 'numericColumn',
    filter: false,
  },
  {
    headerName: 'Paths',
    valueGetter: (p) => p.data?.config.paths,
    width: 96,
    type: 'numericColumn',
    filter: 'agNumberColumnFilter',
    valueFormatter: (p) => fmtInt(p.value),
  },
  { headerName: 'Seed', field: 'seed', width: 74, type: 'numericColumn', filter: 'agNumberColumnFilter' },
  { headerName: 'Backend', field: 'backend', width: 100, valueFormatter: (p) => p.value ?? '—' },
  {
    headerName: 'Created',
    field: 'createdAt',
    width: 148,
    sort: 'desc',
    valueFormatter: (p) => fmtDateTime(p.value),
    filter: 'agDateColumnFilter',
    filterParams: { comparator: dateFilterComparator },
  },
  {
    headerName: 'Wall (s)',
    field: 'wallMs',
    width: 80,
    type: 'numericColumn',
    filter: 'agNumberColumnFilter',
    valueGetter: (p) => (p.data?.wallMs === null || p.data?.wallMs === undefined ? null : p.data.wallMs / 1000),
    valueFormatter: (p) => (p.value === null || p.value === undefined ? '—' : fmtSeconds(p.value * 1000)),
  },
  {
    headerName: 'Trained on',
    colId: 'criterion',
    valueGetter: (p) => (p.data ? criterionLabel(runCriterion(p.data.config as CriterionFields, p.data.metrics)) : ''),
    width: 130,
    headerTooltip: 'The criterion the run was trained on (BSDH: measured on); runs stored before criteria: entropic (a = 1)',
  },
  {
    headerName: 'Own criterion (P₀)',
    colId: 'criterionValue',
    // runs that do not hedge sort after every run that hedges, whatever their value
    valueGetter: (p) => (p.data?.metrics ? measureOf(p.data.metrics, runCriterion(p.data.config as CriterionFields, p.data.metrics)) : null),
    comparator: (a: number | null, b: number | null, na, nb) => {
      const da = Number(metricsDoNotHedge(na?.data?.metrics) === true);
      const db = Number(metricsDoNotHedge(nb?.data?.metrics) === true);
      if (da !== db) return da - db;
      if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
      return a - b;
    },
    cellRenderer: (p: { value: number | null; data?: RunSummary }) =>
      metricsDoNotHedge(p.data?.metrics) ? `${fmtSig(p.value ?? null)} · ${DOES_NOT_HEDGE_LABEL}` : fmtSig(p.value ?? null),
    width: 190,
    type: 'numericColumn',
    filter: 'agNumberColumnFilter',
    pinned: 'right',
    headerTooltip: 'The run’s value of the criterion it was trained on (lower is better); sorting puts runs that do not hedge (mean |position| < 10% of BSDH’s) last',
  },
  {
    headerName: 'Entropic (P₀)',
    colId: 'entropic',
    valueGetter: (p) => p.data?.metrics?.entropic ?? null,
    width: 122,
    type: 'numericColumn',
    filter: 'agNumberColumnFilter',
    valueFormatter: num(),
    pinned: 'right',
    headerTooltip: 'Entropic loss, a = 1, units of P₀',
  },
  {
    headerName: `${esLabel(0.9)}, P₀`,
    colId: 'es90',
    valueGetter: (p) => p.data?.metrics?.es90 ?? null,
    width: 136,
    type: 'numericColumn',
    filter: 'agNumberColumnFilter',
    valueFormatter: num(),
    pinned: 'right',
    headerTooltip: 'Expected shortfall at 90%, units of P₀',
  },
];

/** The stored runs: sortable, filterable, checkbox multi-selection; a row click shows that run. */
export function RunsGrid({ runs, activeRunId, onActivate, onSelectionChange }: Props) {
  return (
    <RunGrid
      runs={runs}
      columns={COLUMNS}
      activeId={activeRunId}
      onActivate={(r) => onActivate(r.id)}
      onSelectionChange={onSelectionChange}
      emptyText="No runs yet. Start one from the form."
      testId="runs-grid"
    />
  );
}
