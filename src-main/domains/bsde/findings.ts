import { type HedgeComparisonCell } from '../../../src-shared/bsde/hedge';

/**
 * The source's claims, measured on a comparison's finished cells (spec "Presets the source reports":
 * delta-gamma with fortnightly rebalancing reaches the PnL spread of daily delta hedging, about an order of
 * magnitude lower variance at equal R; OSM Deltas beat RDBDP Deltas at high volatility). One sentence per
 * claim and Greek source; nothing until the needed cells are done.
 */
const fmt = (x: number): string => x.toExponential(2);
const sourceOf = (c: HedgeComparisonCell): string => (c.greeks === 'network' ? `${c.scheme.toUpperCase()} Greeks` : 'closed-form Greeks');

export function comparisonFindings(cells: HedgeComparisonCell[]): string[] {
  const done = cells.filter((c) => c.stats);
  const out: string[] = [];
  if (done.length < cells.length) out.push(`${done.length} of ${cells.length} cells are done; the findings below use those.`);
  const sources = [...new Set(done.map(sourceOf))];
  for (const src of sources) {
    const byR = (strategy: string) =>
      new Map(done.filter((c) => sourceOf(c) === src && c.strategy === strategy).map((c) => [c.rebalance, c.stats!.variance] as const));
    const delta = byR('delta');
    const dg = byR('delta-gamma');
    if (!delta.size || !dg.size) continue;
    const rMax = Math.max(...delta.keys());
    const target = delta.get(rMax)!;
    const reach = [...dg.entries()].sort((a, b) => a[0] - b[0]).find(([, v]) => v <= target);
    out.push(
      reach
        ? `${src}: delta-gamma with R = ${reach[0]} reaches a relative-PnL variance of ${fmt(reach[1])}, at or below delta hedging with R = ${rMax} (${fmt(target)}).`
        : `${src}: delta-gamma does not reach delta hedging's variance at R = ${rMax} (${fmt(target)}) at any R tried (best ${fmt(Math.min(...dg.values()))}).`,
    );
    const common = [...delta.keys()].filter((r) => dg.has(r) && dg.get(r)! > 0).sort((a, b) => a - b);
    if (common.length) {
      const ratios = common.map((r) => delta.get(r)! / dg.get(r)!).sort((a, b) => a - b);
      const med = ratios[Math.floor((ratios.length - 1) / 2)];
      out.push(`${src}: at equal R (${common.join(', ')}) delta hedging's variance is ${med.toFixed(1)}x delta-gamma's (median; range ${ratios[0].toFixed(1)}x to ${ratios[ratios.length - 1].toFixed(1)}x).`);
    }
  }
  // OSM versus RDBDP Deltas: delta hedging with each scheme's networks at the largest common R.
  const deltaBy = (scheme: string) => new Map(done.filter((c) => c.greeks === 'network' && c.scheme === scheme && c.strategy === 'delta').map((c) => [c.rebalance, c.stats!.variance] as const));
  const osm = deltaBy('osm');
  const rdbdp = deltaBy('rdbdp');
  const both = [...osm.keys()].filter((r) => rdbdp.has(r));
  if (both.length) {
    const r = Math.max(...both);
    const a = osm.get(r)!;
    const b = rdbdp.get(r)!;
    out.push(`Delta hedging at R = ${r}: OSM Deltas give a variance of ${fmt(a)}, RDBDP Deltas ${fmt(b)} — ${a < b ? `OSM lower by ${(b / a).toFixed(2)}x` : `RDBDP lower by ${(a / b).toFixed(2)}x (the source's claim does not hold here)`}.`);
  }
  return out;
}
