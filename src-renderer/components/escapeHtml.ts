/**
 * Text for an HTML string (ECharts tooltip formatters return HTML): `& < > " '` as character references, so a
 * user's asset name, run label or file name is shown as typed and never parsed as markup.
 */
export const escapeHtml = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
