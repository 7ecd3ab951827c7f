/**
 * Field paths as the screens name them. Validation works on internal keys (`assets.1.s0`,
 * `options.0.strike`, `trainPaths`); messages for people name the field the way its form or grid labels it
 * ("S0 of S2", "option #1 strike K", "paths per epoch"). One mapper for every handler and the CLI, so the
 * words match the screens. `FieldError.field` keeps the key (forms use it to put the message next to the
 * input); `FieldError.label` and the summary message use these names.
 */

/** The domain of a handler method: `hedging-train` -> `hedging`. */
export const domainOf = (method: string): string => method.split('-')[0] ?? method;

/** Screen labels shared by every form, by field key. */
const COMMON: Record<string, string> = {
  strike: 'strike K',
  sigma: 'volatility σ',
  drift: 'drift μ',
  mu: 'drift μ',
  seed: 'seed',
  label: 'label',
  learningRate: 'learning rate',
  cost: 'cost rate c',
  runId: 'run',
  runIds: 'runs',
};

/** Per-domain labels (the same key is a different field on another tab). */
const BY_DOMAIN: Record<string, Record<string, string>> = {
  hedging: {
    days: 'maturity (calendar days)',
    steps: 'rebalancing steps',
    paths: 'paths',
    testSigma: 'test σ',
    epochs: 'epochs',
    trainPaths: 'paths per epoch (training paths)',
    monitorPaths: 'live test paths',
    innerSteps: 'inner iterations',
    innerTol: 'inner tolerance',
    'data.sigma': 'test σ',
    'data.paths': 'paths',
  },
  qlbs: {
    s0: 'spot S₀',
    r: 'rate r',
    maturity: 'maturity T',
    steps: 'DP steps N',
    fqiSteps: 'FQI steps',
    paths: 'paths N_MC',
    lambda: 'risk aversion λ',
    reg: 'ridge reg',
    basisSize: 'basis size M',
    degree: 'spline degree p',
    eta: 'noise band η',
  },
  semistatic: {
    n: 'steps n',
    delay: 'delay D',
    delayFraction: 'delay H',
    ratio2: 'ratio s2',
    sigmahat: 'market σ̂',
    s0: 'price S₀',
    riskAversion: 'risk aversion γ',
  },
  bsde: {
    steps: 'time steps N',
    horizon: 'horizon T',
    width: 'width',
    depth: 'depth',
    batch: 'batch',
    iterationsLast: 'iterations at the last step',
    iterationsOther: 'iterations at the other steps',
    learningRateEnd: 'LR end',
    samplesT0: 'samples t = 0',
    rebalance: 'rebalancing R',
  },
  heston: {
    s0: 'spot S₀',
    nu0: 'variance ν₀',
    kappa: 'reversion κ',
    nubar: 'long-run variance ν̄',
    xi: 'vol of variance ξ',
    rho: 'correlation ρ',
    r: 'rate r',
    q: 'dividend q',
    maturity: 'maturity T',
    exerciseDates: 'exercise dates E',
    steps: 'time steps N',
    solver: 'solver preset',
  },
  cluster: {
    redisUrl: 'Redis URL',
    password: 'password',
  },
};

/** The book editor's column headers, by key. */
const ASSET_COLUMNS: Record<string, string> = { name: 'name', s0: 'S0', mu: 'μ /yr', sigma: 'σ /yr', q: 'q /yr' };
const OPTION_COLUMNS: Record<string, string> = {
  label: 'label',
  payoff: 'payoff',
  assets: 'assets',
  strike: 'strike K',
  strike2: 'upper u',
  maturity: 'T (y)',
  exercise: 'exercise',
  exerciseDates: 'exercise dates',
  quantity: 'quantity',
};

export interface LabelContext {
  /** Handler domain (`hedging`, `qlbs`, `semistatic`, `bsde`, `portfolio`, ...). */
  domain?: string;
  /** Asset names of the book being edited or solved, to say "S2" rather than "asset #2". */
  assetNames?: readonly string[];
}

const isIndex = (k: string | undefined): boolean => k !== undefined && /^\d+$/.test(k);

/**
 * The screen name of a field path, e.g. `assets.1.s0` -> "S0 of S2" (or "S0 of asset #2" without names),
 * `options.0.strike` -> "option #1 strike K", `correlation.0.1` -> "correlation (S1, S2)",
 * `trainPaths` -> "paths per epoch (training paths)". Unknown keys come back with dots as spaces.
 */
export function fieldLabel(path: string | readonly PropertyKey[], ctx: LabelContext = {}): string {
  const parts = (typeof path === 'string' ? path.split('.') : path.map(String)).filter((p) => p !== '');
  if (parts[0] === 'book') parts.shift();
  if (parts.length === 0) return 'request';
  const asset = (i: string) => ctx.assetNames?.[Number(i)] ?? `asset #${Number(i) + 1}`;
  const [head, a, b] = parts;
  if (head === 'assets' && isIndex(a)) return b ? `${ASSET_COLUMNS[b] ?? b} of ${asset(a!)}` : asset(a!);
  if (head === 'options' && isIndex(a)) {
    const who = `option #${Number(a) + 1}`;
    if (!b) return who;
    if (b === 'assets' && isIndex(parts[3])) return `${who} asset ${Number(parts[3]) + 1}`;
    return `${who} ${OPTION_COLUMNS[b] ?? b}`;
  }
  if (head === 'correlation') return isIndex(a) && isIndex(b) ? `correlation (${asset(a!)}, ${asset(b!)})` : isIndex(a) ? `correlation row of ${asset(a!)}` : 'correlation';
  if (head === 'rate' && (ctx.domain === 'portfolio' || ctx.domain === 'bsde')) return 'rate r';
  if (head === 'instruments' && a) return `hedge instruments ${a}`;
  const joined = parts.join('.');
  const table = ctx.domain ? BY_DOMAIN[ctx.domain] : undefined;
  const hit = table?.[joined] ?? COMMON[joined] ?? table?.[parts[parts.length - 1]!] ?? COMMON[parts[parts.length - 1]!];
  if (hit) return isIndex(parts[parts.length - 1]) ? `${hit} #${Number(parts[parts.length - 1]) + 1}` : hit;
  if (isIndex(parts[parts.length - 1]) && parts.length >= 2) {
    const base = fieldLabel(parts.slice(0, -1), ctx);
    return `${base} #${Number(parts[parts.length - 1]) + 1}`;
  }
  return parts.join(' ');
}

/**
 * A validation message with a leading internal key replaced by the field's label:
 * ("trainPaths must be a whole number", `trainPaths`) -> "paths per epoch (training paths) must be a whole number".
 */
export function labelMessage(message: string, path: string | readonly PropertyKey[], ctx: LabelContext = {}): string {
  const raw = (typeof path === 'string' ? path.split('.') : path.map(String)).filter((p) => p !== '');
  // Cells of a list (options.0.strike) already say which row in their label; their message names the column.
  if (raw.some(isIndex)) return message;
  const key = raw[raw.length - 1];
  if (!key || !new RegExp(`^${key} (must|is|should|needs) `).test(message)) return message;
  const label = fieldLabel(path, ctx);
  return label === key ? message : `${label}${message.slice(key.length)}`;
}
