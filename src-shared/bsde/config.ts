import { z } from 'zod';
import { int, num } from '../zodFields';
import { type BookContent, type BookIssue } from '../portfolio/book';

/**
 * A deep-BSDE solve of a book (spec portfolio-bsde.md "OSM scheme" and "Baseline RDBDP"): the scheme, the
 * time grid t_n = n T / N, the networks (tanh MLPs, `depth` hidden layers of `width`), the Adam budget
 * (iterations at the last time step and at every other one, learning rate decaying exponentially from
 * `learningRate` to `learningRateEnd` within each step), the batch, and the Monte Carlo sample of the
 * t = 0 regression (where X_0 is fixed and the unknowns are constants, solved by exact least squares).
 */
export const SCHEMES = ['osm', 'rdbdp'] as const;
export type Scheme = (typeof SCHEMES)[number];

export const solverShape = {
  scheme: z.enum(SCHEMES, { error: 'scheme must be osm or rdbdp' }),
  /** N, the number of time steps of the grid. */
  steps: int('steps', 1, 500),
  /** T of the grid in years; null = the longest maturity in the book. */
  horizon: num('horizon').gt(0, 'horizon must be > 0 (years)').max(30, 'horizon must be <= 30 years').nullable(),
  width: int('width', 2, 512),
  depth: int('depth', 1, 8),
  batch: int('batch', 16, 16384),
  iterationsLast: int('iterationsLast', 1, 1_000_000),
  iterationsOther: int('iterationsOther', 1, 1_000_000),
  learningRate: num('learningRate').gt(0, 'learningRate must be > 0').max(0.1, 'learningRate must be <= 0.1'),
  learningRateEnd: num('learningRateEnd').gt(0, 'learningRateEnd must be > 0').max(0.1, 'learningRateEnd must be <= 0.1'),
  /**
   * After each stage's Adam steps, refit the network's output layer by exact least squares on a larger fresh
   * sample (every loss is quadratic in that layer): removes the optimiser's noise from the output biases,
   * which set the prices. Off = the source's plain Adam training.
   */
  refit: z.boolean({ error: 'refit must be true or false' }),
  /** Monte Carlo samples of the t = 0 least-squares step. */
  samplesT0: int('samplesT0', 1024, 4_194_304),
  seed: int('seed', 0, 2 ** 32 - 1),
};

export const solverConfigSchema = z.object(solverShape).strict();
export type SolverConfig = z.output<typeof solverConfigSchema>;

/** Named solver sizes. `cpu` is the default (B1, d = 5 to 1% / 5% in under 3 minutes on 2 cores). */
export const SOLVER_PRESETS: Record<'tiny' | 'cpu' | 'paper', { title: string; config: Omit<SolverConfig, 'scheme' | 'seed'> }> = {
  tiny: {
    title: 'tiny — seconds, for a first look and tests (N = 6, 32 x 2)',
    config: { steps: 6, horizon: null, width: 32, depth: 2, batch: 256, iterationsLast: 800, iterationsOther: 200, learningRate: 5e-3, learningRateEnd: 1e-4, refit: true, samplesT0: 65536 },
  },
  cpu: {
    title: 'cpu — a few minutes on 2 cores (N = 12, 48 x 2)',
    config: { steps: 12, horizon: null, width: 48, depth: 2, batch: 512, iterationsLast: 2000, iterationsOther: 400, learningRate: 5e-3, learningRateEnd: 1e-4, refit: true, samplesT0: 131072 },
  },
  paper: {
    title: "paper — the source's sizes, for a GPU (N = 120, 50 x 4, 65,536 / 4,096 Adam steps)",
    config: { steps: 120, horizon: null, width: 50, depth: 4, batch: 1024, iterationsLast: 65536, iterationsOther: 4096, learningRate: 1e-3, learningRateEnd: 1e-6, refit: false, samplesT0: 1_048_576 },
  },
};

export const DEFAULT_SOLVER: SolverConfig = { scheme: 'osm', seed: 1, ...SOLVER_PRESETS.cpu.config };

/**
 * Progress units of a solve: Adam iterations (OSM: a Z and a C stage per step; RDBDP: one joint stage),
 * plus the t = 0 least squares counted as the share of its forward passes.
 */
export function progressTotal(c: Pick<SolverConfig, 'scheme' | 'steps' | 'iterationsLast' | 'iterationsOther' | 'samplesT0' | 'batch'>): { train: number; t0: number; total: number } {
  const stages = c.scheme === 'osm' ? 2 : 1;
  const train = c.steps > 1 ? stages * (c.iterationsLast + (c.steps - 2) * c.iterationsOther) : 0;
  const t0 = Math.max(1, Math.ceil(c.samplesT0 / (3 * c.batch)));
  return { train, t0, total: train + t0 };
}

/** Largest tensor working set (bytes) a solve may plan for: wasm32 memory tops out at 4 GB. */
export const MAX_SOLVE_BYTES = 1.5e9;

