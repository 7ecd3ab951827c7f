import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { HEDGE_MODELS, type HedgeConfig, MAX_PATHS, OPTION_TYPES, isTrainedModel } from '../../../src-shared/hedging/config';
import { WorkEstimate } from '../../components/WorkEstimate';
import { FormField } from '../../components/FormField';
import { CriteriaHelp } from './CriteriaHelp';
import { useCheckedForm } from '../../forms/useCheckedForm';
import { call } from '../../ipc/client';
import { queryKeys } from '../../app/queryKeys';
import { type SourceSets, type ValueSet, pickFields, switchSource } from '../../forms/sourceValues';
import { fmtBp, fmtInt, fmtPct, fmtPlain, fmtSig } from '../../app/format';
import {
  type FieldName,
  type FormValues,
  checkForm,
  fieldsFor,
  parseNumber,
  serverFieldErrors,
  valuesFromConfig,
} from './formModel';
import { MODEL_LABELS, OPTION_LABELS } from './labels';
import { type PathSetSummary } from '../../../src-shared/orderbook/contract';
import styles from './hedging.module.css';
import { describeEstimate, estimateHedging, hedgeSizeOf } from '../../../src-shared/limits/estimate';

interface Props {
  /** Called with the new run's id once `hedging-start` accepted it. */
  onStarted(runId: string): void;
  /** Called once `hedging-compare` started the four runs of a comparison. */
  onCompared?(groupId: string, runIds: string[]): void;
  /** When set (and its nonce changes), the form is refilled from this config. */
  prefill: { config: HedgeConfig; nonce: number } | null;
  connected: boolean;
}

interface NumericSpec {
  name: FieldName;
  label: string;
  unit: string;
  step?: string;
  hint(v: FormValues): string;
}

const NO_PATH_SETS: PathSetSummary[] = [];

/** The form's state: the fields' text and the data source ('' = GBM, else an order-book path set id). */
type HedgeFormState = FormValues & { source: string };

const num = (v: FormValues, f: FieldName): number | undefined => {
  const n = parseNumber(v[f]);
  return n !== undefined && Number.isFinite(n) ? n : undefined;
};

const NUMERIC: NumericSpec[] = [
  {
    name: 'strike',
    label: 'Strike K',
    unit: 'P₀',
    hint: (v) => {
      const k = num(v, 'strike');
      if (k === undefined) return 'fixed strike, P₀ = 1';
      return `K/P₀ = ${fmtPlain(k)} · ${k === 1 ? 'at the money' : k > 1 ? 'out of the money' : 'in the money'}`;
    },
  },
  {
    name: 'sigma',
    label: 'Volatility σ',
    unit: '/yr',
    hint: (v) => {
      const s = num(v, 'sigma');
      return s === undefined ? 'annualised, 0.1 = 10%/yr' : `${fmtPct(s)} per year (annualised)`;
    },
  },
  {
    name: 'drift',
    label: 'Drift μ',
    unit: '/yr',
    hint: (v) => {
      const m = num(v, 'drift');
      return m === undefined ? 'annualised, real-world' : `${fmtPct(m)} per year (real-world drift)`;
    },
  },
  {
    name: 'days',
    label: 'Maturity',
    unit: 'days',
    hint: (v) => {
      const d = num(v, 'days');
      return d === undefined ? 'calendar days, 365/yr' : `T = ${fmtSig(d / 365, 4)} yr (calendar days / 365)`;
    },
  },
  {
    name: 'steps',
    label: 'Rebalancing',
    unit: 'dates',
    hint: (v) => {
      const d = num(v, 'days');
      const n = num(v, 'steps');
      return d === undefined || n === undefined || n <= 0 ? 'equally spaced hedge dates' : `Δt = ${fmtSig(d / n, 4)} days between trades`;
    },
  },
  {
    name: 'cost',
    label: 'Cost rate c',
    unit: '/unit',
    hint: (v) => {
      const c = num(v, 'cost');
      return `${c === undefined ? '' : `${fmtBp(c)} of P traded; `}the opening trade is charged`;
    },
  },
  {
    name: 'paths',
    label: 'Paths',
    unit: 'paths',
    hint: (v) => {
      const p = num(v, 'paths');
      const n = num(v, 'steps');
      const test = isTrainedModel(v.model) ? 'test paths (fixed, seeded)' : 'Monte Carlo paths';
      return p === undefined || n === undefined || p <= 0 || n <= 0
        ? `${test}, ≤ ${fmtInt(MAX_PATHS)}`
        : `${isTrainedModel(v.model) ? 'test ' : ''}paths × steps = ${fmtInt(p * n)}`;
    },
  },
  { name: 'seed', label: 'Seed', unit: 'int', hint: () => 'same seed → same paths (replayable)' },
  {
    name: 'testSigma',
    label: 'Test σ (optional)',
    unit: '/yr',
    hint: (v) => {
      const s = num(v, 'testSigma');
      return s === undefined ? 'blank: test paths have σ; else an out-of-distribution test' : `test paths at ${fmtPct(s)}/yr; the hedger keeps σ`;
    },
  },
];

