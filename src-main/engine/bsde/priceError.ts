import { type PriceErrorEstimate } from '../../../src-shared/bsde/result';

/**
 * The price error shown beside a learned price (see `PriceErrorEstimate`): the regression standard error of
 * the t = 0 fit is not the price's error — the deep-BSDE solver's bias has been 10–73 of them on books with a
 * closed form (B1 d = 5: 7.5260 +- 0.0017 against 7.551549). So each row gets
 *
 *   reference:   e_j = |p_j - ref_j|                         (measured; exact up to the reference's own error)
 *   calibrated:  e_j = k se_j,  k = max_{i with ref} |p_i - ref_i| / se_i  (at least 1)
 *   book:        |P - P_ref| when every option has a reference, else sum_j |n_j| e_j (triangle inequality)
 *
 * The calibration assumes the rows without a reference are learned about as well, in units of their own
 * regression s.e., as the worst row with one in the same solve; it is labelled as such wherever shown.
 */
export interface PricedRow {
  price: number;
  priceStdErr: number;
  quantity: number;
  reference: { price: number; method: string } | null;
}

const fmt = (x: number): string => Number(x.toPrecision(3)).toString();

/** Estimates for every option row (same order) and for the book. */
export function priceErrorEstimates(
  options: PricedRow[],
  book: { price: number; reference: { price: number; method: string } | null },
): { options: PriceErrorEstimate[]; book: PriceErrorEstimate } {
  const referenced = options.filter((o) => o.reference);
  const ratios = referenced.map((o) => Math.abs(o.price - o.reference!.price) / o.priceStdErr).filter((r) => Number.isFinite(r));
  const k = ratios.length > 0 ? Math.max(1, ...ratios) : null;
  const rows: PriceErrorEstimate[] = options.map((o) => {
    if (o.reference) {
      const gap = Math.abs(o.price - o.reference.price);
      return { kind: 'reference', value: gap, note: `measured gap to the ${o.reference.method} (${fmt(gap / o.priceStdErr)}× the regression s.e.)` };
    }
    if (k !== null) {
      return {
        kind: 'calibrated',
        value: k * o.priceStdErr,
        note: `no reference: ${fmt(k)}× its regression s.e., the worst gap/s.e. among this solve's options with a reference`,
      };
    }
    return { kind: 'none', value: null, note: 'not estimated: no option of this book has a reference, and the regression s.e. excludes the solver bias' };
  });
  let bookEst: PriceErrorEstimate;
  if (book.reference) {
    bookEst = { kind: 'reference', value: Math.abs(book.price - book.reference.price), note: `measured gap to the ${book.reference.method}` };
  } else if (rows.every((r) => r.value !== null)) {
    const sum = rows.reduce((s, r, j) => s + Math.abs(options[j].quantity) * r.value!, 0);
    bookEst = { kind: 'calibrated', value: sum, note: 'bound Σ |n_j| × the options’ error figures (measured or calibrated)' };
  } else {
    bookEst = { kind: 'none', value: null, note: 'not estimated: no option of this book has a reference, and the regression s.e. excludes the solver bias' };
  }
  return { options: rows, book: bookEst };
}

/**
 * Spread of one figure over independent solves that differ only in the seed (network initialisation and
 * every simulated sample): mean, sample standard deviation (n - 1) and the standard error of the mean
 * std / sqrt(n). The std covers the solver's seed-to-seed variability (training noise, the t = 0 regression);
 * a bias common to every seed (time step, network size) is not in it.
 * @param values one figure (money) per seed, at least 2.
 */
export function seedSpread(values: number[]): { seeds: number; mean: number; std: number; stdErrOfMean: number } {
  const n = values.length;
  if (n < 2) throw new Error('seedSpread needs at least 2 solves');
  const mean = values.reduce((s, x) => s + x, 0) / n;
  const std = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  return { seeds: n, mean, std, stdErrOfMean: std / Math.sqrt(n) };
}
