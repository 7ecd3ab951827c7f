import { type BookContent, type BookOption, bookContentSchema } from '../../../src-shared/portfolio/book';

/**
 * The book being edited (a plain BookContent) and the edits the grids make to it, each returning a new
 * object: renaming an asset renames it in the options, removing one removes its correlation row and column,
 * correlation edits are mirrored so the matrix stays symmetric with a unit diagonal.
 */

export function newBook(): BookContent {
  return {
    name: 'New book',
    rate: 0,
    assets: [
      { name: 'S1', s0: 100, mu: 0.05, sigma: 0.2, q: 0 },
      { name: 'S2', s0: 100, mu: 0.05, sigma: 0.25, q: 0 },
    ],
    correlation: [
      [1, 0.5],
      [0.5, 1],
    ],
    options: [newOption(['S1', 'S2'])],
  };
}

export function newOption(assets: string[]): BookOption {
  return { label: '', payoff: 'geometric-call', assets, strike: 100, strike2: null, maturity: 1, exercise: 'european', exerciseDates: 1, quantity: 1 };
}

const uniqueName = (taken: Set<string>): string => {
  for (let i = taken.size + 1; ; i++) if (!taken.has(`S${i}`)) return `S${i}`;
};

export function addAsset(b: BookContent): BookContent {
  const name = uniqueName(new Set(b.assets.map((a) => a.name)));
  const d = b.assets.length;
  return {
    ...b,
    assets: [...b.assets, { name, s0: 100, mu: 0.05, sigma: 0.2, q: 0 }],
    correlation: [...b.correlation.map((r) => [...r, 0]), Array.from({ length: d + 1 }, (_, j) => (j === d ? 1 : 0))],
  };
}

export function removeAsset(b: BookContent, i: number): BookContent {
  const name = b.assets[i].name;
  return {
    ...b,
    assets: b.assets.filter((_, k) => k !== i),
    correlation: b.correlation.filter((_, k) => k !== i).map((r) => r.filter((_, k) => k !== i)),
    options: b.options.map((o) => ({ ...o, assets: o.assets.filter((n) => n !== name) })),
  };
}

export function setAssetField(b: BookContent, i: number, field: keyof BookContent['assets'][number], value: string | number): BookContent {
  const old = b.assets[i];
  const assets = b.assets.map((a, k) => (k === i ? { ...a, [field]: value } : a));
  if (field !== 'name' || old.name === value) return { ...b, assets };
  return { ...b, assets, options: b.options.map((o) => ({ ...o, assets: o.assets.map((n) => (n === old.name ? String(value) : n)) })) };
}

/** Set rho_ij and rho_ji (the diagonal stays 1). */
export function setCorrelation(b: BookContent, i: number, j: number, v: number): BookContent {
  if (i === j) return b;
  return { ...b, correlation: b.correlation.map((r, a) => r.map((x, c) => ((a === i && c === j) || (a === j && c === i) ? v : x))) };
}

export function setOptionField<K extends keyof BookOption>(b: BookContent, j: number, field: K, value: BookOption[K]): BookContent {
  return { ...b, options: b.options.map((o, k) => (k === j ? { ...o, [field]: value } : o)) };
}

export function addOption(b: BookContent): BookContent {
  return { ...b, options: [...b.options, newOption(b.assets.map((a) => a.name))] };
}

export function removeOption(b: BookContent, j: number): BookContent {
  return { ...b, options: b.options.filter((_, k) => k !== j) };
}

/** "all" for every asset in book order, else the names joined by commas. */
export function assetsText(b: BookContent, o: BookOption): string {
  const all = b.assets.map((a) => a.name);
  return o.assets.length === all.length && o.assets.every((n, i) => n === all[i]) && all.length > 2 ? `all (${all.length})` : o.assets.join(', ');
}

/** Parse the assets cell: "all", or names separated by commas or spaces. */
export function parseAssets(b: BookContent, text: string): string[] {
  const t = text.trim();
  if (/^all\b/i.test(t)) return b.assets.map((a) => a.name);
  return t.split(/[\s,;]+/).filter(Boolean);
}

/** A number from a grid cell: finite numbers pass, anything else becomes NaN (the schema then names the cell). */
export function parseCellNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const t = String(v ?? '').trim().replace(/,/g, '');
  return t === '' ? NaN : Number(t);
}

export interface DraftIssue {
  /** Dotted path within the book, e.g. `correlation.1.2` or `options.0.strike`. */
  path: string;
  message: string;
}

/** Validate a draft with the same schema the main process uses. */
export function validateDraft(b: BookContent): DraftIssue[] {
  const r = bookContentSchema.safeParse(b);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Issues by cell key; correlation issues are also keyed on the mirrored cell, asset-list issues on the list. */
export function issuesByCell(issues: readonly DraftIssue[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const add = (k: string, msg: string) => m.set(k, [...(m.get(k) ?? []), msg]);
  for (const i of issues) {
    const p = i.path.split('.');
    if (p[0] === 'correlation' && p.length === 3) {
      add(`correlation.${p[1]}.${p[2]}`, i.message);
      add(`correlation.${p[2]}.${p[1]}`, i.message);
    } else if (p[0] === 'options' && p[2] === 'assets') add(`options.${p[1]}.assets`, i.message);
    else add(p.slice(0, 3).join('.'), i.message);
  }
  return m;
}

/** Server field names (`book.options.0.strike`) as draft paths (`options.0.strike`). */
export const draftPath = (field: string): string => field.replace(/^book\./, '');

/**
 * What a grid cell shows: its formatted value, except that a numeric cell left empty or unreadable (NaN)
 * shows the field's error ("S0 must be a number") instead of "NaN" — the same text as its red tooltip.
 */
export function cellDisplay(value: unknown, formatted: string, issues: readonly string[] | undefined): string {
  if (typeof value === 'number' && Number.isNaN(value)) return issues?.[0] ?? 'a number is required';
  return formatted;
}

/**
 * A stored draft read back (forms/draftStore.ts): the shape of a book, not its validity — unsaved edits may
 * be invalid (the editor then shows the problems, as before the reload). Anything else is dropped.
 */
export function parseBookDraft(v: unknown): BookContent | null {
  const b = v as Partial<BookContent> | null;
  if (typeof b !== 'object' || b === null) return null;
  if (typeof b.name !== 'string' || !Array.isArray(b.assets) || !Array.isArray(b.correlation) || !Array.isArray(b.options)) return null;
  return b as BookContent;
}
