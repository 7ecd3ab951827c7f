/**
 * A short, clearly delimited quotation of text from outside (a file cell, a header, a path, a name) for an
 * error message: at most `max` characters of the text (default 40), control characters escaped, in double
 * quotes, with `…` inside the quotes when cut. So a message can never carry more than a few dozen characters
 * of a file's content, and where the quotation starts and ends is plain.
 *
 * `excerpt('bid_price1')` → `"bid_price1"`; `excerpt('x'.repeat(100))` → `"xxx…(40 x's)…"` with 39 x's and `…`.
 */
export function excerpt(text: unknown, max = 40): string {
  const s = typeof text === 'string' ? text : String(text);
  const chars = Array.from(s);
  const cut = chars.length > max;
  const body = (cut ? chars.slice(0, max - 1) : chars).join('');
  // JSON.stringify escapes quotes, backslashes and control characters (NUL, newlines) as \uXXXX / \n.
  const quoted = JSON.stringify(body);
  return cut ? `${quoted.slice(0, -1)}…"` : quoted;
}

/** Like {@link excerpt} for a list of cells: the first `maxCells` excerpts joined by ", ", then "and N more". */
export function excerptList(cells: readonly unknown[], maxCells = 12, max = 40): string {
  const shown = cells.slice(0, maxCells).map((c) => excerpt(c, max));
  const rest = cells.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
