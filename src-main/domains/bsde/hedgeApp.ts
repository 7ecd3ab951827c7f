import { fieldLabel } from '../../../src-shared/api/fieldLabels';
import { fieldSummary } from '../../host/dispatch';
import { randomUUID } from 'node:crypto';
import { type BsdeHedgeRunConfig, type BsdeRunConfig } from '../../../src-shared/bsde/contract';
import { checkSolve, progressTotal, type SolverConfig } from '../../../src-shared/bsde/config';
import { type HedgeComparison, type HedgeComparisonCell, type HedgeSettings } from '../../../src-shared/bsde/hedge';
import { appError } from '../../../src-shared/api/errors';
import { readStoredRun, tryReadStoredRun } from '../../../src-shared/api/jobs';
import { type AnyRun } from '../../../src-shared/api/runs';
import { closedFormIssue } from '../../engine/bsde/greekSource';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { type JobManager } from '../../jobs/manager';
import { type Db } from '../../store/db';
import { groupQueries } from '../../store/queries/hedging';
import { portfolioQueries } from '../../store/queries/portfolio';
import { type RunQueries } from '../../store/queries/runs';
import { comparisonFindings } from './findings';
import { hedgeSettingsIssues, replaySchedule, solveRunData } from './hedgeProblem';

type HedgeHandlers = Pick<HandlerTable, 'bsde-hedge' | 'bsde-hedge-schedule' | 'bsde-compare' | 'bsde-comparisons-list' | 'bsde-compare-get'>;

export const HEDGE_COMPARISON_KIND = 'bsde-hedge-comparison';

const invalid = (what: string, raw: Array<{ field: string; message: string; value: unknown }>) => {
  const fields = raw.map((f) => ({ ...f, label: fieldLabel(f.field.replace(/^solve\./, ''), { domain: 'bsde' }) }));
  return appError('validation', 'INVALID_INPUT', `invalid ${what} request — ${fieldSummary(fields)}`, fields);
};

const hedgeLabel = (s: HedgeSettings, scheme: string, bookName: string): string =>
  `${s.strategy} · R=${s.rebalance} · ${s.greeks === 'network' ? scheme.toUpperCase() : 'closed form'} · ${bookName}`.slice(0, 120);

/** Progress units of a hedge run (path chunks x grid dates, as the engine reports them). */
const hedgeTotal = (paths: number, steps: number): number => Math.ceil(paths / 1024) * (steps + 1);

/**
 * Hedging a solved book along paths: single runs (kind 'bsde-hedge'), the schedule of one path (replayed
 * from the run's seed), and comparisons stored as run groups — optionally solving the book first, so a preset
 * comparison is one action.
 */
