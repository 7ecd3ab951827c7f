import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../../src-renderer/components/ProgressBar';
import { liveTiming } from '../../../src-renderer/components/RunProgress';

/**
 * The one progress line every live run draws (Solve, Heston, trained runs, QLBS runs and sweeps, order-book import):
 * its bar's role and aria values, the percentage label, the run's own text then elapsed and time left; and the
 * live timing the panels feed it (a report run on to the current time).
 */

const line = (props: Parameters<typeof ProgressLine>[0]): string => renderToStaticMarkup(createElement(ProgressLine, props));
const attr = (html: string, name: string): string | null => new RegExp(`${name}="([^"]*)"`).exec(html)?.[1] ?? null;

describe('ProgressLine', () => {
  it('draws the bar with the progressbar role, aria values and percentage, then the text, elapsed and time left', () => {
    const html = line({ done: 7, total: 30, elapsedMs: 7_100, etaMs: 199_000, testId: 'qlbs-progress', pctTestId: 'qlbs-progress-percent', etaTestId: 'qlbs-progress-eta', children: createElement('span', { 'data-testid': 'qlbs-progress-count' }, '7 / 30 backward steps') });
    expect(attr(html, 'role')).toBe('progressbar');
    expect(attr(html, 'aria-valuemin')).toBe('0');
    expect(attr(html, 'aria-valuemax')).toBe('30');
    expect(attr(html, 'aria-valuenow')).toBe('7');
    // 7 / 30 = 23.333... %
    expect(attr(html, 'aria-valuetext')).toBe('23.3%');
    expect(html).toContain('data-testid="qlbs-progress"');
    expect(html).toMatch(/data-testid="qlbs-progress-percent">23\.3%</);
    expect(html).toContain('style="width:23.333333333333332%"');
    // Text order: the run's own text, then elapsed, then time left (fmtDuration: 7.1 s; 199 s = 3 min 19 s).
    const text = html.replace(/<[^>]+>/g, '|').split('|').filter(Boolean);
    expect(text.slice(1)).toEqual(['7 / 30 backward steps', 'elapsed 7.1 s', 'left ≈ 3 min 19 s']);
    expect(html).toMatch(/data-testid="qlbs-progress-eta">left ≈ 3 min 19 s</);
  });

  it('clamps the bar to 0..100 % and says "estimating…" while the time left is unknown', () => {
    const over = line({ done: 120, total: 100, elapsedMs: null, etaMs: null, children: null });
    expect(attr(over, 'aria-valuetext')).toBe('100.0%');
    expect(over).toContain('style="width:100%"');
    expect(over).toContain('elapsed —');
    expect(over).toContain('left ≈ estimating…');
    const empty = line({ done: 0, total: 0, elapsedMs: 0, etaMs: 0, children: null });
    expect(attr(empty, 'aria-valuetext')).toBe('0.0%');
  });

  it('adds the panel class to the block, next to the shared "progress" class', () => {
    expect(attr(line({ done: 1, total: 2, elapsedMs: 0, etaMs: 0, className: 'sweep_x', children: null }), 'class')).toBe('progress sweep_x');
    expect(attr(line({ done: 1, total: 2, elapsedMs: 0, etaMs: 0, children: null }), 'class')).toBe('progress');
  });
});

describe('liveTiming', () => {
  const stored = { done: 3, total: 30 };

  it('runs the latest report on to now: elapsed grows and time left shrinks by the time since it arrived', () => {
    const report = { done: 5, total: 30, elapsedMs: 4_000, etaMs: 20_000, receivedAt: 100_000 };
    expect(liveTiming(report, stored, 90_000, 101_500)).toEqual({ done: 5, total: 30, elapsedMs: 5_500, etaMs: 18_500 });
    // Time left never goes below zero when the report is older than its estimate.
    expect(liveTiming(report, stored, 90_000, 150_000).etaMs).toBe(0);
    expect(liveTiming({ ...report, etaMs: null }, stored, 90_000, 101_500).etaMs).toBeNull();
  });

  it('before any report: the stored progress, elapsed since the start, time left unknown', () => {
    expect(liveTiming(undefined, stored, 90_000, 92_000)).toEqual({ done: 3, total: 30, elapsedMs: 2_000, etaMs: null });
    expect(liveTiming(undefined, stored, null, 92_000).elapsedMs).toBeNull();
  });
});
