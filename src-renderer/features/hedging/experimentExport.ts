import { type ExperimentDetail } from '../../../src-shared/hedging/contract';
import { criterionLabel } from '../../../src-shared/hedging/criteria';

import { toCsv } from '../../components/download';

export { download } from '../../components/download';

/**
 * Exports of an experiment: the numbers of every cell as CSV, and the grid as one PNG composed from the
 * charts' canvases and the texts marked `data-export-text` inside the grid element (so the picture is the
 * grid as shown, titles, verdicts and tables included).
 */

/** One row per hedger per cell: experiment, scale, seed, section, cell, varied quantity and value, model, figures, verdict, run. */
export function experimentCsv(d: ExperimentDetail): string {
  const head = [
    'experiment', 'scale', 'seed', 'section', 'cell', 'strike', 'varied', 'value', 'model', 'criterion', 'criterion_value_P0', 'rank',
    'mean_abs_position', 'does_not_hedge', 'entropic_P0', 'es90_P0', 'mean_pnl_P0', 'std_pnl_P0', 'dhlnn_best_claim', 'run_id', 'pnl_array',
  ];
  const crit = criterionLabel(d.criterion);
  const rows = d.cells.flatMap((c) =>
    c.entries.map((e) => [
      d.id, d.scale, d.seed, c.group, c.title, c.strike, c.varied.name, c.varied.value, e.model, crit, e.criterionValue, e.rank,
      e.meanAbsPosition, e.doesNotHedge, e.entropic, e.es90, e.mean, e.std, c.claim, e.runId, e.array,
    ]),
  );
  return toCsv([head, ...rows]);
}

/**
 * The element's charts and marked texts drawn onto one canvas at their on-screen positions (full scroll
 * size of the element, device pixel ratio kept), white background. Returns a PNG data URL.
 */
export function gridPng(root: HTMLElement): string {
  const dpr = window.devicePixelRatio || 1;
  const box = root.getBoundingClientRect();
  const width = Math.ceil(root.scrollWidth);
  const height = Math.ceil(root.scrollHeight);
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * dpr);
  canvas.height = Math.ceil(height * dpr);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(dpr, dpr);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const ox = box.left - root.scrollLeft;
  const oy = box.top - root.scrollTop;
  root.querySelectorAll<HTMLElement>('[data-export-box]').forEach((el) => {
    const r = el.getBoundingClientRect();
    ctx.strokeStyle = '#d5dae3';
    ctx.strokeRect(r.left - ox + 0.5, r.top - oy + 0.5, r.width - 1, r.height - 1);
  });
  root.querySelectorAll('canvas').forEach((c) => {
    const r = c.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) ctx.drawImage(c, r.left - ox, r.top - oy, r.width, r.height);
  });
  root.querySelectorAll<HTMLElement>('[data-export-text]').forEach((el) => {
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    ctx.font = `${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
    ctx.fillStyle = st.color || '#1d2330';
    ctx.textBaseline = 'middle';
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    const align = st.textAlign === 'right' ? 'right' : 'left';
    ctx.textAlign = align;
    ctx.fillText(text, align === 'right' ? r.right - ox - 2 : r.left - ox + 1, r.top - oy + r.height / 2, Math.max(10, r.width));
  });
  return canvas.toDataURL('image/png');
}

/** Data URL to Blob. */
export function dataUrlBlob(url: string): Blob {
  const [head, body] = url.split(',');
  const mime = /data:([^;]+)/.exec(head)?.[1] ?? 'application/octet-stream';
  const bin = atob(body);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: mime });
}
