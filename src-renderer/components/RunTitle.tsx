import { type ReactNode } from 'react';
import { type RunStatus } from '../../src-shared/api/runs';
import { StatusBadge } from './StatusBadge';

/**
 * The title row of a run panel: status badge, the run's name (with its test id), the run id, then the panel's
 * own actions (tabs, "Load into form", …) pushed to the right.
 */
export function RunTitle({ status, title, titleTestId, runId, children }: { status: RunStatus; title: ReactNode; titleTestId: string; runId: string; children?: ReactNode }) {
  return (
    <div className="run-title">
      <StatusBadge status={status} />
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
