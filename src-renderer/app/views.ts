import { type ComponentType } from 'react';
import { type ConnectionState } from '../ipc/client';
import { HedgingView } from '../features/hedging/HedgingView';
import { SemistaticView } from '../features/semistatic/SemistaticView';
import { QlbsView } from '../features/qlbs/QlbsView';
import { OrderbookView } from '../features/orderbook/OrderbookView';
import { PortfolioView } from '../features/portfolio/PortfolioView';
import { ExperimentsView } from '../features/hedging/ExperimentsView';
import { RebalanceView } from '../features/rebalance/RebalanceView';

/** What every top-level view gets from the shell. */
export interface ViewProps {
  connection: ConnectionState;
}

export interface ViewDef {
  /** Stable id: the tab's data-testid is `nav-<id>`, the address hash `#<id>`. */
  id: string;
  title: string;
  component: ComponentType<ViewProps>;
}

/** The workstation's views, in tab order. A domain adds its view here (one line). */
export const VIEWS: ViewDef[] = [
  { id: 'hedging', title: 'Hedging runs', component: HedgingView },
  { id: 'experiments', title: 'Deep hedging experiments', component: ExperimentsView },
  { id: 'semistatic', title: 'Semistatic', component: SemistaticView },
  { id: 'qlbs', title: 'QLBS', component: QlbsView },
  { id: 'orderbook', title: 'Order books', component: OrderbookView },
  { id: 'portfolio', title: 'Portfolio', component: PortfolioView },
  { id: 'rebalance', title: 'Rebalancing', component: RebalanceView },
];
