import { VisualMapContinuousComponent, VisualMapPiecewiseComponent } from 'echarts/components';
import { echarts } from '../../components/echarts';

/**
 * The extra ECharts parts the QLBS screens use (the numbered colour scale of the Q(S, a) heat map), registered on top of
 * the shared set in components/echarts.ts; `echarts.use` is idempotent.
 */
echarts.use([VisualMapContinuousComponent, VisualMapPiecewiseComponent]);

export { echarts };
