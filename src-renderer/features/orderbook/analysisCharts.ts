import { type ProfileData, type SignatureData, type TimeUnits } from '../../../src-shared/orderbook/contract';
import { hhmm } from '../../../src-shared/orderbook/wapExport';
import { fmtTick } from '../../components/axisTicks';
import { type EChartsCoreOption } from '../../components/echarts';

/** Chart options of the order-book analyses (signature plot, intraday profiles): pure functions of the data. */

const BLUE = '#1f5fbf';
const ORANGE = '#d9480f';
const GREEN = '#2b8a3e';
const sig = (v: number | null | undefined, d = 4): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v.toPrecision(d)).toString());

export { tradingYearText } from '../../../src-shared/orderbook/timeUnitsText';

/** What the session clock reads: seconds in the bucket, or a time of day (UTC). */
export function clockAxisName(u: TimeUnits): string {
  if (u.clock === 'bucket') return 'seconds in bucket';
  return u.sessionStartSeconds === null ? 'time of day (UTC)' : `time after the session start (${hhmm(u.sessionStartSeconds)} UTC)`;
}

/** A session-clock time as an axis label: `120 s` on the bucket clock, `14:30` (UTC) or `+01:30` on the day clock. */
export function clockLabel(s: number, u: TimeUnits): string {
  if (u.clock === 'bucket') return `${Number(s.toPrecision(6))} s`;
  if (u.sessionStartSeconds === null) return hhmm(((s % 86_400) + 86_400) % 86_400);
  return `${s < 0 ? '−' : '+'}${hhmm(Math.abs(s))}`;
}

/**
 * Signature plot: the mean over sessions of the annualised realised variance (per year of trading time) at
 * each sampling interval, on a log interval axis, with bars of ±1 standard error across sessions.
 */
export function signatureOption(d: SignatureData): EChartsCoreOption {
  const pts = d.points.filter((p) => p.annualVariance !== null);
  const bars = pts.map((p) => [p.intervalSeconds, p.annualVariance! - (p.annualVarianceSe ?? 0), p.annualVariance! + (p.annualVarianceSe ?? 0)]);
  return {
    animation: false,
    grid: { left: 72, right: 18, top: 28, bottom: 44 },
    legend: { top: 2, data: ['realised variance', '±1 standard error'] },
    tooltip: {
      trigger: 'axis',
      formatter: (params: Array<{ dataIndex: number; seriesIndex: number }>) => {
        const p = pts[params[0]?.dataIndex ?? 0];
        if (!p) return '';
        return [
          `<b>every ${p.intervalSeconds} s</b>`,
          `realised variance ${sig(p.annualVariance)} per trading year ± ${sig(p.annualVarianceSe)}`,
          `(volatility ${p.annualVariance! >= 0 ? (Math.sqrt(p.annualVariance!) * 100).toFixed(1) : '—'}% per trading year)`,
          `per session ${sig(p.rvMean)} ± ${sig(p.rvSe)}`,
          `${p.sessions} sessions, ${p.returns} returns`,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'log',
      logBase: 10,
      min: 0.8,
      max: 800,
      name: 'sampling interval (s, log scale)',
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { formatter: (v: number) => `${v}`, showMinLabel: false, showMaxLabel: false },
    },
    yAxis: {
      type: 'value',
      scale: true,
      name: 'realised variance per trading year',
      nameLocation: 'middle',
      nameGap: 58,
      axisLabel: { formatter: fmtTick },
    },
    series: [
      {
        name: 'realised variance',
        type: 'line',
        data: pts.map((p) => [p.intervalSeconds, p.annualVariance]),
        symbolSize: 6,
        lineStyle: { width: 1.5, color: BLUE },
        itemStyle: { color: BLUE },
        z: 3,
      },
      {
        name: '±1 standard error',
        type: 'custom',
        data: bars,
        silent: true,
        itemStyle: { color: BLUE },
        encode: { x: 0, y: [1, 2] },
        renderItem: (params: unknown, api: { value(i: number): number; coord(v: number[]): number[] }) => {
          const x = api.value(0);
          const lo = api.coord([x, api.value(1)]);
          const hi = api.coord([x, api.value(2)]);
          const w = 4;
          const style = { stroke: BLUE, lineWidth: 1.2 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
              { type: 'line', shape: { x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1] }, style },
              { type: 'line', shape: { x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1] }, style },
            ],
          };
        },
      },
    ],
  };
}

/**
 * Intraday profiles in three stacked panels on one session-clock axis: mean level-1 spread (bp), mean displayed
 * depth (shares) and realised volatility (% per year of trading time), per bin.
 */
export function profileOption(p: ProfileData): EChartsCoreOption {
  const labels = p.binStart.map((s) => clockLabel(s, p.timeUnits));
  const grids = [
    { left: 64, right: 18, top: 26, height: '22%' },
    { left: 64, right: 18, top: '39%', height: '22%' },
    { left: 64, right: 18, top: '69%', height: '22%' },
  ];
  const axis = (i: number) => ({
    type: 'category',
    gridIndex: i,
    data: labels,
    axisLabel: { show: i === 2, hideOverlap: true },
    ...(i === 2 ? { name: `${clockAxisName(p.timeUnits)}, bins of ${p.binSeconds} s`, nameLocation: 'middle', nameGap: 24 } : {}),
  });
  const y = (i: number, name: string) => ({ type: 'value', gridIndex: i, scale: true, name, nameTextStyle: { align: 'left' }, axisLabel: { formatter: fmtTick } });
  return {
    animation: false,
    grid: grids,
    tooltip: {
      trigger: 'axis',
      formatter: (params: Array<{ dataIndex: number }>) => {
        const i = params[0]?.dataIndex ?? 0;
        return [
          `<b>${labels[i]}</b> (${p.rows[i]} rows, ${p.returns[i]} returns)`,
          `spread ${sig(p.spreadBp[i])} bp`,
          `depth ${sig(p.depth[i])} shares`,
          `realised vol. ${p.rvAnnual[i] === null ? '—' : `${(p.rvAnnual[i]! * 100).toFixed(1)}%`} per trading year`,
        ].join('<br/>');
      },
    },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    xAxis: [axis(0), axis(1), axis(2)],
    yAxis: [y(0, 'spread (bp of mid)'), y(1, 'depth (shares)'), y(2, 'realised vol. (% / trading yr)')],
    series: [
      { name: 'spread', type: 'bar', xAxisIndex: 0, yAxisIndex: 0, data: p.spreadBp, barCategoryGap: '12%', itemStyle: { color: ORANGE } },
      { name: 'depth', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: p.depth, barCategoryGap: '12%', itemStyle: { color: GREEN } },
      { name: 'realised volatility', type: 'bar', xAxisIndex: 2, yAxisIndex: 2, data: p.rvAnnual.map((v) => (v === null ? null : v * 100)), barCategoryGap: '12%', itemStyle: { color: BLUE } },
    ],
  };
}
