import { type ReactNode } from 'react';
import { type RunStatus } from '../../src-shared/api/runs';
import { StatusBadge } from './StatusBadge';
import { ClusterBadge } from './ClusterBadge';

/**
 * The title row of a run panel: status badge (and "cluster" for a run computed on the cluster), the run's name (with its test id), the run id, then the panel's
 * own actions (tabs, "Load into form", …) pushed to the right.
 */
export function RunTitle({
  status,
  compute,
  title,
  titleTestId,
  runId,
  children,
}: {
  status: RunStatus;
  /** The run's compute ('local' | 'cluster'). */
  compute?: string;
  title: ReactNode;
  titleTestId: string;
  runId: string;
  children?: ReactNode;
}) {
  return (
    <div className="run-title">
      <StatusBadge status={status} />
      <ClusterBadge compute={compute} />
      <span className="run-name" data-testid={titleTestId}>
        {title}
      </span>
      <span className="run-id" title="run id">
        {runId}
      </span>
      <span className="spacer" />
      {children}
    </div>
  );
}
