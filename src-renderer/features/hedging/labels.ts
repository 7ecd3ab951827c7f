import { type HEDGE_MODELS, type OPTION_TYPES } from '../../../src-shared/hedging/config';

/** Display names of the hedging models and options (the select lists grow as models arrive). */
export const MODEL_LABELS: Record<(typeof HEDGE_MODELS)[number], string> = {
  bsdh: 'BS delta (BSDH)',
  mlp: 'Deep hedging MLP (DHMLP)',
  ntb: 'No-transaction band (DHNTB)',
  dhlnn: 'Linearised band network (DHLNN)',
};

export const OPTION_LABELS: Record<(typeof OPTION_TYPES)[number], string> = {
  european: 'European call',
  lookback: 'Lookback call (fixed strike)',
};

export const modelLabel = (m: string): string => (MODEL_LABELS as Record<string, string>)[m] ?? m;
export const optionLabel = (o: string): string => (OPTION_LABELS as Record<string, string>)[o] ?? o;
/** Short names for grid cells. */
export const optionShort = (o: string): string => (o === 'european' ? 'Euro call' : o === 'lookback' ? 'Lookback call' : o);
const SHORT: Record<string, string> = { bsdh: 'BSDH', mlp: 'DHMLP', ntb: 'DHNTB', dhlnn: 'DHLNN' };
export const modelShort = (m: string): string => SHORT[m] ?? m.toUpperCase();
