import { fieldLabel } from '../../../src-shared/api/fieldLabels';
import { checkSolve, progressTotal } from '../../../src-shared/bsde/config';
import { type BsdeRunConfig } from '../../../src-shared/bsde/contract';
import { readStoredRun } from '../../../src-shared/api/jobs';
import { appError } from '../../../src-shared/api/errors';
import { evaluateSolution } from '../../engine/bsde/solution';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { type JobManager } from '../../jobs/manager';
import { type Db } from '../../store/db';
import { portfolioQueries } from '../../store/queries/portfolio';
import { type RunQueries } from '../../store/queries/runs';

import { estimateBsde } from '../../../src-shared/limits/estimate';
import { type WorkGuard } from '../../limits/guard';

type BsdeHandlers = Pick<HandlerTable, 'bsde-solve' | 'bsde-evaluate'>;

const fmtValue = (v: unknown): string => JSON.stringify(v);

/**
 * Solve runs of a book version (kind 'bsde-solve'). Before anything is written the book is checked against
 * the grid and the memory plan (maturity beyond the grid, exercise dates off the grid, sizes over the
 * limit), each problem naming the cell (`book.options.2.maturity`) or the setting (`batch`); then the run
 * row is created, linked to the book version it used, and the job queued.
 */
export function bsdeHandlers(deps: { db: Db; runs: RunQueries; jobs: JobManager; guard?: WorkGuard }): BsdeHandlers {
  const books = portfolioQueries(deps.db);
  return {
    'bsde-solve': ({ bookId, version, label, allowLong, ...solver }) => {
      const stored = books.get(bookId, version ?? null);
      if (!stored) throw appError('not-found', 'BOOK_NOT_FOUND', version ? `book ${bookId} has no version ${version}` : `book ${bookId} does not exist`);
      const issues = checkSolve(stored.book, solver);
      if (issues.length) {
        const fields = issues.map((i) => {
          const path = i.path[0] === 'options' ? ['book', ...i.path] : i.path;
          const value = path[0] === 'book' ? (stored.book.options[i.path[1] as number] as unknown as Record<string, unknown>)[i.path[2] as string] : (solver as Record<string, unknown>)[i.path[0] as string];
          return { field: path.join('.'), label: fieldLabel(path, { domain: 'bsde', assetNames: stored.book.assets.map((a) => a.name) }), message: i.message, value };
        });
        throw appError('validation', 'INVALID_INPUT', `invalid bsde-solve request — ${fields.map((f) => `${f.label}: ${f.message} (got ${fmtValue(f.value)})`).join('; ')}`, fields);
      }
      deps.guard?.check(estimateBsde({ ...solver, d: stored.book.assets.length }), allowLong);
      const config: BsdeRunConfig = { bookId, version: stored.version, book: stored.book, solver };
      const text = label?.trim() || `${solver.scheme.toUpperCase()} · ${stored.book.name} v${stored.version} · N=${solver.steps} · ${solver.width}x${solver.depth}`;
      const runId = deps.jobs.submit({ kind: 'bsde-solve', config }, { model: solver.scheme, label: text.slice(0, 120), total: progressTotal(solver).total, seed: solver.seed });
      books.linkRun(runId, bookId, stored.version);
      return { runId };
    },
    'bsde-evaluate': ({ runId, n, spots }) => {
      const run = deps.runs.get(runId);
      if (!run || run.kind !== 'bsde-solve') throw appError('not-found', 'RUN_NOT_FOUND', `solve run ${runId} does not exist`);
      const { metrics } = readStoredRun(run, 'bsde-solve');
      const weights = run.status === 'done' ? deps.runs.getArray(runId, 'weights') : null;
      if (!metrics || !(weights instanceof Float32Array)) throw appError('conflict', 'RUN_NOT_DONE', `run ${runId} has no trained networks (status: ${run.status})`);
      const sol = metrics.solution;
      const fields = [];
      if (n > sol.steps) fields.push({ field: 'n', message: `n must be <= ${sol.steps} (the run's grid has N = ${sol.steps} steps)`, value: n });
      if (spots.length !== sol.d) fields.push({ field: 'spots', message: `give ${sol.d} spots, one per asset (${metrics.assets.join(', ')})`, value: spots.length });
      if (fields.length) throw appError('validation', 'INVALID_INPUT', `invalid bsde-evaluate request — ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
      return evaluateSolution(sol, weights, n, spots);
    },
  };
}
