/**
 * Unsaved edits kept in the browser's localStorage, so a reload (or a crash) does not lose them: one entry
 * per edited thing (e.g. a portfolio book, by id), written while there are unsaved edits and removed once
 * they are saved, reverted or discarded. Entries carry when they were written and the version they were
 * edited from, so the screen can say what it offers back.
 */

/** The part of `Storage` used here (window.localStorage in the app, a Map in tests). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface Draft<T> {
  value: T;
  /** Version of the stored thing the edits started from (null: never saved). */
  baseVersion: number | null;
  /** When the draft was last written (ms since epoch). */
  savedAt: number;
}

export interface DraftStore<T> {
  get(key: string): Draft<T> | null;
  put(key: string, value: T, baseVersion: number | null): void;
  remove(key: string): void;
}

/**
 * Drafts of one kind under `namespace`. `parse` checks a stored value's shape (a draft written by an older
 * app may not fit any more): an entry it rejects is dropped, as is unreadable JSON. A full or unavailable
 * storage only loses the draft, never the edit in the screen.
 */
export function draftStore<T>(namespace: string, parse: (v: unknown) => T | null, storage: () => DraftStorage | null = defaultStorage): DraftStore<T> {
  const keyOf = (key: string): string => `hw-draft:${namespace}:${key}`;
  return {
    get(key) {
      const s = storage();
      const text = s?.getItem(keyOf(key));
      if (!s || !text) return null;
      try {
        const d = JSON.parse(text) as Partial<Draft<unknown>>;
        const value = parse(d.value);
        if (value === null || typeof d.savedAt !== 'number') throw new Error('not a draft');
        return { value, baseVersion: typeof d.baseVersion === 'number' ? d.baseVersion : null, savedAt: d.savedAt };
      } catch {
        s.removeItem(keyOf(key));
        return null;
      }
    },
    put(key, value, baseVersion) {
      try {
        storage()?.setItem(keyOf(key), JSON.stringify({ value, baseVersion, savedAt: Date.now() } satisfies Draft<T>));
      } catch {
        // Quota exceeded or storage disabled: the edit stays in the screen, only its copy is lost.
      }
    },
    remove(key) {
      storage()?.removeItem(keyOf(key));
    },
  };
}

function defaultStorage(): DraftStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}
