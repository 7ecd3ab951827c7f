import { type HedgeConfig, type HedgeModel, TRAIN_DEFAULTS } from './config';
import { type CriterionFields, resolvedCriterionFields } from './criteria';
import { rankValues } from './ranking';

/**
 * The source's experiments as presets (deep-hedging spec, "Experiments the source reports"): which runs one
 * click makes and how their results form the grid of cells. Shared by the handler that submits the runs,
 * the view that draws the grid, and the CLI.
 *
 * Every cell shows all four hedgers (BSDH, DHMLP, DHNTB, DHLNN) on the same test paths: every run of an
 * experiment has the same seed, test path count and dates, so the test set is the same paths (see
 * engine/hedging/evaluate.ts). To spare work, cells share runs where the spec's design allows it without
 * changing any number:
 * - "epochs 10, 20, 30, 40": one training run of 40 epochs per model, with the whole test set hedged after
 *   epochs 10, 20, 30 and 40 (`snapshotEpochs`). Training is deterministic per seed, so the snapshot after
 *   epoch 10 of the 40-epoch run IS the 10-epoch run.
 * - E3 "test sigma 0.1 .. 0.4": one training run per model at sigma 0.1, its final weights hedging test sets
 *   of each volatility (`extraTests`); BSDH (with sigma 0.1 in its delta) runs once per test volatility.
 * Scales: 'full' is the spec's (10,000 training paths per epoch, 100,000 test paths, the spec's epochs);
 * 'quick' divides epochs by 5 and uses 2,000 training and 10,000 test paths — for a look in minutes, not for
 * conclusions.
 */
export const EXPERIMENT_IDS = ['E1', 'E2', 'E3', 'E4', 'E5'] as const;
export type ExperimentId = (typeof EXPERIMENT_IDS)[number];
export const EXPERIMENT_SCALES = ['full', 'quick'] as const;
export type ExperimentScale = (typeof EXPERIMENT_SCALES)[number];

export const MODELS_IN_CELLS: HedgeModel[] = ['bsdh', 'mlp', 'ntb', 'dhlnn'];

export interface ExperimentInfo {
  id: ExperimentId;
  title: string;
  option: 'european' | 'lookback';
  data: string;
  varied: string;
  fixed: string;
  strikes: number[];
  /** Source figures reproduced. */
  figures: string;
  /** Set when the experiment cannot run in this build, with the reason. */
  unavailable?: string;
  /** The experiment runs on an order-book path set (E4): the request names one (default: the newest). */
  needsPathSet?: boolean;
}

/** Why E4 cannot start when there is no order-book path set. */
export const E4_NEEDS_PATH_SET =
  'E4 hedges lookback calls on order-book WAP windows and needs a path set; import order-book data and build a path set in the Order book view first.';

/** What E4 takes from its order-book path set (stored with the experiment, so its plan never changes). */
export interface ExperimentPathSet {
  id: string;
  label: string;
  steps: number;
  dtYears: number;
  sigmaTrain: number;
  train: number;
  test: number;
}

export const EXPERIMENTS: Record<ExperimentId, ExperimentInfo> = {
  E1: { id: 'E1', title: 'Convergence, European call', option: 'european', data: 'GBM σ = 0.1', varied: 'epochs 10, 20, 30, 40', fixed: 'c = 2e-3', strikes: [1.2, 1.0], figures: 'Figs. 2–3' },
  E2: { id: 'E2', title: 'Transaction costs, European call', option: 'european', data: 'GBM σ = 0.1', varied: 'c = 2, 4, 6, 8 e-3', fixed: '50 epochs', strikes: [1.0, 1.2], figures: 'Figs. 4–7' },
  E3: { id: 'E3', title: 'Out-of-distribution volatility, European call', option: 'european', data: 'train σ = 0.1; test σ = 0.1, 0.2, 0.3, 0.4', varied: 'test σ', fixed: 'c = 5e-3, 50 epochs', strikes: [1.2, 1.0], figures: 'Figs. 8–11' },
  E4: { id: 'E4', title: 'Lookback call on order-book WAP paths', option: 'lookback', data: 'order-book WAP path set (σ = its training realised vol)', varied: 'epochs 10..40; then c = 2, 4, 6, 8 e-3', fixed: 'c = 2e-3 / 50 epochs', strikes: [1.0], figures: 'Figs. 12–15', needsPathSet: true },
  E5: { id: 'E5', title: 'Lookback call, GBM', option: 'lookback', data: 'GBM σ = 0.1', varied: 'epochs 10..40; c = 2..8 e-3', fixed: '50 epochs', strikes: [1.2, 1.0], figures: 'Appendix E' },
};