export interface SolveSizes {
  /** Outputs of the Z network (OSM: J d (1 + d) for Ztilde and DZ = G Sig; RDBDP: J d). */
  zOutputs: number;
  /** Parameters of one time step's networks. */
  paramsPerStep: number;
  /** Rows of a training pool (batches of fresh samples generated at once). */
  poolRows: number;
  bytes: { weights: number; pool: number; batch: number; total: number };
}

const mlpParams = (inputs: number, width: number, depth: number, outputs: number): number =>
  inputs * width + width + (depth - 1) * (width * width + width) + width * outputs + outputs;

/** Pool rows for a batch size: 16 batches, at most 16,384 rows (and at least one batch). */
export const poolRowsFor = (batch: number): number => Math.max(batch, Math.min(16 * batch, 16384));

/** Memory plan of a solve (float32 tensors): stored networks, the sample pool, one batch's activations. */
export function solveSizes(d: number, J: number, c: Pick<SolverConfig, 'scheme' | 'steps' | 'width' | 'depth' | 'batch'>): SolveSizes {
  const zOutputs = c.scheme === 'osm' ? J * d * (1 + d) : J * d;
  const paramsPerStep = mlpParams(d, c.width, c.depth, J) + mlpParams(d, c.width, c.depth, zOutputs);
  const poolRows = poolRowsFor(c.batch);
  const weights = 4 * paramsPerStep * (c.steps + 6);
  const pool = 4 * poolRows * (4 * d + 6 * J * d + 6 * J) + 4 * Math.min(poolRows, 4096) * zOutputs * 3;
  const batch = 4 * c.batch * (c.width * c.depth * 4 + zOutputs * 6 + J * d * d * 2);
  return { zOutputs, paramsPerStep, poolRows, bytes: { weights, pool, batch, total: weights + pool + batch } };
}

const fmtY = (x: number): string => `${Number(x.toPrecision(6))} y`;

/** Grid horizon T: the given one or the longest maturity. */
export const gridHorizon = (book: BookContent, horizon: number | null): number => horizon ?? Math.max(...book.options.map((o) => o.maturity));

/** Is t (years) on the grid n T/N? */
export const onGrid = (t: number, dt: number): boolean => Math.abs(t / dt - Math.round(t / dt)) < 1e-7 * Math.max(1, t / dt);

/**
 * Checks of a book against a solver's grid and memory, each naming the cell: maturities within the horizon
 * and on the grid, Bermudan exercise dates on the grid, sizes within {@link MAX_SOLVE_BYTES}.
 */
export function checkSolve(book: BookContent, c: Pick<SolverConfig, 'scheme' | 'steps' | 'horizon' | 'width' | 'depth' | 'batch'>): BookIssue[] {
  const issues: BookIssue[] = [];
  const T = gridHorizon(book, c.horizon);
  const dt = T / c.steps;
  book.options.forEach((o, j) => {
    const who = `option ${j + 1}${o.label ? ` (${o.label})` : ''}`;
    if (o.maturity > T * (1 + 1e-9)) {
      issues.push({ path: ['options', j, 'maturity'], message: `${who}: maturity ${fmtY(o.maturity)} is beyond the time grid (horizon T = ${fmtY(T)}); raise the horizon or shorten the maturity` });
      return;
    }
    if (!onGrid(o.maturity, dt)) {
      issues.push({ path: ['options', j, 'maturity'], message: `${who}: maturity ${fmtY(o.maturity)} is not on the time grid t_n = n·${fmtY(dt)} (T = ${fmtY(T)}, N = ${c.steps}); change the steps or the maturity` });
      return;
    }
    if (o.exercise === 'bermudan' && o.exerciseDates > 1) {
      const E = o.exerciseDates;
      for (let k = 1; k < E; k++) {
        const t = (k * o.maturity) / E;
        if (!onGrid(t, dt)) {
          issues.push({
            path: ['options', j, 'exerciseDates'],
            message: `${who}: exercise date ${k} of ${E} at ${fmtY(t)} is off the time grid (dt = ${fmtY(dt)}); use steps N with N·maturity/T a multiple of ${E}, or fewer dates`,
          });
          break;
        }
      }
    }
  });
  const s = solveSizes(book.assets.length, book.options.length, c);
  if (s.bytes.total > MAX_SOLVE_BYTES) {
    const gb = (x: number): string => `${(x / 1e9).toFixed(2)} GB`;
    const worst = (Object.entries({ weights: s.bytes.weights, pool: s.bytes.pool, batch: s.bytes.batch }) as Array<[string, number]>).sort((a, b) => b[1] - a[1])[0][0];
    const field = worst === 'weights' ? (c.steps > 50 ? 'steps' : 'width') : worst === 'batch' ? 'batch' : 'batch';
    issues.push({
      path: [field],
      message: `this solve needs about ${gb(s.bytes.total)} of tensor memory (networks ${gb(s.bytes.weights)}, samples ${gb(s.bytes.pool)}, one batch ${gb(s.bytes.batch)}) for ${book.options.length} options on ${book.assets.length} assets; the limit is ${gb(MAX_SOLVE_BYTES)} — lower ${field === 'steps' ? 'the number of steps or the width' : field === 'width' ? 'the width or depth' : 'the batch size or the width'}`,
    });
  }
  return issues;
}
