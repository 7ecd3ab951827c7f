import { type RunSummary } from '../../../src-shared/api/runs';
import { fmtBp, fmtInt, fmtPct, fmtPlain, fmtSeconds } from '../../app/format';
import { modelShort, optionLabel } from '../hedging/labels';

/** A run's name for headings and legends: its label, else model + option + short id. */
export function runTitle(r: RunSummary): string {
  return r.label?.trim() || `${modelShort(r.model)} ${optionLabel(r.config.option)} · ${r.id.slice(0, 8)}`;
}

/** One-line summary of a run's configuration with units. */
export function configSummary(r: RunSummary): string {
  const c = r.config;
  return [
    `${modelShort(r.model)}`,
    optionLabel(c.option),
    `K ${fmtPlain(c.strike)} P₀`,
    `σ ${fmtPct(c.sigma)}/yr`,
    `μ ${fmtPct(c.drift)}/yr`,
    `${fmtPlain(c.days)} d / ${fmtInt(c.steps)} steps`,
    `c ${fmtBp(c.cost)}`,
    `${fmtInt(c.paths)} paths`,
    `seed ${r.seed}`,
    r.backend ? `backend ${r.backend}` : null,
    r.wallMs !== null ? `wall ${fmtSeconds(r.wallMs)} s` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}
