import { randomUUID } from 'node:crypto';
import { appError } from '../../../src-shared/api/errors';
import { type AnyRun } from '../../../src-shared/api/runs';
import {
  type HedgeConfig,
  type HedgeMetrics,
  type HedgeRunConfig,
  hedgeConfigSchema,
  isTrainedModel,
  TRAIN_DEFAULTS,
} from '../../../src-shared/hedging/config';
import { type ExperimentDetail, type ExperimentSummary } from '../../../src-shared/hedging/contract';
import { type Criterion, criterionLabel, criterionOf, resolvedCriterionFields } from '../../../src-shared/hedging/criteria';
import { measureOf, metricsDoNotHedge } from '../../../src-shared/hedging/ranking';
import {
  type CellEntry,
  type CellItem,
  E4_NEEDS_PATH_SET,
  EXPERIMENTS,
  type ExperimentRequest,
  claimVerdict,
  planExperiment,
  rankCell,
} from '../../../src-shared/hedging/experiments';
import { fieldErrors, fieldSummary } from '../../host/dispatch';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { type Emit, type JobManager } from '../../jobs/manager';
import { type ReadPool } from '../../reads/pool';
import { type Db } from '../../store/db';
import { groupQueries, hedgingQueries } from '../../store/queries/hedging';
import { orderbookQueries } from '../../store/queries/orderbook';
import { type RunQueries } from '../../store/queries/runs';
import { estimateHedging, hedgeSizeOf } from '../../../src-shared/limits/estimate';
import { type WorkGuard } from '../../limits/guard';

const SHORT: Record<string, string> = { bsdh: 'BSDH', mlp: 'DHMLP', ntb: 'DHNTB', dhlnn: 'DHLNN' };

/** A readable default label: `BSDH european K=1 σ=0.1 c=0.002 30d/30 steps` (+ epochs for trained models). */
export function defaultLabel(c: HedgeConfig): string {
  const base = `${SHORT[c.model] ?? c.model} ${c.option} K=${c.strike} σ=${c.sigma} c=${c.cost} ${c.days}d/${c.steps} steps`;
  const test = c.testSigma !== undefined && c.testSigma !== c.sigma ? ` test σ=${c.testSigma}` : '';
  return c.model === 'bsdh' ? `${base}${test}` : `${base} ${c.epochs} ep${test}`;
}

/** Units of progress of a hedging run: paths for BSDH and evaluations, epochs + 1 for training. */
const totalOf = (c: HedgeRunConfig): number => (c.model === 'bsdh' || c.evaluation ? c.paths : c.epochs + 1);

const EXPERIMENT_KIND = 'hedge-experiment';
const COMPARISON_KIND = 'hedge-comparison';

type HedgingHandlers = Pick<
  HandlerTable,
  | 'hedging-start'
  | 'hedging-compare'
  | 'hedging-history'
  | 'hedging-resume'
  | 'hedging-checkpoints'
  | 'hedging-evaluate'
  | 'hedging-experiment'
  | 'hedging-experiments'
  | 'hedging-experiment-get'
  | 'hedging-experiment-cancel'
  | 'hedging-experiment-rerun'
  | 'hedging-distribution'
>;

/** What a run on an order-book path set takes from the set (see `onPathSet`). */
export interface PathSetFacts {
  id: string;
  label: string;
  steps: number;
  dtYears: number;
  sigmaTrain: number;
  train: number;
  test: number;
}

/**
 * A config moved onto a path set: steps = the set's steps, sigma (features and BS delta) = its sigmaTrain,
 * days = steps x dtYears x 365 (so T = steps x dtYears), paths = its test window count (every test window is
 * hedged); a test sigma does not apply (the test paths are the data). Validated again by the config schema.
 */
export function onPathSet<C extends Record<string, unknown>>(config: C, set: PathSetFacts): C {
  const { testSigma: _t, ...rest } = config as C & { testSigma?: number };
  return {
    ...rest,
    steps: set.steps,
    sigma: Number(set.sigmaTrain.toPrecision(6)),
    days: set.steps * set.dtYears * 365,
    paths: set.test,
    data: { kind: 'paths', datasetId: set.id },
  } as unknown as C;
}

