import { type AnyRun, type RunRecord } from '../../../../src-shared/api/runs';
import { type HestonHedgeCell, type HestonHedgeMetrics } from '../../../../src-shared/heston/hedge';
import { type HestonHedgeRunConfig } from '../../../../src-shared/heston/hedgeContract';
import { type HestonStrategy } from '../../../../src-shared/heston/types';
import { type RunsQuery } from '../../../hooks/useRuns';

/** A stored Heston hedge run (kind 'heston-hedge'). */
export type HestonHedgeRun = RunRecord<'heston-hedge', HestonHedgeRunConfig, HestonHedgeMetrics>;

export const isHestonHedge = (r: AnyRun): r is HestonHedgeRun => r.kind === 'heston-hedge';
export const HESTON_HEDGE_QUERY: RunsQuery<HestonHedgeRun> = { kinds: ['heston-hedge'], isOurs: isHestonHedge };

/** Short strategy names (Vega, not ν: ν is the variance state on this screen). */
export const STRATEGY_SHORT: Record<HestonStrategy, string> = {
  delta: 'Δ',
  'delta-vega': 'Δ-Vega',
  'delta-vega-gamma': 'Δ-Vega-Γ',
  'delta-vega-gamma-vomma': 'Δ-Vega-Γ-Vomma',
  'delta-vega-gamma-vomma-vanna': 'Δ-Vega-Γ-Vomma-Vanna',
};

/** One colour per strategy in every chart of the section. */
export const HESTON_STRATEGY_COLORS: Record<HestonStrategy, string> = {
  delta: '#d9480f',
  'delta-vega': '#1f5fbf',
  'delta-vega-gamma': '#2b8a3e',
  'delta-vega-gamma-vomma': '#862e9c',
  'delta-vega-gamma-vomma-vanna': '#b08900',
};

export const cellOf = (m: HestonHedgeMetrics, strategy: HestonStrategy, R: number): HestonHedgeCell | undefined => m.cells.find((c) => c.strategy === strategy && c.rebalance === R);

/** "OSM Greeks" / "PDE (ADI) Greeks" / … */
export const greeksText = (g: HestonHedgeMetrics['greeks'] | undefined, asked: HestonHedgeRunConfig['greeks']): string =>
  g === 'osm' ? 'OSM network' : g === 'rdbdp' ? 'RDBDP network' : g === 'pde' || asked === 'pde' ? 'PDE (ADI)' : g === 'semi-analytic' || asked === 'semi-analytic' ? 'semi-analytic' : 'network';
