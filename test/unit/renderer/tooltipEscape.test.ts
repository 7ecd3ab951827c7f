import { describe, expect, it } from 'vitest';
import { gammaHeatmapOption } from '../../../src-renderer/features/portfolio/charts';
import { escapeHtml } from '../../../src-renderer/components/escapeHtml';

/** Issue 13 "Also": asset names (user text) are escaped in chart tooltips, which ECharts renders as HTML. */
describe('chart tooltips escape user text', () => {
  const evil = '<img src=x onerror=alert(1)>';
  it('the Gamma heat map tooltip shows an asset name as text, not markup', () => {
    const option = gammaHeatmapOption([evil, 'B&C'], [[1, 2], [3, 4]], 'Γ', 4) as { tooltip: { formatter: (p: { value: [number, number, number] }) => string } };
    const html = option.tooltip.formatter({ value: [1, 0, 2] });
    expect(html).not.toContain('<img');
    expect(html).toBe('Γ(&#60;img src=x onerror=alert(1)&#62;, B&#38;C) = 2 /money');
  });
  it('escapeHtml escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});