export function bsdeHedgeHandlers(deps: { db: Db; runs: RunQueries; jobs: JobManager }): HedgeHandlers {
  const { runs, jobs } = deps;
  const groups = groupQueries(deps.db);
  const books = portfolioQueries(deps.db);
  const solveOf = (id: string) => {
    const run = runs.get(id);
    return solveRunData(run, id, run?.status === 'done' ? runs.getArray(id, 'weights') : null);
  };
  const submitHedge = (cfg: BsdeHedgeRunConfig, label: string, steps: number, groupId: string | null): string =>
    jobs.submit({ kind: 'bsde-hedge', config: cfg }, { model: cfg.strategy, label, total: hedgeTotal(cfg.paths, steps), seed: cfg.seed, groupId });

  /** A comparison's cell; `schemes` caches each solve run's scheme (read once per comparison, not per cell). */
  const cellOf = (r: AnyRun, schemes: Map<string, string>): HedgeComparisonCell => {
    const hedge = readStoredRun(r, 'bsde-hedge');
    const c = hedge.config;
    const m = r.status === 'done' ? hedge.metrics : null;
    if (!schemes.has(c.solveRunId)) {
      const solve = runs.get(c.solveRunId);
      schemes.set(c.solveRunId, (solve && tryReadStoredRun(solve, 'bsde-solve')?.config.solver.scheme) ?? 'unknown');
    }
    return {
      runId: r.id,
      status: r.status,
      solveRunId: c.solveRunId,
      scheme: schemes.get(c.solveRunId)!,
      greeks: c.greeks,
      strategy: c.strategy,
      rebalance: c.rebalance,
      stats: m?.stats ?? null,
    };
  };
  const comparisonOf = (groupId: string): HedgeComparison => {
    const g = groups.get(groupId);
    if (!g || g.kind !== HEDGE_COMPARISON_KIND) throw appError('not-found', 'COMPARISON_NOT_FOUND', `comparison ${groupId} does not exist (was it deleted?)`);
    const members = groups.runIds(groupId).map((id) => runs.get(id)).filter((r): r is AnyRun => !!r);
    const schemes = new Map(members.flatMap((r) => {
      const solve = tryReadStoredRun(r, 'bsde-solve');
      return solve ? [[solve.id, solve.config.solver.scheme] as const] : [];
    }));
    const cells = members.filter((r) => r.kind === 'bsde-hedge').map((r) => cellOf(r, schemes));
    const solveRunIds = [...new Set([...members.filter((r) => r.kind === 'bsde-solve').map((r) => r.id), ...cells.map((c) => c.solveRunId)])];
    return { groupId, label: g.label, createdAt: g.createdAt, solveRunIds, cells, findings: comparisonFindings(cells) };
  };

  return {
    'bsde-hedge': ({ solveRunId, label, ...settings }) => {
      const solve = solveOf(solveRunId);
      const issues = hedgeSettingsIssues(solve, settings);
      if (issues.length) throw invalid('bsde-hedge', issues);
      const cfg: BsdeHedgeRunConfig = { solveRunId, ...settings };
      const book = solve.run.config.book;
      const steps = settings.greeks === 'network' ? solve.metrics.solution.steps : (settings.steps ?? solve.metrics.solution.steps);
      return { runId: submitHedge(cfg, label?.trim() || hedgeLabel(settings, solve.metrics.scheme, book.name), steps, null) };
    },
    'bsde-hedge-schedule': ({ runId, path }) => {
      const run = runs.get(runId);
      if (!run || run.kind !== 'bsde-hedge') throw appError('not-found', 'RUN_NOT_FOUND', `hedge run ${runId} does not exist`);
      if (run.status !== 'done' || !run.metrics) throw appError('conflict', 'RUN_NOT_DONE', `hedge run ${run.label || runId} is ${run.status}; the schedule is available when it is done`);
      return replaySchedule(run, solveOf(readStoredRun(run, 'bsde-hedge').config.solveRunId), path);
    },
    'bsde-compare': (req) => {
      if (!!req.solveRunIds === !!req.solve) throw invalid('bsde-compare', [{ field: 'solveRunIds', message: 'give either solveRunIds (existing solves) or solve (solve a book first), not both', value: req.solveRunIds ?? null }]);
      type Target = { solveRunId: string | null; steps: number; scheme: string; book: BsdeRunConfig['book']; submit?: () => string };
      const targets: Target[] = [];
      const groupId = randomUUID();
      let label = req.label?.trim() ?? '';
      if (req.solve) {
        const { bookId, version, schemes, ...solverRest } = req.solve;
        const stored = books.get(bookId, version ?? null);
        if (!stored) throw appError('not-found', 'BOOK_NOT_FOUND', version ? `book ${bookId} has no version ${version}` : `book ${bookId} does not exist`);
        const problems = checkSolve(stored.book, { scheme: schemes[0], ...solverRest });
        if (problems.length) throw invalid('bsde-compare', problems.map((i) => ({ field: `solve.${i.path.join('.')}`, message: i.message, value: null })));
        label ||= `${stored.book.name} · ${schemes.map((s) => s.toUpperCase()).join(' vs ')} · N=${solverRest.steps}`;
        for (const scheme of schemes) {
          const solver: SolverConfig = { scheme, ...solverRest };
          const config: BsdeRunConfig = { bookId, version: stored.version, book: stored.book, solver };
          const submit = (): string => {
            const id = jobs.submit({ kind: 'bsde-solve', config }, { model: scheme, label: `${scheme.toUpperCase()} · ${stored.book.name} v${stored.version} · N=${solver.steps} (comparison)`.slice(0, 120), total: progressTotal(solver).total, seed: solver.seed, groupId });
            books.linkRun(id, bookId, stored.version);
            return id;
          };
          targets.push({ solveRunId: null, steps: solver.steps, scheme, book: stored.book, submit });
        }
      } else {
        for (const id of req.solveRunIds!) {
          const s = solveOf(id);
          targets.push({ solveRunId: id, steps: s.metrics.solution.steps, scheme: s.metrics.scheme, book: s.run.config.book });
        }
        label ||= `${targets[0].book.name} · ${targets.map((t) => t.scheme.toUpperCase()).join(' vs ')} · N=${targets[0].steps}`;
      }
      // Cells: network Greeks per solve at the R dividing its N; closed form once (first solve) where the book has one.
      const cells: Array<{ target: number; settings: HedgeSettings; steps: number }> = [];
      for (const [i, t] of targets.entries()) {
        for (const greeks of req.greeks) {
          if (greeks === 'closed-form' && (i > 0 || closedFormIssue(t.book))) continue;
          const steps = greeks === 'network' ? t.steps : (req.closedFormSteps ?? t.steps);
          for (const strategy of req.strategies) {
            for (const R of req.rebalance) {
              if (steps % R !== 0) continue;
              if (strategy === 'delta-gamma' && !(req.instruments.maturity >= Math.max(...t.book.options.map((o) => o.maturity)))) continue;
              cells.push({ target: i, steps, settings: { strategy, greeks, rebalance: R, steps: greeks === 'network' ? null : steps, paths: req.paths, instruments: req.instruments, seed: req.seed } });
            }
          }
        }
      }
      if (!cells.length) {
        const cf = req.greeks.includes('closed-form') ? closedFormIssue(targets[0].book) : null;
        throw invalid('bsde-compare', [{ field: 'rebalance', message: `no cell fits: none of R = ${req.rebalance.join(', ')} divides the grid N = ${[...new Set(targets.map((t) => t.steps))].join('/')}${cf ? ` (${cf})` : ''}`, value: req.rebalance }]);
      }
      groups.create({ id: groupId, kind: HEDGE_COMPARISON_KIND, label: label.slice(0, 120), config: req });
      for (const t of targets) if (t.submit) t.solveRunId = t.submit();
      const runIds = cells.map((c) => {
        const t = targets[c.target];
        return submitHedge({ solveRunId: t.solveRunId!, ...c.settings }, hedgeLabel(c.settings, t.scheme, t.book.name), c.steps, groupId);
      });
      return { groupId, solveRunIds: targets.map((t) => t.solveRunId!), runIds };
    },
    'bsde-comparisons-list': () => groups.list(HEDGE_COMPARISON_KIND).map((g) => comparisonOf(g.id)),
    'bsde-compare-get': ({ groupId }) => comparisonOf(groupId),
  };
}
