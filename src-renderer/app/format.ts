/**
 * Number and time formatting for the screens. Every risk figure is shown with the same number of
 * significant digits ({@link SIG_DIGITS}) so columns compare at a glance; tiny or huge values switch to
 * exponent notation rather than losing digits.
 */

export const SIG_DIGITS = 5;

/** `x` to {@link SIG_DIGITS} significant digits, e.g. 0.0123456 -> "0.012346", -1.5e-7 -> "-1.5000e-7". */
export function fmtSig(x: number | null | undefined, digits = SIG_DIGITS): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+∞' : '−∞';
  if (x === 0) return (0).toPrecision(digits);
  const ax = Math.abs(x);
  if (ax >= 1e-4 && ax < 1e7) return x.toPrecision(digits);
  return x.toExponential(digits - 1);
}

/** A plain compact number for settings (no padding zeros): 30 -> "30", 0.1 -> "0.1", 1/3 -> "0.333333". */
export function fmtPlain(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return String(Number(x.toPrecision(6)));
}

/** Integer with thousands separators: 100000 -> "100,000". */
export function fmtInt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return Math.round(x).toLocaleString('en-US');
}

/** A fraction as a percentage: 0.1 -> "10%" (up to `dp` decimals, trailing zeros dropped). */
export function fmtPct(x: number, dp = 2): string {
  return `${trimZeros((x * 100).toFixed(dp))}%`;
}

/** A proportional rate in basis points: 0.002 -> "20 bp". */
export function fmtBp(x: number): string {
  return `${trimZeros((x * 1e4).toFixed(2))} bp`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A duration for progress displays: 950 -> "0.9 s", 75_000 -> "1 min 15 s", 4_000_000 -> "1 h 06 min". */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m - h * 60).padStart(2, '0')} min`;
}

/** Wall time in seconds with 3 significant digits: 12345 -> "12.3". */
export function fmtSeconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return (ms / 1000).toPrecision(3);
}

/**
 * The one date-time format of every screen: local time, ISO order, to the minute — "2025-11-21 10:51".
 * (Seconds are noise in lists of runs; tooltips that need them use {@link fmtDateTimeSec}.)
 */
export function fmtDateTime(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return '—';
  const d = new Date(epochMs);
  return `${fmtDate(epochMs)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** {@link fmtDateTime} with seconds: "2025-11-21 10:51:03". */
export function fmtDateTimeSec(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return '—';
  return `${fmtDateTime(epochMs)}:${pad2(new Date(epochMs).getSeconds())}`;
}

/** The local calendar date, ISO: "2025-11-21". */
export function fmtDate(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return '—';
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
