/**
 * Join class names, skipping falsy ones: `cx(styles.tab, active && styles.active, 'muted')`.
 * The tiny helper the components use to combine CSS-module classes with each other and with global ones.
 */
export function cx(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(' ');
}
