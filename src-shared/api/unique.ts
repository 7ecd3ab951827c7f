import { z } from 'zod';

/**
 * A zod check that no two items of an array share a key: the second of a pair is reported at its index,
 * naming the key and where it first appeared (e.g. `runIds.3: run abc… is listed twice (also at 0)`).
 * Used where repeating an item only repeats work (comparing a run with itself reads its arrays twice).
 */
export function noDuplicates<T>(key: (item: T) => string, what: (key: string) => string) {
  return (items: T[], ctx: z.RefinementCtx): void => {
    const first = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const at = first.get(k);
      if (at === undefined) first.set(k, i);
      else ctx.addIssue({ code: 'custom', path: [i], message: `${what(k)} is listed twice (also at ${at}); list each once` });
    });
  };
}
