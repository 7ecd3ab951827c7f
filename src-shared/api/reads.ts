import { z } from 'zod';

/**
 * A caller's name for a cancellable read (one chart of one window, e.g. `signature-3f9a…`): a heavy read that
 * takes it can be cancelled with 'reads-cancel' { readId }, and a newer read with the same readId and other
 * arguments cancels the older one. A cancelled read answers with an AppError of type 'cancelled'
 * (code READ_CANCELLED).
 */
export const readIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'readId must be 1-64 letters, digits, _ or -');
