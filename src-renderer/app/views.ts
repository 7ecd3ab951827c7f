import { type ComponentType } from 'react';
import { type ConnectionState } from '../ipc/client';
import { HedgingView } from '../features/hedging/HedgingView';

/** What every top-level view gets from the shell. */
export interface ViewProps {
  connection: ConnectionState;
  /** Report how many runs the view lists and how many are in progress (shown in the status bar). */
  onCounts?: (c: { runs: number; active: number }) => void;
}

export interface ViewDef {
  /** Stable id: the tab's data-testid is `nav-<id>`, the address hash `#<id>`. */
  id: string;
  title: string;
  component: ComponentType<ViewProps>;
}

/** The workstation's views, in tab order. A domain adds its view here (one line). */
export const VIEWS: ViewDef[] = [{ id: 'hedging', title: 'Hedging runs', component: HedgingView }];