/** Training fields (DHMLP, DHNTB, DHLNN). */
const TRAINING: NumericSpec[] = [
  {
    name: 'epochs',
    label: 'Epochs',
    unit: 'epochs',
    hint: () => 'one Adam step per epoch on fresh paths',
  },
  {
    name: 'trainPaths',
    label: 'Paths per epoch',
    unit: 'paths',
    hint: (v) => {
      const p = num(v, 'trainPaths');
      const n = num(v, 'steps');
      return p === undefined || n === undefined ? 'fresh training paths each epoch' : `network rows per epoch = ${fmtInt(p * n)}`;
    },
  },
  { name: 'learningRate', label: 'Learning rate', unit: 'Adam', step: 'any', hint: () => 'Adam, betas (0.9, 0.999), eps 1e-8' },
  {
    name: 'monitorPaths',
    label: 'Live test paths',
    unit: 'paths',
    hint: () => 'first test paths hedged after every epoch (live histogram)',
  },
];

/** The parameter of each training criterion (src-shared/hedging/criteria.ts). */
const CRITERION_PARAMS: Record<string, NumericSpec> = {
  entropic: {
    name: 'riskAversion',
    label: 'Risk aversion a',
    unit: '1/P₀',
    step: 'any',
    hint: () => 'ρ = (1/a) log E exp(−a PnL); a = 1 (the source) is nearly the mean at PnL ~ 1e-2 — raise it to weigh the tail',
  },
  es: { name: 'esLevel', label: 'ES level α', unit: '', step: 'any', hint: (v) => `mean loss of the worst ${fmtPct(1 - (num(v, 'esLevel') ?? 0.9))} of paths` },
  'mean-variance': { name: 'mvLambda', label: 'Variance weight λ', unit: '1/P₀', step: 'any', hint: () => '−E[PnL] + (λ/2) Var(PnL)' },
};

const CRITERION_OPTIONS: Array<{ value: string; label: string }> = [
  { value: 'entropic', label: 'Entropic loss (the source’s)' },
  { value: 'es', label: 'Expected shortfall (ES)' },
  { value: 'mean-variance', label: 'Mean-variance' },
];

/** DHLNN's inner loop. */
const INNER: NumericSpec[] = [
  { name: 'innerSteps', label: 'Inner iterations', unit: 'per epoch', hint: () => 'N of the nested loop; 0 = plain DHNTB training' },
  { name: 'innerTol', label: 'Inner tolerance', unit: '‖Δw‖', hint: () => 'stop the inner loop when a step is shorter' },
];

/** The fields a data source fills; GBM and each order-book path set keep their own values of these. */
const SOURCE_FIELDS = ['sigma', 'days', 'steps', 'paths', 'testSigma'] as const satisfies readonly FieldName[];

/** A path set's own starting values: its steps, σ (train realised vol), T = steps × dt, and its test windows. */
const pathSetValues = (ps: PathSetSummary): ValueSet<FieldName> => ({
  steps: String(ps.steps),
  sigma: String(Number(ps.sigmaTrain.toPrecision(6))),
  days: String(ps.steps * ps.dtYears * 365),
  paths: String(ps.test),
  testSigma: '',
});

/**
 * The hedging-run form on the form kit (forms/useCheckedForm.ts): validated field by field as the user types
 * with the shared schema (checkForm), server errors shown in place; each data source keeps its own values of
 * the fields it fills (forms/sourceValues.ts). Adding a field: formModel.ts's lists and a NumericSpec here.
 */
