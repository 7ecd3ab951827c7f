import { type AnyRun, type RunRecord } from '../../../src-shared/api/runs';
import { type BsdeHedgeRunConfig } from '../../../src-shared/bsde/contract';
import { type BsdeHedgeMetrics, type GreekSource, type Strategy } from '../../../src-shared/bsde/hedge';
import { fmtDateTime, fmtInt } from '../../app/format';
import { type RunsQuery } from '../../hooks/useRuns';
import { type SolveRun } from '../portfolio/useSolveRuns';

/** A stored hedge run (kind 'bsde-hedge'). */
export type HedgeRun = RunRecord<'bsde-hedge', BsdeHedgeRunConfig, BsdeHedgeMetrics>;
export type { SolveRun };

export const isHedge = (r: AnyRun): r is HedgeRun => r.kind === 'bsde-hedge';
export const isSolve = (r: AnyRun): r is SolveRun => r.kind === 'bsde-solve';

/** Hedge runs, and progress reports of hedge runs not listed yet (their detail names the kind, or none). */
export const HEDGE_QUERY: RunsQuery<HedgeRun> = { kinds: ['bsde-hedge'], isOurs: isHedge };
export const SOLVE_QUERY: RunsQuery<SolveRun> = { kinds: ['bsde-solve'], isOurs: isSolve };

export const strategyLabel = (s: Strategy): string => (s === 'delta' ? 'Δ' : 'Δ-Γ');
export const strategyName = (s: Strategy): string => (s === 'delta' ? 'delta' : 'delta-gamma');

/** "network (OSM)" / "closed form". */
export const sourceLabel = (g: GreekSource, scheme: string | null | undefined): string =>
  g === 'closed-form' ? 'closed form' : `network${scheme ? ` (${scheme.toUpperCase()})` : ''}`;

/** The scheme of a solve run ('osm' | 'rdbdp'). */
export const solveScheme = (s: SolveRun | undefined): string | null => s?.config.solver.scheme ?? s?.metrics?.scheme ?? null;

/** Grid N of a solve run. */
export const solveSteps = (s: SolveRun): number => s.metrics?.steps ?? s.config.solver.steps;

/** "B1 · geometric call · d=5 · European — OSM, N = 6 (2025-11-21 10:51)". */
export function solveTitle(s: SolveRun): string {
  const scheme = solveScheme(s)?.toUpperCase() ?? '?';
  return `${s.config.book.name} — ${scheme}, N = ${solveSteps(s)} · ${fmtDateTime(s.createdAt)}`;
}

/** "Δ-Γ · network (OSM) · R = 12 · 4,096 paths". */
export function hedgeTitle(r: HedgeRun, scheme?: string | null): string {
  const c = r.config;
  return `${strategyLabel(c.strategy)} · ${sourceLabel(c.greeks, r.metrics?.scheme ?? scheme)} · R = ${c.rebalance} · ${fmtInt(c.paths)} paths`;
}
