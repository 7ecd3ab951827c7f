import { BarChart } from 'echarts/charts';
import { echarts } from '../../components/echarts';

/**
 * The extra ECharts part the Order books screens use (bars of the realised-volatility histogram), registered
 * on top of the shared set in components/echarts.ts; `echarts.use` is idempotent.
 */
echarts.use([BarChart]);

export { echarts };
