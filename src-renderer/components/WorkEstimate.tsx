import styles from './WorkEstimate.module.css';

/**
 * "Estimate: …" of a job's work, time and disk before it starts (src-shared/limits/estimate.ts), with the
 * explicit override for work over the host's limits. One component for every form that starts heavy work.
 */
export function WorkEstimate({ text, allowLong, onAllowLong }: { text: string; allowLong: boolean; onAllowLong(v: boolean): void }) {
  return (
    <div className={styles.estimate} data-testid="work-estimate" title="From rates measured on a 2-core machine; expect up to about 2x either way">
      Estimate: {text}{' '}
      <label className={styles.override}>
        <input type="checkbox" data-testid="allow-long" checked={allowLong} onChange={(e) => onAllowLong(e.target.checked)} /> start even if over the limits
      </label>
    </div>
  );
}
