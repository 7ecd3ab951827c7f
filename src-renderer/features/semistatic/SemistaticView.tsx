import { useEffect, useMemo, useRef, useState } from 'react';
import { type SemistaticLimitCurves, type SemistaticSolution } from '../../../src-shared/semistatic/contract';
import { type ViewProps } from '../../app/views';
import { appErrorOf, call } from '../../ipc/client';
import { type FieldErrors, type FormValues, checkParams, defaultValues, serverFieldErrors } from './formModel';
import { LimitPanel } from './LimitPanel';
import { McPanel } from './McPanel';
import { SemistaticForm } from './SemistaticForm';
import { SolutionPanel } from './SolutionPanel';
import styles from './semistatic.module.css';

const DEBOUNCE_MS = 180;

/**
 * Delayed semistatic hedging (tab "Semistatic"): the inputs on the left; on the right the closed-form
 * strategy and value (recomputed as you type), the continuous-time limit, and the Monte Carlo check.
 */
export function SemistaticView({ connection }: ViewProps) {
  const [values, setValues] = useState<FormValues>(defaultValues);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [solution, setSolution] = useState<SemistaticSolution | null>(null);
  const [solveState, setSolveState] = useState<{ kind: 'ok' | 'loading' | 'invalid' | 'error'; message?: string }>({ kind: 'loading' });
  const [curves, setCurves] = useState<SemistaticLimitCurves | null>(null);
  const [limitMessage, setLimitMessage] = useState<string | null>(null);
  const check = useMemo(() => checkParams(values), [values]);
  const seq = useRef(0);

  const onChange = (v: FormValues): void => {
    setValues(v);
    setServerErrors({});
  };

  const requestKey = check.request ? JSON.stringify(check.request) : null;
  useEffect(() => {
    if (!check.request) {
      setSolveState({ kind: 'invalid' });
      return;
    }
    if (connection.opens === 0) return;
    const req = check.request;
    const my = ++seq.current;
    setSolveState({ kind: 'loading' });
    const timer = setTimeout(() => {
      call('semistatic-solve', req)
        .then((sol) => {
          if (my !== seq.current) return;
          setSolution(sol);
          setSolveState({ kind: 'ok' });
          if (sol.params.D === 0) {
            setCurves(null);
            setLimitMessage('No delay (D = 0): with a variance mismatch and no delay the continuous-time limit is an arbitrage (infinite value). Set a delay D ≥ 1.');
            return;
          }
          call('semistatic-limit', { delayFraction: sol.params.delayFraction, ratio2: sol.params.ratio2 })
            .then((c) => {
              if (my !== seq.current) return;
              setCurves(c);
              setLimitMessage(null);
            })
            .catch((e) => my === seq.current && setLimitMessage(appErrorOf(e).message));
        })
        .catch((e) => {
          if (my !== seq.current) return;
          const err = appErrorOf(e);
          setServerErrors(serverFieldErrors(err.fields).byField);
          setSolveState({ kind: 'error', message: err.message });
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // requestKey stands for check.request (a new object on every render).
  }, [requestKey, connection.opens]);

  const errors: FieldErrors = { ...serverErrors, ...check.errors };
  return (
    <main className="app-main" data-testid="ss-view">
      <aside className="left-panel">
        <SemistaticForm values={values} onChange={onChange} errors={errors} />
      </aside>
      <div className={styles.right}>
        <SolutionPanel solution={solution} status={solveState} />
        <LimitPanel curves={curves} message={limitMessage} stale={solveState.kind === 'invalid' || solveState.kind === 'error'} />
        <McPanel
          values={values}
          onChange={onChange}
          connected={connection.status === 'open'}
          connectionOpens={connection.opens}
          onServerErrors={setServerErrors}
        />
      </div>
    </main>
  );
}