export function HedgeForm({ onStarted, onCompared, prefill, connected }: Props) {
  const kit = useCheckedForm<HedgeFormState, HedgeConfig>({ defaults: { ...valuesFromConfig(), source: '' }, check: checkForm, split: serverFieldErrors, domain: 'hedging' });
  const { form, values, check, busy, formError, submit, clearErrors, set } = kit;
  /** Data source: '' = GBM, else the id of an order-book path set (usable ones, newest first). */
  const source = values.source;
  const setSource = (id: string): void => form.setValue('source', id);
  const sourceSets = useRef<SourceSets<FieldName>>({});
  const pathSets = useQuery({
    queryKey: queryKeys.pathSets,
    queryFn: () => call('orderbook-path-sets', {}),
    enabled: connected,
    select: (sets) => sets.filter((x) => Number.isFinite(x.sigmaTrain) && x.test >= 2 && x.train >= 1).sort((a, b) => b.createdAt - a.createdAt),
  }).data ?? NO_PATH_SETS;
  const pathSet = pathSets.find((x) => x.id === source) ?? null;
  /** Switch the data source: the fields it fills get that source's own values (stored, or its initial ones). */
  const chooseSource = (id: string): void => {
    const next = switchSource({
      sets: sourceSets.current,
      from: source,
      values: form.getValues(),
      to: id,
      fields: SOURCE_FIELDS,
      initial: (to) => {
        const ps = pathSets.find((x) => x.id === to);
        return ps ? pathSetValues(ps) : pickFields(valuesFromConfig(), SOURCE_FIELDS);
      },
    });
    sourceSets.current = next.sets;
    for (const f of SOURCE_FIELDS) form.setValue(f, next.values[f], { shouldDirty: true });
    setSource(id);
    clearErrors();
  };
  const request = (): HedgeConfig | null =>
    check.config && pathSet ? ({ ...check.config, data: { kind: 'paths', datasetId: pathSet.id } } as HedgeConfig) : check.config;
  /** Start even when the estimate is over the host's limits (power users; the server refuses otherwise). */
  const [allowLong, setAllowLong] = useState(false);
  const estimate = useMemo(() => (check.config ? estimateHedging(hedgeSizeOf(check.config)) : null), [check.config]);

  useEffect(() => {
    if (prefill) {
      const d = (prefill.config as { data?: { kind: string; datasetId?: string } }).data;
      form.reset({ ...valuesFromConfig(prefill.config), source: d?.kind === 'paths' && d.datasetId ? d.datasetId : '' });
      sourceSets.current = {};
      clearErrors();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refill only when a new prefill (nonce) arrives
  }, [prefill]);

  const start = async (): Promise<void> => {
    if (!check.config) return;
    await submit(async () => {
      const { runId } = await call('hedging-start', allowLong ? { ...request()!, allowLong: true } : request()!);
      onStarted(runId);
    });
  };

  const compare = async (): Promise<void> => {
    if (!check.config || !onCompared) return;
    await submit(async () => {
      const { groupId, runIds } = await call('hedging-compare', request()!);
      onCompared(groupId, runIds);
    });
  };

  const shown = new Set(fieldsFor(values.model, values.criterion));
  const errorOf = (f: FieldName): string | undefined => (f === 'model' || f === 'option' || f === 'label' || f === 'criterion' || shown.has(f as never) ? kit.errorOf(f) : undefined);
  const invalidCount = Object.keys(check.errors).length;
  const trained = isTrainedModel(values.model);
  const numericInput = (s: NumericSpec) => (
    <FormField key={s.name} prefix="" name={s.name} label={s.label} unit={s.unit} error={errorOf(s.name)} hint={s.hint(values)}>
      <input
        id={`field-${s.name}`}
        data-testid={`field-${s.name}`}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={values[s.name]}
        aria-invalid={errorOf(s.name) ? true : undefined}
        onChange={(e) => set(s.name, e.target.value)}
      />
    </FormField>
  );

  return (
    <form
      className="hedge-form"
      data-testid="hedge-form"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
      noValidate
    >
      <div className="panel-title">
        New hedging run
        <button
          type="button"
          className="link-button"
          title="Reset every field to the example run"
          onClick={() => {
            form.reset({ ...valuesFromConfig(), source: '' });
            sourceSets.current = {};
            clearErrors();
          }}
        >
          defaults
        </button>
      </div>

      <FormField prefix="" name="model" label="Model" error={errorOf('model')} hint="hedging strategy">
        <select
          id="field-model"
          data-testid="field-model"
          value={values.model}
          onChange={(e) => set('model', e.target.value)}
        >
          {HEDGE_MODELS.map((m) => (
            <option key={m} value={m}>
              {MODEL_LABELS[m]}
            </option>
          ))}
        </select>
      </FormField>

      <FormField prefix="" name="option" label="Option" error={errorOf('option')} hint="short one call, hedged in the underlying">
        <select
          id="field-option"
          data-testid="field-option"
          value={values.option}
          onChange={(e) => set('option', e.target.value)}
        >
          {OPTION_TYPES.map((o) => (
            <option key={o} value={o}>
              {OPTION_LABELS[o]}
            </option>
          ))}
        </select>
      </FormField>

      {pathSets.length > 0 && (
        <div className="field">
          <label htmlFor="field-data">Data</label>
          <div className="field-input">
            <select id="field-data" data-testid="field-data" value={pathSet ? pathSet.id : ''} onChange={(e) => chooseSource(e.target.value)}>
              <option value="">GBM (σ and drift below)</option>
              {pathSets.map((x) => (
                <option key={x.id} value={x.id}>
                  Order-book path set: {x.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field-hint" data-testid="field-data-info">
            {pathSet
              ? `${pathSet.steps} steps of ${fmtSig(pathSet.intervalSeconds, 3)} s · σ = ${fmtSig(pathSet.sigmaTrain, 4)} /yr (train realised vol) · ${fmtInt(pathSet.train)} train windows (sampled with replacement, trainPaths per epoch) · all ${fmtInt(pathSet.test)} test windows; steps, σ, days and paths come from the set`
              : 'simulated geometric Brownian paths; or train and test on a stored order-book path set'}
          </div>
        </div>
      )}

      {NUMERIC.map(numericInput)}

      {trained && (
        <fieldset className={styles.fieldset} data-testid="training-fields">
          <legend>Training · 4 × 64 ReLU network</legend>
          <FormField
            prefix=""
            name="criterion"
            label="Criterion"
            error={errorOf('criterion')}
            hint="what the network minimises, and what rankings of this run use"
          >
            <select id="field-criterion" data-testid="field-criterion" value={values.criterion} onChange={(e) => set('criterion', e.target.value)}>
              {CRITERION_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </FormField>
          {CRITERION_PARAMS[values.criterion] && numericInput(CRITERION_PARAMS[values.criterion])}
          <CriteriaHelp />
          {TRAINING.map(numericInput)}
          {values.model === 'dhlnn' && INNER.map(numericInput)}
        </fieldset>
      )}

      <FormField prefix="" name="label" label="Label" error={errorOf('label')} hint="optional, shown in the runs list">
        <input
          id="field-label"
          data-testid="field-label"
          type="text"
          autoComplete="off"
          maxLength={200}
          placeholder="e.g. ATM 30d base case"
          value={values.label}
          aria-invalid={errorOf('label') ? true : undefined}
          onChange={(e) => set('label', e.target.value)}
        />
      </FormField>

      {estimate && <WorkEstimate text={describeEstimate(estimate)} allowLong={allowLong} onAllowLong={setAllowLong} />}
      <div className="form-actions">
        <button
          type="submit"
          className="primary"
          data-testid="start-button"
          disabled={!check.config || busy || !connected}
          title={
            !connected
              ? 'Not connected to the host'
              : invalidCount > 0
                ? `Fix ${invalidCount} field${invalidCount > 1 ? 's' : ''} first`
                : 'Start the run'
          }
        >
          {busy ? 'Starting…' : trained ? 'Start training' : 'Start run'}
        </button>
        {onCompared && (
          <button
            type="button"
            className="small"
            data-testid="compare-models-button"
            disabled={!check.config || busy || !connected}
            title="Run BSDH, DHMLP, DHNTB and DHLNN with these settings on the same test paths, shown together"
            onClick={() => void compare()}
          >
            All four models
          </button>
        )}
        {invalidCount > 0 && (
          <span className="form-invalid" data-testid="form-invalid">
            {invalidCount} invalid field{invalidCount > 1 ? 's' : ''}
          </span>
        )}
      </div>
      {formError && (
        <div className="form-error" role="alert" data-testid="form-error">
          {formError}
        </div>
      )}
    </form>
  );
}