/** One run of an experiment: `slot` names its place in the plan (stored with the run). */
export interface PlannedRun {
  slot: string;
  model: HedgeModel;
  label: string;
  config: HedgeConfig;
}

/** Where a cell finds one hedger's PnL: a run slot and the stored array of that run. */
export interface CellItem {
  model: HedgeModel;
  slot: string;
  /** 'pnl', 'pnl@<epoch>' or 'pnl@test<i>'. */
  array: string;
  /** Where the figures sit in the run's metrics: final, a snapshot epoch or an extra test. */
  source: { kind: 'final' } | { kind: 'snapshot'; epoch: number } | { kind: 'extra'; index: number };
}

export interface ExperimentCell {
  key: string;
  /** e.g. "K = 1.2 · 10 epochs". */
  title: string;
  strike: number;
  /** The varied quantity of this cell (its name, value and unit), for the metric lines. */
  varied: { name: 'epochs' | 'cost' | 'testSigma'; value: number };
  /** Section of the grid (E5 has two: convergence and costs). */
  group: string;
  items: CellItem[];
}

export interface ExperimentPlan {
  id: ExperimentId;
  scale: ExperimentScale;
  seed: number;
  strikes: number[];
  runs: PlannedRun[];
  cells: ExperimentCell[];
}

export interface ExperimentRequest {
  id: ExperimentId;
  scale: ExperimentScale;
  seed: number;
  /** A subset of the preset's strikes (default: all). */
  strikes?: number[];
  /** E4: the path set its runs train and test on. */
  pathSet?: ExperimentPathSet;
  /** Criterion of every run (absent: entropic a = 1, the source's; old experiments have none). */
  criterion?: CriterionFields;
}

const COSTS = [0.002, 0.004, 0.006, 0.008];
const EPOCH_MARKS = [10, 20, 30, 40];
const TEST_SIGMAS = [0.1, 0.2, 0.3, 0.4];

/**
 * The runs and cells of an experiment (throws for strikes not in the preset, and for E4 without a path set).
 * E4 runs on an order-book path set: steps = the set's steps, sigma (features, BS delta) = its training
 * realised vol, T = steps x dtYears (days = T x 365), every test window hedged (paths = its test count),
 * training windows sampled with replacement each epoch; 'quick' divides epochs by 5 and samples 2,000 windows.
 */
