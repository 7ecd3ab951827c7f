import { type FieldError } from '../../../src-shared/api/errors';
import { redisUrlProblem, type ClusterInfo } from '../../../src-shared/cluster/contract';
import { FormField } from '../../components/FormField';
import { Modal } from '../../components/Modal';
import { type FormCheck, useCheckedForm } from '../../forms/useCheckedForm';
import { call } from '../../ipc/client';
import styles from './cluster.module.css';

interface Values {
  redisUrl: string;
  password: string;
  insecure: boolean;
}
type FieldName = 'redisUrl' | 'password';
interface Request {
  redisUrl: string;
  password?: string;
  insecure: boolean;
  compute: 'cluster';
}

/** The form's own check, with the handler's URL rule (src-shared/cluster/contract.ts). */
export function checkClusterForm(v: Values): FormCheck<Values, Request> {
  const problem = redisUrlProblem(v.redisUrl);
  if (problem) return { config: null, errors: { redisUrl: `redisUrl ${problem}` } };
  return { config: { redisUrl: v.redisUrl.trim(), ...(v.password ? { password: v.password } : {}), insecure: v.insecure, compute: 'cluster' }, errors: {} };
}

const split = (fields: FieldError[] | undefined): { byField: Partial<Record<FieldName, string>>; other: string[] } => {
  const byField: Partial<Record<FieldName, string>> = {};
  const other: string[] = [];
  for (const f of fields ?? []) {
    if (f.field === 'redisUrl' || f.field === 'password') byField[f.field] = f.message;
    else other.push(`${f.label ?? f.field}: ${f.message}`);
  }
  return { byField, other };
};

interface Props {
  info: ClusterInfo | null;
  onClose(): void;
}

/**
 * Where the cluster's Redis is: URL (rediss:// for TLS), password (masked; a saved one is kept when left empty for the
 * same user@host:port), and "allow no password" with its warning. Connect calls 'cluster-configure'; a refused
 * connection (wrong password, unreachable, no password without the box) shows under the URL and nothing is saved.
 */
export function ClusterDialog({ info, onClose }: Props) {
  const kit = useCheckedForm<Values, Request>({
    defaults: { redisUrl: info?.where ?? '', password: '', insecure: info?.insecure ?? false },
    check: checkClusterForm,
    split,
    domain: 'cluster',
  });
  const { values, check, set, errorOf, busy, formError, submit } = kit;
  const connect = (): Promise<void> =>
    submit(async () => {
      if (!check.config) return;
      await call('cluster-configure', check.config);
      onClose();
    });
  const urlError = errorOf('redisUrl');
  // Field errors already sit at their fields; the form error repeats only what no field shows.
  const otherError = formError && !urlError && !errorOf('password') ? formError : null;

  return (
    <Modal
      title="Compute on a cluster"
      testId="cluster-dialog"
      onDismiss={onClose}
      canDismiss={!busy}
      width={480}
      onSubmit={() => void connect()}
      actions={
        <>
          <button type="button" onClick={onClose} disabled={busy} data-testid="cluster-cancel">
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !check.config} data-testid="cluster-connect">
            {busy ? 'Connecting…' : 'Connect'}
          </button>
        </>
      }
    >
      <p className={styles.intro}>
        Jobs go to workers on a Redis server (start them with <code>npm run worker -- --redis URL</code>); progress and
        results come back into this machine&apos;s store. Jobs that need local files run here anyway.
      </p>
      {info?.error && (
        <div className={styles.warning} data-testid="cluster-last-error">
          {info.error}
        </div>
      )}
      <FormField
        name="redisUrl"
        prefix="cluster-"
        label="Redis URL"
        error={urlError}
        hint={<>redis://user@host:6379 — rediss:// for TLS{info?.fromEnv ? ' (from HEDGE_CLUSTER_REDIS)' : ''}</>}
      >
        <input
          id="cluster-field-redisUrl"
          className={styles.textInput}
          data-testid="cluster-field-redisUrl"
          value={values.redisUrl}
          placeholder="redis://user@host:6379"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={urlError ? true : undefined}
          onChange={(e) => set('redisUrl', e.target.value)}
        />
      </FormField>
      <FormField
        name="password"
        prefix="cluster-"
        label="Password"
        error={errorOf('password')}
        hint={info?.hasPassword ? 'a password is saved: leave empty to keep it' : 'the Redis ACL user\u2019s password; saved in cluster.json (mode 0600)'}
      >
        <input
          id="cluster-field-password"
          className={styles.textInput}
          data-testid="cluster-field-password"
          type="password"
          value={values.password}
          placeholder={info?.hasPassword ? '••••••••' : ''}
          autoComplete="new-password"
          onChange={(e) => set('password', e.target.value)}
        />
      </FormField>
      <label className={styles.check}>
        <input type="checkbox" data-testid="cluster-field-insecure" checked={values.insecure} onChange={(e) => set('insecure', e.target.checked)} /> allow a Redis
        without a password
      </label>
      {values.insecure && (
        <div className={styles.warning} data-testid="cluster-insecure-warning">
          Insecure: anyone who can reach that Redis can read your job settings and results and give your workers
          jobs. Use it only on a private network you trust.
        </div>
      )}
      {otherError && (
        <div className="field-error" role="alert" data-testid="cluster-form-error">
          {otherError}
        </div>
      )}
    </Modal>
  );
}
