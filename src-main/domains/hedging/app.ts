import { type HedgeConfig } from '../../../src-shared/hedging/config';
import { type HandlerTable } from '../../host/dispatch';
import { type JobManager } from '../../jobs/manager';

/** A readable default label: `BSDH european K=1 σ=0.1 c=0.002 30d/30 steps`. */
export function defaultLabel(c: HedgeConfig): string {
  return `${c.model.toUpperCase()} ${c.option} K=${c.strike} σ=${c.sigma} c=${c.cost} ${c.days}d/${c.steps} steps`;
}

/** Start a hedging run: creates a queued run row and returns its id at once; progress arrives as events. */
export function hedgingHandlers(deps: { jobs: JobManager }): Pick<HandlerTable, 'hedging-start'> {
  return {
    'hedging-start': (config) => {
      const label = config.label?.trim() || defaultLabel(config);
      const runId = deps.jobs.submit({ kind: 'hedge', config }, { model: config.model, label, total: config.paths });
      return { runId };
    },
  };
}
