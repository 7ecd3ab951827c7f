import { SEMISTATIC_RUN_KIND, type SemistaticMcConfig } from '../../../src-shared/semistatic/contract';
import { resolveParams } from '../../../src-shared/semistatic/params';
import { appError } from '../../../src-shared/api/errors';
import { limitCurves } from '../../engine/semistatic/limitCurves';
import { solveSemistatic } from '../../engine/semistatic/solution';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { type JobManager } from '../../jobs/manager';
import { requireFiniteFigures } from './finite';

type SemistaticHandlers = Pick<HandlerTable, 'semistatic-solve' | 'semistatic-limit' | 'semistatic-mc-start'>;

/** `Semistatic n=10 D=2 s2=0.7 μ=0.1 · 400,000 paths` */
export function defaultMcLabel(c: SemistaticMcConfig): string {
  const p = resolveParams(c);
  return `Semistatic n=${p.n} D=${p.D} s2=${Number(p.ratio2.toPrecision(4))} μ=${p.mu} · ${c.paths.toLocaleString('en-US')} paths`;
}

/** Re-throw an engine failure (a numerical breakdown, never bad input: that was validated) as an AppError. */
function numerical<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw appError('internal', 'SEMISTATIC_NUMERICAL', `${what} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Delayed semistatic hedging: the closed form and the limit curves are computed in place (O(n), with the
 * identity checks capped at ~3e7 operations, i.e. tens of milliseconds); the Monte Carlo check is a job.
 */
export function semistaticHandlers(deps: { jobs: JobManager }): SemistaticHandlers {
  return {
    'semistatic-solve': (args) => {
      const p = resolveParams(args);
      return requireFiniteFigures(
        numerical('the closed form', () => solveSemistatic(p)),
        p,
        'The closed form',
        ['computeMs', 'checks'],
      );
    },
    'semistatic-limit': ({ delayFraction, ratio2, ns }) => numerical('the continuous limit', () => limitCurves(delayFraction, ratio2, ns)),
    'semistatic-mc-start': (config) => {
      const label = config.label?.trim() || defaultMcLabel(config);
      const runId = deps.jobs.submit({ kind: SEMISTATIC_RUN_KIND, config }, { model: 'closed-form', label, total: config.paths, seed: config.seed });
      return { runId };
    },
  };
}
