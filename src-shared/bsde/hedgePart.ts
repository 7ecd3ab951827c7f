import { z } from 'zod';
import { type WireArray, wireArraySchema } from '../api/wireArray';
import { type BookContent, bookContentSchema, PAYOFF_TYPES } from '../portfolio/book';
import { SCHEMES } from './config';
import { type HedgePassFigures, type HedgeSettings, hedgeConfigSchema } from './hedge';
import { type StoredSolution } from './result';

/**
 * Paths [from, to) of a 'bsde-hedge' run as ONE cluster job (wire kind 'bsde-hedge-part', not a stored run kind):
 * the host waited for the solve run, read what the hedge needs from its store and sends it with every part,
 * so the worker opens no store. The schema checks the shapes AND the sizes: the solution's arrays agree with the
 * book's d and J, its network offsets with its N, the weights hold every network the offsets name, and the
 * path range lies within the run's paths.
 */
export const BSDE_HEDGE_PART = 'bsde-hedge-part';

const fin = z.number().refine(Number.isFinite, 'must be a finite number');
const idx = z.number().int().min(0);
const nums = z.array(fin);
const mlpShape = z.object({ inputs: z.number().int().min(1).max(1000), width: z.number().int().min(1).max(4096), depth: z.number().int().min(1).max(64), outputs: z.number().int().min(1).max(100_000) }).strict();

const storedSolutionSchema = z
  .object({
    format: z.literal('bsde-solution/1'),
    scheme: z.enum(SCHEMES),
    d: z.number().int().min(1),
    J: z.number().int().min(1),
    steps: z.number().int().min(1).max(1000),
    horizon: fin,
    dt: fin,
    shapes: z.object({ c: mlpShape, z: mlpShape }).strict(),
    offsets: z.array(z.object({ c: idx, z: idx }).strict()),
    scales: z.object({ shiftC: nums, sC: nums, shiftZ: nums, sZ: nums, sG: nums }).strict(),
    market: z.object({ rate: fin, s0: nums, x0: nums, b: nums, sigma: nums, sig: nums, sigInv: nums, theta: nums }).strict(),
    smooth: nums,
    options: z.array(
      z.object({ payoff: z.enum(PAYOFF_TYPES), assets: z.array(idx), strike: fin, strike2: fin.nullable(), quantity: fin, maturityIndex: idx, exercise: z.array(idx) }).strict(),
    ),
    t0: z.object({ price: nums, z: nums, dz: nums.nullable(), hessX: nums.nullable() }).strict(),
  })
  .strict();

/** Parameters of an MLP of this shape (src-main/engine/bsde/mlpLayout.ts paramCount, restated for the check). */
const paramsOf = (s: z.output<typeof mlpShape>): number => s.inputs * s.width + s.width + (s.depth - 1) * (s.width * s.width + s.width) + s.width * s.outputs + s.outputs;

export const bsdeHedgePartSchema = z
  .object({
    solveRunId: z.string().regex(/^[0-9a-z-]{8,64}$/, 'must be a run id'),
    book: bookContentSchema,
    solution: storedSolutionSchema,
    /** The solve's networks (float32); empty for closed-form Greeks, which do not use them. */
    weights: wireArraySchema,
    settings: hedgeConfigSchema,
    from: idx,
    to: idx,
  })
  .strict()
  .superRefine((p, ctx) => {
    const bad = (path: (string | number)[], message: string): void => void ctx.addIssue({ code: 'custom', path, message });
    if (!(p.from < p.to && p.to <= p.settings.paths)) bad(['to'], `paths [${p.from}, ${p.to}) are not a non-empty range within the run's ${p.settings.paths} paths`);
    const s = p.solution;
    const d = p.book.assets.length;
    const J = p.book.options.length;
    if (s.d !== d || s.J !== J) return bad(['solution', 'd'], `the solution has d = ${s.d}, J = ${s.J}; the book has ${d} assets and ${J} options`);
    const sized: Array<[string, unknown[] | null, number]> = [
      ['market.s0', s.market.s0, d],
      ['market.x0', s.market.x0, d],
      ['market.b', s.market.b, d],
      ['market.sigma', s.market.sigma, d],
      ['market.sig', s.market.sig, d * d],
      ['market.sigInv', s.market.sigInv, d * d],
      ['smooth', s.smooth, d],
      ['scales.shiftC', s.scales.shiftC, J],
      ['scales.sC', s.scales.sC, J],
      ['scales.sZ', s.scales.sZ, J],
      ['scales.sG', s.scales.sG, J],
      ['scales.shiftZ', s.scales.shiftZ, J * d],
      ['options', s.options, J],
      ['t0.price', s.t0.price, J],
      ['t0.z', s.t0.z, J * d],
      ['t0.dz', s.t0.dz, J * d * d],
      ['t0.hessX', s.t0.hessX, J * d * d],
      ['offsets', s.offsets, Math.max(0, s.steps - 1)],
    ];
    for (const [name, a, n] of sized) if (a !== null && a.length !== n) bad(['solution', ...name.split('.')], `has ${a.length} entries; d = ${d}, J = ${J}, N = ${s.steps} need ${n}`);
    for (const [j, o] of s.options.entries()) {
      if (o.maturityIndex > s.steps) bad(['solution', 'options', j, 'maturityIndex'], `${o.maturityIndex} is beyond the grid's N = ${s.steps}`);
      if (o.assets.some((a) => a >= d)) bad(['solution', 'options', j, 'assets'], `names an asset beyond the book's ${d}`);
    }
    if (s.shapes.c.inputs !== d || s.shapes.z.inputs !== d) bad(['solution', 'shapes'], `network inputs must be d = ${d}`);
    if (p.settings.greeks !== 'network') return;
    if (p.weights.dtype !== 'float32') bad(['weights', 'dtype'], 'network weights are float32');
    const c = paramsOf(s.shapes.c);
    const z2 = paramsOf(s.shapes.z);
    const need = s.offsets.reduce((m, o) => Math.max(m, o.c + c, o.z + z2), 0);
    if (p.weights.length < need) bad(['weights', 'length'], `holds ${p.weights.length} values; the networks the solution names need ${need}`);
  });

export type BsdeHedgePartConfig = z.output<typeof bsdeHedgePartSchema>;

/** What a part returns besides its 'pnl' array (paths from..to-1, in order): the figures the host merges. */
export interface BsdeHedgePartMetrics extends HedgePassFigures {
  from: number;
  to: number;
  peakRssBytes: number;
}

/** The part config before its weights are encoded (what the host builds). */
export interface BsdeHedgePartInput {
  solveRunId: string;
  book: BookContent;
  solution: StoredSolution;
  weights: WireArray;
  settings: HedgeSettings;
  from: number;
  to: number;
}
