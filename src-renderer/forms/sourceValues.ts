/**
 * Per-source value sets for a form whose data source (GBM, an order-book path set, …) fills some of its
 * fields. Each source keeps its own values of those fields: leaving a source stores what the user had there,
 * coming back restores it, and a source visited for the first time starts from its own initial values (a
 * path set's steps/σ/maturity/paths, the defaults for GBM). Values are the form's text, as typed.
 */

export type ValueSet<F extends string> = Partial<Record<F, string>>;

/** Stored values of the source-owned fields, by source id. */
export type SourceSets<F extends string> = Readonly<Record<string, ValueSet<F>>>;

export interface SwitchSource<F extends string, S extends F = F> {
  /** The value sets so far (the result of the previous switch, or `{}`). */
  sets: SourceSets<S>;
  /** The source being left, and the form's current values (its fields are stored under it). */
  from: string;
  values: Readonly<Record<F, string>>;
  /** The source chosen. */
  to: string;
  /** The fields each source owns; the other fields are shared by every source and left alone. */
  fields: readonly S[];
  /** Values of the owned fields for a source not visited before (missing ones keep the current text). */
  initial(source: string): ValueSet<S>;
}

/** Leave `from` for `to`: returns the updated value sets and the form's values with `to`'s fields in place. */
export function switchSource<F extends string, S extends F = F>(s: SwitchSource<F, S>): { sets: SourceSets<S>; values: Record<F, string> } {
  const kept: ValueSet<S> = {};
  for (const f of s.fields) kept[f] = s.values[f];
  const sets = { ...s.sets, [s.from]: kept };
  if (s.to === s.from) return { sets, values: { ...s.values } as Record<F, string> };
  const restored = s.sets[s.to] ?? s.initial(s.to);
  const values = { ...s.values } as Record<F, string>;
  for (const f of s.fields) {
    const v = restored[f];
    if (v !== undefined) values[f] = v;
  }
  return { sets, values };
}

/** The named fields of a value set (e.g. a source's initial values taken from the defaults). */
export function pickFields<F extends string>(values: Readonly<Record<F, string>>, fields: readonly F[]): ValueSet<F> {
  const out: ValueSet<F> = {};
  for (const f of fields) out[f] = values[f];
  return out;
}
