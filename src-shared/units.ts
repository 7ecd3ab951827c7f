/**
 * Branded units. A number typed `Vol` is an annualised volatility (0.1 = 10%/yr), `YearFrac` a time in
 * years, `Money` an amount in units of the underlying's initial price (P_0 = 1), `Rate` a proportional
 * cost or interest rate (0.002 = 20 bp). Brands cost nothing at run time; they stop a volatility being
 * passed where a time is expected.
 */
export type Vol = number & { readonly __unit: 'vol' };
export type YearFrac = number & { readonly __unit: 'yearfrac' };
export type Money = number & { readonly __unit: 'money' };
export type Rate = number & { readonly __unit: 'rate' };

export const DAYS_PER_YEAR = 365;

export const vol = (x: number): Vol => x as Vol;
export const yearFrac = (x: number): YearFrac => x as YearFrac;
export const money = (x: number): Money => x as Money;
export const rate = (x: number): Rate => x as Rate;

/** Calendar days to a year fraction on the source's 365-day convention. */
export const daysToYears = (days: number): YearFrac => (days / DAYS_PER_YEAR) as YearFrac;
