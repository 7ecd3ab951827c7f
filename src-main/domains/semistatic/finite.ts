import { appError, type FieldError } from '../../../src-shared/api/errors';
import { type ResolvedParams } from '../../../src-shared/semistatic/params';

/**
 * Guard for the semistatic screens: a solve whose inputs drive a reported figure to Infinity or NaN (e.g.
 * sigma = 1e-200 makes mu^2/sigma^2 overflow) must not come back `ok` with nulls (JSON has no Infinity).
 * It becomes a validation error naming the figures as the screens do and the inputs that set their scale.
 */

/** Screen names of the figures (dotted paths of SemistaticSolution / SemistaticMcMetrics). */
const FIGURE_LABELS: Record<string, string> = {
  a: 'coefficient a',
  entropy: 'entropy H',
  value: 'optimal value −e^(−H)',
  certaintyEquivalent: 'certainty equivalent',
  logDetQInverse: 'log det Q⁻¹',
  traceQ: 'trace Q',
  rho: 'recursion factor ρ',
  'merton.fraction': 'Merton fraction',
  'merton.entropy': 'Merton entropy',
  'merton.certaintyEquivalent': 'Merton certainty equivalent',
  semistaticEntropy: 'semistatic entropy',
  'staticClaim.weight': 'static claim weight',
  'staticClaim.price': 'static claim price',
  'staticClaim.expectedPayoff': 'static claim expected payoff',
  weights: 'filter weights',
  comparison: 'comparison of the four variants',
  utilityMean: 'simulated expected utility',
  utilitySe: 'its standard error',
  zScore: 'z = (MC − closed form)/s.e.',
  certaintyEquivalentMc: 'simulated certainty equivalent',
  wealthMean: 'mean terminal wealth',
  wealthStd: 'std of terminal wealth',
  wealthMeanExact: 'E[V] (closed form)',
  ratioMean: 'mean utility ratio',
};

/** Screen names of the inputs (the form's labels). */
const INPUT_LABELS: Array<[keyof ResolvedParams, string]> = [
  ['n', 'Steps n'],
  ['sigma', 'Volatility σ'],
  ['mu', 'Drift μ'],
  ['riskAversion', 'Risk aversion γ'],
  ['ratio2', 'Ratio s2'],
  ['s0', 'Price S₀'],
];

/** Dotted paths of the non-finite numbers in `x` (arrays collapse to their parent path). */
export function nonFinitePaths(x: unknown, path = '', out: string[] = []): string[] {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) out.push(path);
  } else if (Array.isArray(x) || ArrayBuffer.isView(x)) {
    const arr = x as ArrayLike<unknown>;
    for (let i = 0; i < arr.length; i++)
      if (nonFinitePaths(arr[i], path).length > 0) {
        out.push(path);
        break;
      }
  } else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) nonFinitePaths(v, path ? `${path}.${k}` : k, out);
  }
  return [...new Set(out)];
}

const labelOf = (path: string): string => FIGURE_LABELS[path] ?? FIGURE_LABELS[path.split('.')[0]] ?? path;

/**
 * Throw a validation AppError when any figure of `result` (except the keys in `skip`) is not finite.
 * @returns `result` unchanged when every figure is finite.
 */
export function requireFiniteFigures<T extends object>(result: T, p: ResolvedParams, what: string, skip: string[] = []): T {
  const bad = nonFinitePaths(result).filter((path) => !skip.some((s) => path === s || path.startsWith(`${s}.`)));
  if (bad.length === 0) return result;
  const all = [...new Set(bad.map(labelOf))];
  const figures = all.length > 3 ? [...all.slice(0, 3), `${all.length - 3} more figures`] : all;
  const inputs = INPUT_LABELS.map(([k, label]) => `${label} = ${p[k]}`).join(', ');
  const hint = 'overflow beyond ±1.8e308: bring σ, γ and |μ|/σ nearer 1 (e.g. express money in other units) or lower n';
  const fields: FieldError[] = (['sigma', 'mu', 'riskAversion', 'n'] as const).map((k) => ({
    field: k,
    message: `with the other inputs makes ${all[0]}${all.length > 1 ? ` and ${all.length - 1} more figure${all.length > 2 ? 's' : ''}` : ''} non-finite (overflow)`,
    value: p[k],
  }));
  return ((): never => {
    throw appError('validation', 'SEMISTATIC_NON_FINITE', `${what}: the inputs ${inputs} make ${figures.join(', ')} non-finite (${hint}).`, fields);
  })();
}
