import { useEffect, useRef } from 'react';
import { type EChartsCoreOption, echarts } from './echarts';

interface Props {
  option: EChartsCoreOption;
  testId?: string;
  className?: string;
  /** Accessible description of what the chart shows. */
  ariaLabel?: string;
  /** Number of data series drawn, exposed as data-series-count (tests and assistive tools read it). */
  seriesCount?: number;
}

/**
 * An ECharts canvas that follows its container's size (ResizeObserver, so window resizes and panel layout
 * changes both redraw it) and is disposed on unmount. Each new `option` replaces the previous one.
 */
export function EChart({ option, testId, className, ariaLabel, seriesCount }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = hostRef.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (!chart.isDisposed()) chart.resize();
      });
    });
    ro.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={hostRef}
      className={`echart ${className ?? ''}`}
      data-testid={testId}
      role="img"
      aria-label={ariaLabel}
      data-series-count={seriesCount}
    />
  );
}