/** Bad config after moving onto a path set: a validation error naming the field and the set. */
function invalidOnSet(issues: Parameters<typeof fieldErrors>[0], candidate: unknown, set: PathSetFacts) {
  const fields = fieldErrors(issues, candidate, { domain: 'hedging' });
  return appError(
    'validation',
    'INVALID_INPUT',
    `this run does not fit path set "${set.label}" (${set.steps} steps, ${set.train} train / ${set.test} test windows) — ${fieldSummary(fields, false)}`,
    fields,
  );
}

/** The source config of a run without the bookkeeping of resumes and evaluations. */
function trainingConfigOf(run: AnyRun): HedgeRunConfig {
  const { resume: _r, evaluation: _e, ...rest } = run.config as HedgeRunConfig;
  return rest as HedgeRunConfig;
}

/**
 * Hedging handlers: start a run (any model), resume a training run from its last checkpoint, evaluate a
 * trained run on other data, run experiment presets and read their results. Long work goes to the job
 * manager (one run per job); handlers return at once.
 */
export function hedgingHandlers(deps: { db: Db; runs: RunQueries; jobs: JobManager; emit?: Emit; guard?: WorkGuard; reads: ReadPool }): HedgingHandlers {
  const { db, runs, jobs } = deps;
  const checkpoints = hedgingQueries(db);
  const groups = groupQueries(db);
  const books = orderbookQueries(db);

  /** The path set of `data`, or a validation error on `field` that says what exists. */
  const pathSet = (datasetId: string, field: string): PathSetFacts => {
    const ps = books.getPathSet(datasetId);
    if (!ps || !Number.isFinite(ps.sigmaTrain) || ps.test < 2 || ps.train < 1) {
      const msg = ps
        ? `path set "${ps.label}" has ${ps.train} train and ${ps.test} test windows (need >= 1 and >= 2, and a training volatility); build a larger one in the Order book view`
        : `path set ${datasetId} does not exist (was it deleted?); pick one from 'orderbook-path-sets' or build one in the Order book view`;
      throw appError('validation', ps ? 'PATH_SET_TOO_SMALL' : 'PATH_SET_NOT_FOUND', msg, [{ field, message: msg, value: datasetId }]);
    }
    return { id: ps.id, label: ps.label, steps: ps.steps, dtYears: ps.dtYears, sigmaTrain: ps.sigmaTrain, train: ps.train, test: ps.test };
  };
  /** A start config with `data: paths` moved onto its set and validated. */
  const resolveData = (config: HedgeConfig): HedgeConfig => {
    const data = (config as { data?: { kind: string; datasetId?: string } }).data;
    if (!data || data.kind !== 'paths' || !data.datasetId) return config;
    const set = pathSet(data.datasetId, 'data.datasetId');
    const candidate = onPathSet(config as unknown as Record<string, unknown>, set);
    const parsed = hedgeConfigSchema.safeParse(candidate);
    if (!parsed.success) throw invalidOnSet(parsed.error.issues, candidate, set);
    return parsed.data;
  };

  const mustGet = (runId: string): AnyRun => {
    const r = runs.get(runId);
    if (!r) throw appError('not-found', 'RUN_NOT_FOUND', `run ${runId} does not exist (was it deleted?)`);
    return r;
  };
  const mustBeTrained = (r: AnyRun): void => {
    if (r.kind !== 'hedge' || !isTrainedModel(r.model)) {
      throw appError('conflict', 'NOT_A_TRAINED_RUN', `run ${r.label || r.id} is a ${r.model.toUpperCase()} run; only DHMLP, DHNTB and DHLNN runs have weights`);
    }
  };
  const submit = (config: HedgeRunConfig, label: string, groupId: string | null = null): string =>
    jobs.submit({ kind: 'hedge', config }, { model: config.model, label, total: totalOf(config), groupId });

  const resumeInfo = (r: AnyRun) => {
    const epochs = checkpoints.checkpointEpochs(r.id);
    const latest = epochs.length ? epochs[epochs.length - 1] : null;
    const cfg = r.config as HedgeRunConfig;
    let reason: string | null = null;
    if (r.kind !== 'hedge') reason = 'not a hedging run';
    else if (cfg.evaluation) reason = 'an evaluation run does not train; start the evaluation again instead';
    else if (r.status === 'done') reason = 'the run finished';
    else if (r.status === 'queued' || r.status === 'running') reason = 'the run is still in progress';
    return { runId: r.id, epochs, latest, resumable: reason === null, reason };
  };

  return {
    'hedging-start': ({ allowLong, ...input }) => {
      // the criterion is stored with every run, defaults filled in (entropic a = 1 unless asked otherwise)
      const config = { ...resolveData(input as HedgeConfig), ...resolvedCriterionFields(input) } as HedgeConfig;
      deps.guard?.check(estimateHedging(hedgeSizeOf(config)), allowLong);
      const label = config.label?.trim() || defaultLabel(config);
      return { runId: submit(config, label) };
    },

    'hedging-compare': (input) => {
      const config = resolveData(input);
      const data = (config as { data?: { kind: 'gbm' } | { kind: 'paths'; datasetId: string } }).data;
      const label = config.label;
      const common = {
        option: config.option,
        strike: config.strike,
        sigma: config.sigma,
        drift: config.drift,
        days: config.days,
        steps: config.steps,
        cost: config.cost,
        paths: config.paths,
        seed: config.seed,
        ...resolvedCriterionFields(config),
        ...(config.testSigma !== undefined ? { testSigma: config.testSigma } : {}),
        ...(data ? { data } : {}),
      };
      const t = config.model === 'bsdh' ? null : config;
      const training = {
        epochs: t?.epochs ?? TRAIN_DEFAULTS.epochs,
        trainPaths: t?.trainPaths ?? TRAIN_DEFAULTS.trainPaths,
        learningRate: t?.learningRate ?? TRAIN_DEFAULTS.learningRate,
        ...(t?.monitorPaths !== undefined ? { monitorPaths: t.monitorPaths } : {}),
        ...(t?.snapshotEpochs ? { snapshotEpochs: t.snapshotEpochs } : {}),
      };
      const inner = {
        innerSteps: t?.model === 'dhlnn' ? t.innerSteps : TRAIN_DEFAULTS.innerSteps,
        innerTol: t?.model === 'dhlnn' ? t.innerTol : TRAIN_DEFAULTS.innerTol,
      };
      const title = label?.trim() || `${config.option} K=${config.strike} σ=${config.sigma} c=${config.cost}`;
      const configs: HedgeConfig[] = [
        { model: 'bsdh', ...common },
        { model: 'mlp', ...common, ...training },
        { model: 'ntb', ...common, ...training },
        { model: 'dhlnn', ...common, ...training, ...inner },
      ];
      jobs.assertRoom(configs.length);
      const groupId = randomUUID();
      groups.create({ id: groupId, kind: COMPARISON_KIND, label: `Comparison: ${title}`, config: configs[3] });
      const runIds = configs.map((c) => submit(c, `${title} · ${SHORT[c.model]}`.slice(0, 120), groupId));
      return { groupId, runIds };
    },

    'hedging-history': ({ runId }) => {
      const r = mustGet(runId);
      mustBeTrained(r);
      const m = r.metrics as HedgeMetrics | null;
      if (r.status === 'done' && m?.training) return { runId, history: m.training.history, last: m.training.lastDetail ?? null };
      const cp = checkpoints.latestCheckpoint(runId);
      return { runId, history: cp?.history ?? [], last: null };
    },

    'hedging-checkpoints': ({ runId }) => {
      const r = mustGet(runId);
      mustBeTrained(r);
      return resumeInfo(r);
    },

    'hedging-resume': ({ runId, label }) => {
      const r = mustGet(runId);
      const info = resumeInfo(r);
      if (!info.resumable) throw appError('conflict', 'NOT_RESUMABLE', `run ${r.label || r.id} cannot be resumed: ${info.reason}`);
      const base = trainingConfigOf(r);
      const from = info.latest ?? 0;
      const config: HedgeRunConfig = info.latest !== null ? { ...base, resume: { runId: r.id, epoch: info.latest } } : base;
      const name = label?.trim() || `${(r.label || defaultLabel(base)).replace(/ \((resumed|restarted)[^)]*\)$/, '')} (${from > 0 ? `resumed after epoch ${from}` : 'restarted'})`;
      return { runId: submit(config, name.slice(0, 120), r.groupId), fromEpoch: from };
    },

    'hedging-evaluate': ({ runId, epoch, data, cost, label }) => {
      const r = mustGet(runId);
      mustBeTrained(r);
      const set = data.kind === 'paths' ? pathSet(data.datasetId, 'data.datasetId') : null;
      const saved = checkpoints.checkpointEpochs(r.id);
      if (saved.length === 0) throw appError('conflict', 'NO_WEIGHTS', `run ${r.label || r.id} has no saved weights (it stopped before its first epoch)`);
      const at = epoch ?? saved[saved.length - 1];
      if (!saved.includes(at)) {
        throw appError('validation', 'NO_WEIGHTS_AT_EPOCH', `run ${r.label || r.id} has weights after epochs ${saved.join(', ')} only`, [
          { field: 'epoch', message: `no weights saved after epoch ${at}; available: ${saved.join(', ')}`, value: at },
        ]);
      }
      const src = trainingConfigOf(r) as HedgeRunConfig & { snapshotEpochs?: number[]; extraTests?: unknown; experimentSlot?: string };
      const { snapshotEpochs: _s, extraTests: _x, experimentSlot: _slot, label: _l, ...rest } = src;
      const { data: _d, ...noData } = rest as typeof rest & { data?: unknown };
      // On a path set: every test window with the source's hedger sigma (its features and anchor), the set's dates.
      const candidate = set
        ? {
            ...noData,
            testSigma: undefined,
            steps: set.steps,
            days: set.steps * set.dtYears * 365,
            paths: set.test,
            cost: cost ?? src.cost,
            data: { kind: 'paths' as const, datasetId: set.id },
          }
        : {
            ...noData,
            testSigma: data.kind === 'gbm' ? data.sigma : undefined,
            drift: (data.kind === 'gbm' ? data.drift : undefined) ?? src.drift,
            paths: (data.kind === 'gbm' ? data.paths : undefined) ?? src.paths,
            seed: (data.kind === 'gbm' ? data.seed : undefined) ?? src.seed,
            cost: cost ?? src.cost,
          };
      const parsed = hedgeConfigSchema.safeParse(candidate);
      if (!parsed.success) {
        const fields = fieldErrors(parsed.error.issues, candidate, { domain: 'hedging' }).map((f) => ({ ...f, field: f.field === 'testSigma' ? 'data.sigma' : f.field === 'paths' ? 'data.paths' : f.field }));
        throw appError('validation', 'INVALID_INPUT', `invalid evaluation — ${fieldSummary(fields, false)}`, fields);
      }
      const sourceLabel = r.label || r.id;
      const config: HedgeRunConfig = { ...parsed.data, evaluation: { runId: r.id, epoch: at, sourceLabel } };
      const name =
        label?.trim() ||
        `${SHORT[r.model] ?? r.model} eval ${set ? `on "${set.label.slice(0, 40)}"` : `σ=${data.kind === 'gbm' ? data.sigma : ''}`} c=${config.cost} (weights of "${sourceLabel.slice(0, 50)}" after epoch ${at})`;
      return { runId: submit(config, name.slice(0, 120), null) };
    },

    'hedging-experiment': ({ id, scale, seed, strikes, pathSetId, criterion, riskAversion, esLevel, mvLambda }) => {
      const info = EXPERIMENTS[id];
      if (info.unavailable) {
        throw appError('validation', 'EXPERIMENT_UNAVAILABLE', info.unavailable, [{ field: 'id', message: info.unavailable, value: id }]);
      }
      let set: PathSetFacts | undefined;
      if (info.needsPathSet) {
        const newest = pathSetId ?? books.listPathSets().filter((p) => Number.isFinite(p.sigmaTrain) && p.test >= 2 && p.train >= 1).sort((a, b) => b.createdAt - a.createdAt)[0]?.id;
        if (!newest) throw appError('validation', 'EXPERIMENT_UNAVAILABLE', E4_NEEDS_PATH_SET, [{ field: 'pathSetId', message: E4_NEEDS_PATH_SET, value: pathSetId }]);
        set = pathSet(newest, 'pathSetId');
      } else if (pathSetId !== undefined) {
        const msg = `${id} runs on GBM paths; only E4 takes a pathSetId`;
        throw appError('validation', 'INVALID_INPUT', msg, [{ field: 'pathSetId', message: msg, value: pathSetId }]);
      }
      const crit = resolvedCriterionFields({ criterion, riskAversion, esLevel, mvLambda });
      const req: ExperimentRequest = { id, scale, seed, ...(strikes ? { strikes } : {}), ...(set ? { pathSet: set } : {}), criterion: crit };
      let plan;
      try {
        plan = planExperiment(req);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        throw appError('validation', 'INVALID_INPUT', message, [{ field: 'strikes', message, value: strikes }]);
      }
      jobs.assertRoom(plan.runs.length);
      const groupId = randomUUID();
      const critText = crit.criterion === 'entropic' && crit.riskAversion === 1 ? '' : ` · trained on ${criterionLabel(criterionOf(crit))}`;
      groups.create({ id: groupId, kind: EXPERIMENT_KIND, label: `${id} ${info.title}${set ? ` on "${set.label.slice(0, 60)}"` : ''}${scale === 'quick' ? ' (quick scale)' : ''}${critText}`, config: { ...req, strikes: plan.strikes } });
      const runIds = plan.runs.map((pr) => submit({ ...pr.config, experimentSlot: pr.slot }, pr.label, groupId));
      return { groupId, runIds };
    },

    'hedging-experiments': () => {
      const experiments: ExperimentSummary[] = groups.list(EXPERIMENT_KIND).map((g) => summaryOf(g, groups.runIds(g.id).map((i) => runs.get(i)).filter((x): x is AnyRun => !!x)));
      return { experiments, presets: Object.values(EXPERIMENTS) };
    },

    'hedging-experiment-get': ({ groupId }) => {
      const g = groups.get(groupId);
      if (!g || g.kind !== EXPERIMENT_KIND) throw appError('not-found', 'EXPERIMENT_NOT_FOUND', `experiment ${groupId} does not exist (was it deleted?)`);
      const req = g.config as ExperimentRequest;
      const plan = planExperiment(req);
      const runList = groups.runIds(g.id).map((i) => runs.get(i)).filter((x): x is AnyRun => !!x);
      const slots: Record<string, string> = {};
      const bySlot = new Map<string, AnyRun>();
      for (const r of runList) {
        const slot = (r.config as HedgeRunConfig).experimentSlot;
        if (!slot) continue;
        const prev = bySlot.get(slot);
        // the newest run of a slot wins, except that a finished run beats a later failed or cancelled one
        if (!prev || (r.createdAt >= prev.createdAt && !(prev.status === 'done' && r.status !== 'done' && r.status !== 'queued' && r.status !== 'running'))) bySlot.set(slot, r);
      }
      bySlot.forEach((r, s) => (slots[s] = r.id));
      const criterion = criterionOf(req.criterion);
      const cells = plan.cells.map((c) => {
        const entries = rankCell(c.items.map((it) => entryOf(it, bySlot.get(it.slot) ?? null, criterion)));
        return { ...c, entries, claim: claimVerdict(entries) };
      });
      const detail: ExperimentDetail = {
        ...summaryOf(g, runList),
        info: EXPERIMENTS[req.id],
        criterion,
        plan: { id: plan.id, scale: plan.scale, seed: plan.seed, strikes: plan.strikes },
        slots,
        runList,
        cells,
      };
      return detail;
    },

    'hedging-experiment-cancel': ({ groupId }) => {
      const g = groups.get(groupId);
      if (!g) throw appError('not-found', 'EXPERIMENT_NOT_FOUND', `experiment ${groupId} does not exist`);
      let cancelled = 0;
      // queued ones first, so that the running one does not hand its worker to the next in line
      const ids = groups.runIds(groupId).filter((id) => jobs.isLive(id));
      for (const id of [...ids].reverse()) if (jobs.cancel(id)) cancelled++;
      return { groupId, cancelled };
    },

    'hedging-experiment-rerun': ({ groupId }) => {
      const g = groups.get(groupId);
      if (!g || g.kind !== EXPERIMENT_KIND) throw appError('not-found', 'EXPERIMENT_NOT_FOUND', `experiment ${groupId} does not exist (was it deleted?)`);
      const plan = planExperiment(g.config as ExperimentRequest);
      const covered = coveredSlots(groups.runIds(groupId).map((i) => runs.get(i)).filter((x): x is AnyRun => !!x));
      // same slot, same config and seed as planned: the re-run reproduces the cell the deleted run filled
      const runIds = plan.runs.filter((pr) => !covered.has(pr.slot)).map((pr) => submit({ ...pr.config, experimentSlot: pr.slot }, pr.label, groupId));
      return { groupId, runIds };
    },

    // Reads and sorts up to 12 PnL arrays: on a read worker (reads/), cached once the runs are done.
    'hedging-distribution': (args) => deps.reads.run('hedging-distribution', args),
  };
}

