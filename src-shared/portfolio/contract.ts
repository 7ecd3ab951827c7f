import { z } from 'zod';
import { type BookContent, bookContentSchema } from './book';
import { PRESET_IDS } from './presets';

/**
 * Handlers of the `portfolio` domain: books (assets, correlation, options) stored in SQLite with versions.
 * Saving a book whose latest version was used by a run creates a new version; otherwise the latest version
 * is updated in place. Presets B1-B4 are seeded as ready books.
 */
export const bookId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'bookId must be a book id');
const version = z.number().int('version must be a whole number').min(1, 'version must be >= 1');

export const portfolioSchemas = {
  'portfolio-list': z.object({}).strict(),
  'portfolio-get': z.object({ bookId, version: version.nullable().optional() }).strict(),
  'portfolio-versions': z.object({ bookId }).strict(),
  'portfolio-save': z
    .object({
      /** null: a new book. */
      bookId: bookId.nullable(),
      /** The version the edit started from (null for a new book); saving over an older one adds a version. */
      baseVersion: version.nullable(),
      book: bookContentSchema,
    })
    .strict(),
  'portfolio-duplicate': z
    .object({ bookId, version: version.nullable().optional(), name: z.string().trim().min(1).max(80, 'name must be at most 80 characters').optional() })
    .strict(),
  'portfolio-delete': z.object({ bookId }).strict(),
  'portfolio-preset': z
    .object({
      preset: z.enum(PRESET_IDS, { error: `preset must be one of: ${PRESET_IDS.join(', ')}` }),
      assets: z.number().int('assets must be a whole number').min(1, 'assets must be >= 1').max(50, 'assets must be <= 50').optional(),
      exerciseDates: z.number().int('exerciseDates must be a whole number').min(1, 'exerciseDates must be >= 1').max(1000, 'exerciseDates must be <= 1000').optional(),
      sigma: z.number().gt(0, 'sigma must be > 0').max(3, 'sigma must be <= 3').optional(),
      case: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'case must be 1, 2 or 3' }).optional(),
    })
    .strict(),
} as const;

export interface BookSummary {
  bookId: string;
  name: string;
  latestVersion: number;
  versions: number;
  assets: number;
  options: number;
  /** Solver runs over all versions. */
  runs: number;
  preset: string | null;
  updatedAt: number;
}

export interface StoredBook {
  bookId: string;
  version: number;
  latestVersion: number;
  /** Runs that used this version (editing it will then create a new version). */
  runs: number;
  createdAt: number;
  updatedAt: number;
  preset: string | null;
  book: BookContent;
}

export interface VersionInfo {
  version: number;
  name: string;
  createdAt: number;
  updatedAt: number;
  runs: number;
}

export interface SaveResult {
  bookId: string;
  version: number;
  /** created: a new book; new-version: the edited version had runs (or was not the latest); updated: in place. */
  action: 'created' | 'new-version' | 'updated' | 'unchanged';
}

export interface PortfolioResponses {
  'portfolio-list': BookSummary[];
  'portfolio-get': StoredBook;
  'portfolio-versions': VersionInfo[];
  'portfolio-save': SaveResult;
  'portfolio-duplicate': { bookId: string; version: number };
  'portfolio-delete': { deleted: true };
  'portfolio-preset': { bookId: string; version: number; created: boolean };
}
