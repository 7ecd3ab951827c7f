import { type ColDef } from 'ag-grid-community';
import { fmtDateTime, fmtInt, fmtPlain, fmtSeconds, fmtSig } from '../../app/format';
import { RunGrid, statusColumn } from '../../components/RunGrid';
import { type QlbsAnyRun, type QlbsRun } from './useQlbsRuns';

interface Props {
  runs: QlbsAnyRun[];
  activeId: string | null;
  onActivate(run: QlbsAnyRun): void;
  onSelectionChange(runIds: string[]): void;
}

/** The run's config, or a sweep's base config. */
const cfg = (r: QlbsAnyRun | undefined) => (!r ? undefined : r.kind === 'qlbs' ? r.config : r.config.base);
const runMetrics = (r: QlbsAnyRun | undefined) => (r && r.kind === 'qlbs' ? (r as QlbsRun).metrics : null);
const sig = (p: { value: number | null | undefined }) => (p.value === null || p.value === undefined ? '' : fmtSig(p.value));

const COLUMNS: ColDef<QlbsAnyRun>[] = [
  statusColumn(),
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

/** Stored QLBS runs and sweeps: sortable, filterable, checkbox multi-selection; a row click shows it. */
export function QlbsRunsGrid({ runs, activeId, onActivate, onSelectionChange }: Props) {
  return (
    <RunGrid
      runs={runs}
      columns={COLUMNS}
      activeId={activeId}
      onActivate={onActivate}
      onSelectionChange={onSelectionChange}
      emptyText="No QLBS runs yet. Start one from the form."
      testId="qlbs-runs-grid"
    />
  );
}