export function planExperiment(req: ExperimentRequest): ExperimentPlan {
  const info = EXPERIMENTS[req.id];
  if (info.unavailable) throw new Error(info.unavailable);
  if (info.needsPathSet && !req.pathSet) throw new Error(E4_NEEDS_PATH_SET);
  const strikes = req.strikes && req.strikes.length ? req.strikes : info.strikes;
  for (const k of strikes) if (!info.strikes.includes(k)) throw new Error(`${req.id} runs at strikes ${info.strikes.join(', ')}; ${k} is not one of them`);
  const quick = req.scale === 'quick';
  const ep = (e: number): number => (quick ? Math.max(1, Math.round(e / 5)) : e);
  const ps = info.needsPathSet ? req.pathSet : undefined;
  const base = ps
    ? {
        option: info.option,
        sigma: Number(ps.sigmaTrain.toPrecision(6)),
        drift: 0,
        days: ps.steps * ps.dtYears * 365,
        steps: ps.steps,
        paths: ps.test,
        seed: req.seed,
        data: { kind: 'paths' as const, datasetId: ps.id },
      }
    : {
        option: info.option,
        sigma: 0.1,
        drift: 0,
        days: 30,
        steps: 30,
        paths: quick ? 10_000 : 100_000,
        seed: req.seed,
      };
  const criterionFields = resolvedCriterionFields(req.criterion ?? {});
  const trained = {
    trainPaths: quick ? 2_000 : TRAIN_DEFAULTS.trainPaths,
    learningRate: TRAIN_DEFAULTS.learningRate,
    monitorPaths: quick ? 2_000 : TRAIN_DEFAULTS.monitorPaths,
  };
  const runs: PlannedRun[] = [];
  const cells: ExperimentCell[] = [];
  const tag = `${req.id}${quick ? ' quick' : ''}`;
  const short: Record<HedgeModel, string> = { bsdh: 'BSDH', mlp: 'DHMLP', ntb: 'DHNTB', dhlnn: 'DHLNN' };

  const addRun = (slot: string, model: HedgeModel, label: string, extra: Record<string, unknown>): void => {
    const config = (model === 'bsdh' ? { model, ...base, ...criterionFields, ...extra } : model === 'dhlnn'
      ? { model, ...base, ...criterionFields, ...trained, innerSteps: TRAIN_DEFAULTS.innerSteps, innerTol: TRAIN_DEFAULTS.innerTol, ...extra }
      : { model, ...base, ...criterionFields, ...trained, ...extra }) as HedgeConfig;
    runs.push({ slot, model, label: `${tag} ${short[model]} ${label}`, config: { ...config, label: `${tag} ${short[model]} ${label}` } as HedgeConfig });
  };

  /** Convergence: one run per model trained to 40 epochs with snapshots at 10..40. */
  const convergence = (k: number, group: string): void => {
    const marks = EPOCH_MARKS.map(ep);
    const last = marks[marks.length - 1];
    for (const m of MODELS_IN_CELLS) {
      const slot = `conv:K${k}:${m}`;
      if (m === 'bsdh') addRun(slot, m, `K=${k} c=0.002`, { strike: k, cost: 0.002 });
      else addRun(slot, m, `K=${k} c=0.002 ${last} ep`, { strike: k, cost: 0.002, epochs: last, snapshotEpochs: marks });
    }
    for (const e of marks) {
      cells.push({
        key: `conv:K${k}:e${e}`,
        title: `K = ${k} · ${e} epochs`,
        strike: k,
        varied: { name: 'epochs', value: e },
        group,
        items: MODELS_IN_CELLS.map((m) =>
          m === 'bsdh'
            ? { model: m, slot: `conv:K${k}:${m}`, array: 'pnl', source: { kind: 'final' } }
            : { model: m, slot: `conv:K${k}:${m}`, array: `pnl@${e}`, source: { kind: 'snapshot', epoch: e } },
        ),
      });
    }
  };

  /** Costs: per cost, one run per model trained 50 epochs at that cost. */
  const costs = (k: number, group: string): void => {
    for (const c of COSTS) {
      for (const m of MODELS_IN_CELLS) {
        const slot = `cost:K${k}:c${c}:${m}`;
        if (m === 'bsdh') addRun(slot, m, `K=${k} c=${c}`, { strike: k, cost: c });
        else addRun(slot, m, `K=${k} c=${c} ${ep(50)} ep`, { strike: k, cost: c, epochs: ep(50) });
      }
      cells.push({
        key: `cost:K${k}:c${c}`,
        title: `K = ${k} · c = ${c * 1000}e-3`,
        strike: k,
        varied: { name: 'cost', value: c },
        group,
        items: MODELS_IN_CELLS.map((m) => ({ model: m, slot: `cost:K${k}:c${c}:${m}`, array: 'pnl', source: { kind: 'final' } })),
      });
    }
  };

  /** OOD: one run per trained model at sigma 0.1 with extra test sets; BSDH per test sigma. */
  const ood = (k: number, group: string): void => {
    const others = TEST_SIGMAS.filter((s) => s !== 0.1);
    for (const m of MODELS_IN_CELLS) {
      if (m === 'bsdh') {
        for (const s of TEST_SIGMAS) addRun(`ood:K${k}:s${s}:bsdh`, m, `K=${k} c=0.005 test σ=${s}`, { strike: k, cost: 0.005, ...(s !== 0.1 ? { testSigma: s } : {}) });
      } else {
        addRun(`ood:K${k}:${m}`, m, `K=${k} c=0.005 ${ep(50)} ep, test σ=${TEST_SIGMAS.join('/')}`, {
          strike: k,
          cost: 0.005,
          epochs: ep(50),
          extraTests: others.map((s) => ({ sigma: s })),
        });
      }
    }
    for (const s of TEST_SIGMAS) {
      const idx = others.indexOf(s);
      cells.push({
        key: `ood:K${k}:s${s}`,
        title: `K = ${k} · test σ = ${s}`,
        strike: k,
        varied: { name: 'testSigma', value: s },
        group,
        items: MODELS_IN_CELLS.map((m) =>
          m === 'bsdh'
            ? { model: m, slot: `ood:K${k}:s${s}:bsdh`, array: 'pnl', source: { kind: 'final' } }
            : idx < 0
              ? { model: m, slot: `ood:K${k}:${m}`, array: 'pnl', source: { kind: 'final' } }
              : { model: m, slot: `ood:K${k}:${m}`, array: `pnl@test${idx}`, source: { kind: 'extra', index: idx } },
        ),
      });
    }
  };

  for (const k of strikes) {
    if (req.id === 'E1') convergence(k, `K = ${k}`);
    else if (req.id === 'E2') costs(k, `K = ${k}`);
    else if (req.id === 'E3') ood(k, `K = ${k}`);
    else if (req.id === 'E5' || req.id === 'E4') {
      convergence(k, `K = ${k} · convergence (c = 2e-3)`);
      costs(k, `K = ${k} · costs (${ep(50)} epochs)`);
    }
  }
  return { id: req.id, scale: req.scale, seed: req.seed, strikes, runs, cells };
}