/**
 * Slots of an experiment that still have a stored run (any status). The others lost theirs (deleted) and
 * would stay pending forever: 'hedging-experiment-rerun' starts them again. Stopped runs (failed,
 * cancelled, interrupted) keep their slot: they are resumed from their last epoch instead.
 */
function coveredSlots(list: AnyRun[]): Set<string> {
  return new Set(list.map((r) => (r.config as HedgeRunConfig).experimentSlot).filter((x): x is string => !!x));
}

function summaryOf(g: { id: string; label: string; config: unknown; createdAt: number }, list: AnyRun[]): ExperimentSummary {
  const req = g.config as ExperimentRequest;
  const count = (f: (r: AnyRun) => boolean): number => list.filter(f).length;
  const covered = coveredSlots(list);
  let missing: number;
  try {
    missing = planExperiment(req).runs.filter((pr) => !covered.has(pr.slot)).length;
  } catch {
    missing = 0; // a plan that no longer builds has nothing to re-run
  }
  return {
    groupId: g.id,
    id: req.id,
    label: g.label,
    scale: req.scale,
    seed: req.seed,
    strikes: req.strikes ?? EXPERIMENTS[req.id].strikes,
    createdAt: g.createdAt,
    runs: list.length,
    done: count((r) => r.status === 'done'),
    failed: count((r) => r.status === 'failed'),
    cancelled: count((r) => r.status === 'cancelled' || r.status === 'interrupted'),
    live: count((r) => r.status === 'queued' || r.status === 'running'),
    criterionLabel: criterionLabel(criterionOf(req.criterion)),
    missing,
  };
}

