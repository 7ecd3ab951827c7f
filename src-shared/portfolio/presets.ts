import { type Asset, type BookContent, type BookOption } from './book';

/**
 * The books the source reports (spec portfolio-bsde.md, "Presets the source reports"), as ready books.
 *
 * - B1: one geometric-basket call on all d assets; European or Bermudan with E equidistant dates;
 *   sigma 0.25, rho 0.75, S_0 = K = 100, r = 0, q = 0.02, mu = 0.04, T = 1.
 * - B2: the B1 market with d = 10 and three geometric calls K = 90, 100, 110 (ITM/ATM/OTM) in one book.
 * - B3: the B1 book with every sigma set to 0.1, 0.25 or 0.4 (OSM versus RDBDP Deltas).
 * - B4: d + 5 options on d assets (20 in the source, 10 for a quick run), sigma cycling 0.4, 0.25, 0.2, 0.15,
 *   0.1, mu from 0.20 down by 0.01, r = 0.04, q = 0, rho = 0.25, S_0 = K = 100, T = 1: geometric put (K, all),
 *   arithmetic put (1.2K, first half), call on the max (0.8K, second half), cash-or-nothing on [0.5K, 1.5K]
 *   (all), put on the min (0.5K, second half), d single-asset calls (1.5K).
 *   Case 1: every strike K, European. Case 2: those strikes, monthly Bermudan (12 dates). Case 3: those
 *   strikes, exercise rights cycling European, 2, 4, 12 dates over the options (source: "varying early exercise
 *   rights"; dates chosen so they lie on any grid with N a multiple of 12).
 */
export const PRESET_IDS = ['B1', 'B2', 'B3', 'B4'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export interface PresetOptions {
  /** Number of assets d (default: 5 for B1, 10 for B2-B4). */
  assets?: number;
  /** B1: exercise dates (1 = European, 12, 52, 120). */
  exerciseDates?: number;
  /** B3: the common volatility (0.1, 0.25 or 0.4). */
  sigma?: number;
  /** B4: case 1, 2 or 3. */
  case?: 1 | 2 | 3;
}

const K = 100;

function equicorrelation(d: number, rho: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : rho)));
}

const assetName = (i: number): string => `S${i + 1}`;

function b1Market(d: number, sigma = 0.25): { assets: Asset[]; correlation: number[][]; rate: number } {
  return {
    assets: Array.from({ length: d }, (_, i) => ({ name: assetName(i), s0: 100, mu: 0.04, sigma, q: 0.02 })),
    correlation: equicorrelation(d, 0.75),
    rate: 0,
  };
}

/** An option with the defaults of the presets (European, maturity 1, quantity 1, no label). */
export const bookOption = (o: Partial<BookOption> & Pick<BookOption, 'payoff' | 'assets' | 'strike'>): BookOption => ({
  label: '',
  strike2: null,
  maturity: 1,
  exercise: 'european',
  exerciseDates: 1,
  quantity: 1,
  ...o,
});

/** Build a preset book. Throws on an unknown id or a size outside 1..50. */
export function presetBook(id: PresetId, o: PresetOptions = {}): BookContent {
  const d = o.assets ?? (id === 'B1' ? 5 : 10);
  if (!Number.isInteger(d) || d < 1 || d > 50) throw new Error(`assets must be a whole number in 1..50, got ${d}`);
  const all = Array.from({ length: d }, (_, i) => assetName(i));
  switch (id) {
    case 'B1': {
      const E = o.exerciseDates ?? 1;
      const berm = E > 1;
      return {
        name: `B1 · geometric call · d=${d} · ${berm ? `Bermudan ${E} dates` : 'European'}`,
        ...b1Market(d),
        options: [bookOption({ label: 'geometric call ATM', payoff: 'geometric-call', assets: all, strike: K, exercise: berm ? 'bermudan' : 'european', exerciseDates: berm ? E : 1 })],
      };
    }
    case 'B2':
      return {
        name: `B2 · moneyness K=90/100/110 · d=${d}`,
        ...b1Market(d),
        options: [90, 100, 110].map((k) => bookOption({ label: `geometric call K=${k} (${k < 100 ? 'ITM' : k > 100 ? 'OTM' : 'ATM'})`, payoff: 'geometric-call', assets: all, strike: k })),
      };
    case 'B3': {
      const sigma = o.sigma ?? 0.4;
      return {
        name: `B3 · sigma=${sigma} · d=${d}`,
        ...b1Market(d, sigma),
        options: [bookOption({ label: `geometric call σ=${sigma}`, payoff: 'geometric-call', assets: all, strike: K })],
      };
    }
    case 'B4': {
      const c = o.case ?? 1;
      const vols = [0.4, 0.25, 0.2, 0.15, 0.1];
      const assets: Asset[] = all.map((name, i) => ({ name, s0: 100, mu: Math.round((0.2 - 0.01 * i) * 1e6) / 1e6, sigma: vols[i % vols.length], q: 0 }));
      const half = Math.max(1, Math.floor(d / 2));
      const first = all.slice(0, half);
      const second = d > 1 ? all.slice(half) : all;
      const m = (x: number): number => (c === 1 ? K : x * K);
      const list: BookOption[] = [
        bookOption({ label: 'geometric put', payoff: 'geometric-put', assets: all, strike: K }),
        bookOption({ label: 'arithmetic put (first half)', payoff: 'arithmetic-put', assets: first, strike: m(1.2) }),
        bookOption({ label: 'call on max (second half)', payoff: 'max-call', assets: second, strike: m(0.8) }),
        bookOption({ label: 'cash-or-nothing [0.5K, 1.5K]', payoff: 'cash-or-nothing', assets: all, strike: 0.5 * K, strike2: 1.5 * K }),
        bookOption({ label: 'put on min (second half)', payoff: 'min-put', assets: second, strike: m(0.5) }),
        ...all.map((a) => bookOption({ label: `call ${a}`, payoff: 'call', assets: [a], strike: m(1.5) })),
      ];
      const cycle = [1, 2, 4, 12];
      const options = list.map((op, j) => {
        const E = c === 1 ? 1 : c === 2 ? 12 : cycle[j % cycle.length];
        return { ...op, exercise: E > 1 ? ('bermudan' as const) : ('european' as const), exerciseDates: E };
      });
      return { name: `B4 · case ${c} · ${d + 5} options · d=${d}`, assets, correlation: equicorrelation(d, 0.25), rate: 0.04, options };
    }
  }
}

/** The preset books seeded into a fresh store (CPU-friendly sizes; the CLI builds other sizes). */
export const SEEDED_PRESETS: Array<{ id: PresetId; options: PresetOptions }> = [
  { id: 'B1', options: { assets: 5 } },
  { id: 'B1', options: { assets: 5, exerciseDates: 12 } },
  { id: 'B2', options: { assets: 10 } },
  { id: 'B3', options: { assets: 10, sigma: 0.1 } },
  { id: 'B3', options: { assets: 10, sigma: 0.25 } },
  { id: 'B3', options: { assets: 10, sigma: 0.4 } },
  { id: 'B4', options: { assets: 10, case: 1 } },
  { id: 'B4', options: { assets: 10, case: 2 } },
  { id: 'B4', options: { assets: 10, case: 3 } },
];
