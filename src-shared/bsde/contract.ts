import { z } from 'zod';
import { bookId } from '../portfolio/contract';
import { type BookContent } from '../portfolio/book';
import { type SolverConfig, solverShape } from './config';
import { type BookGreeksAt } from './result';

/**
 * Handlers of the `bsde` domain: solve runs (kind 'bsde-solve') of a stored book version with OSM or RDBDP,
 * and Greeks at any grid time and spot from a finished run's stored networks.
 */
const runId = z.string().regex(/^[0-9a-z-]{8,64}$/, 'runId must be a run id');

export const bsdeSchemas = {
  'bsde-solve': z
    .object({
      bookId,
      /** null/absent: the latest version. */
      version: z.number().int('version must be a whole number').min(1, 'version must be >= 1').nullable().optional(),
      label: z.string().max(120, 'label must be at most 120 characters').optional(),
      ...solverShape,
    })
    .strict(),
  'bsde-evaluate': z
    .object({
      runId,
      /** Grid index n (t_n = n T / N). */
      n: z.number().int('n must be a whole number').min(0, 'n must be >= 0').max(500, 'n must be <= 500'),
      /** Spot of every asset (money), in the book's asset order. */
      spots: z.array(z.number().gt(0, 'spots must be > 0')).min(1, 'give one spot per asset').max(50, 'at most 50 spots'),
    })
    .strict(),
} as const;

/** What a 'bsde-solve' run stores as its config (the book is copied so the run is self-contained). */
export interface BsdeRunConfig {
  bookId: string;
  version: number;
  book: BookContent;
  solver: SolverConfig;
}

export interface BsdeResponses {
  'bsde-solve': { runId: string };
  'bsde-evaluate': BookGreeksAt;
}