/** Figures of one hedger in a cell. */
export interface CellEntry {
  model: HedgeModel;
  runId: string | null;
  status: string | null;
  array: string;
  entropic: number | null;
  es90: number | null;
  mean: number | null;
  std: number | null;
  /** The experiment's criterion on this hedger's test PnL (money), null when not measured (old runs: entropic a = 1). */
  criterionValue: number | null;
  /** Mean |position| (asset units) and BSDH's on the same paths; null on runs stored before criteria. */
  meanAbsPosition: number | null;
  doesNotHedge: boolean | null;
  /** Rank in the cell on the criterion (1 = best; hedgers that do not hedge rank last), null while pending. */
  rank: number | null;
}

/**
 * Rank a cell's entries on the experiment's criterion (ranking.ts: runs that do not hedge go last and are never
 * best). Returns the entries with `rank` set.
 */
export function rankCell(entries: CellEntry[]): CellEntry[] {
  const ranked = rankValues(entries.map((e) => ({ value: e.criterionValue, doesNotHedge: e.doesNotHedge })));
  return entries.map((e, i) => ({ ...e, rank: ranked[i].rank }));
}

/**
 * Whether the source's claim held in a cell, judged on the criterion trained: DHLNN ranks first on it (so it
 * hedges: a hedger labelled "does not hedge" never ranks first) AND has the lowest ES 90% of the hedgers that
 * hedge (the source reports both its loss and ES90). 'pending' until every hedger of the cell has figures.
 */
export function claimVerdict(entries: CellEntry[]): 'held' | 'not held' | 'pending' {
  if (entries.some((e) => e.criterionValue === null || e.es90 === null)) return 'pending';
  const ranked = rankCell(entries);
  const d = ranked.find((e) => e.model === 'dhlnn');
  if (!d) return 'pending';
  if (d.rank !== 1 || d.doesNotHedge === true) return 'not held';
  const others = ranked.filter((e) => e.model !== 'dhlnn' && e.doesNotHedge !== true);
  return others.every((o) => d.es90! < o.es90!) ? 'held' : 'not held';
}
