import * as echarts from 'echarts/core';
import { CustomChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

/** ECharts with only the parts the screens use (keeps the bundle small). */
echarts.use([
  CustomChart,
  LineChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  ToolboxComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export { echarts };
export type { EChartsCoreOption } from 'echarts/core';

/** One colour per series, distinguishable on white and for common colour-vision deficiencies. */
export const SERIES_COLORS = [
  '#1f5fbf',
  '#d9480f',
  '#2b8a3e',
  '#862e9c',
  '#c92a2a',
  '#0b7285',
  '#e67700',
  '#5c5f66',
  '#364fc7',
  '#a61e4d',
  '#087f5b',
  '#6741d9',
];
