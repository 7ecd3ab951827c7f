import { appError } from '../../../src-shared/api/errors';
import { SEEDED_PRESETS, presetBook } from '../../../src-shared/portfolio/presets';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { type Db } from '../../store/db';
import { portfolioQueries } from '../../store/queries/portfolio';

type PortfolioHandlers = Pick<
  HandlerTable,
  'portfolio-list' | 'portfolio-get' | 'portfolio-versions' | 'portfolio-save' | 'portfolio-duplicate' | 'portfolio-delete' | 'portfolio-preset'
>;

const notFound = (bookId: string, version?: number | null) =>
  appError('not-found', 'BOOK_NOT_FOUND', version ? `book ${bookId} has no version ${version}` : `book ${bookId} does not exist (was it deleted?)`);

/**
 * Books: list, open (any version), save (versioned: a version used by a run is never changed), duplicate,
 * delete (refused while runs point at it) and build a preset. Bad books never reach here: the contract's
 * schema rejects them field by field (correlation not positive definite, options on unknown assets, ...).
 * The preset books B1-B4 are seeded into a fresh store.
 */
export function portfolioHandlers(deps: { db: Db }): PortfolioHandlers {
  const q = portfolioQueries(deps.db);
  q.seedOnce(SEEDED_PRESETS.map((p) => ({ book: presetBook(p.id, p.options), preset: p.id })));
  return {
    'portfolio-list': () => q.list(),
    'portfolio-get': ({ bookId, version }) => {
      const b = q.get(bookId, version ?? null);
      if (!b) throw notFound(bookId, version);
      return b;
    },
    'portfolio-versions': ({ bookId }) => {
      const v = q.versions(bookId);
      if (!v.length) throw notFound(bookId);
      return v;
    },
    'portfolio-save': ({ bookId, baseVersion, book }) => {
      const r = q.save(bookId, baseVersion, book);
      if (!r) throw notFound(bookId!);
      return r;
    },
    'portfolio-duplicate': ({ bookId, version, name }) => {
      const r = q.duplicate(bookId, version ?? null, name);
      if (!r) throw notFound(bookId, version);
      return r;
    },
    'portfolio-delete': ({ bookId }) => {
      if (!q.get(bookId)) throw notFound(bookId);
      const runs = q.runCount(bookId);
      if (runs > 0) {
        throw appError('conflict', 'BOOK_HAS_RUNS', `book ${bookId} was used by ${runs} solver run${runs === 1 ? '' : 's'}; delete those runs first (runs keep pointing at the version they used)`);
      }
      q.delete(bookId);
      return { deleted: true as const };
    },
    'portfolio-preset': ({ preset, ...opts }) => q.findOrCreate(presetBook(preset, opts), preset),
  };
}