/**
 * One hedger's figures in a cell, from the run of its slot (final, snapshot or extra-test figures), with the
 * experiment's criterion value and the "does not hedge" facts (null on runs stored before criteria).
 */
function entryOf(it: CellItem, run: AnyRun | null, criterion: Criterion): CellEntry {
  const empty: CellEntry = {
    model: it.model,
    runId: run?.id ?? null,
    status: run?.status ?? null,
    array: it.array,
    entropic: null,
    es90: null,
    mean: null,
    std: null,
    criterionValue: null,
    meanAbsPosition: null,
    doesNotHedge: null,
    rank: null,
  };
  if (!run || run.status !== 'done' || !run.metrics) return empty;
  const m = run.metrics as HedgeMetrics;
  const src =
    it.source.kind === 'final'
      ? m
      : it.source.kind === 'snapshot'
        ? m.training?.snapshots.find((x) => x.epoch === (it.source as { epoch: number }).epoch)
        : m.training?.extraTests?.[it.source.index];
  if (!src) return empty;
  const asMetrics = src as HedgeMetrics;
  return {
    ...empty,
    entropic: src.entropic,
    es90: src.es90,
    mean: src.mean,
    std: src.std,
    criterionValue: measureOf(asMetrics, criterion),
    meanAbsPosition: src.meanAbsPosition ?? null,
    doesNotHedge: metricsDoNotHedge(asMetrics),
  };
}
