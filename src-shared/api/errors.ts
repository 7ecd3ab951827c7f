/**
 * Errors that cross the process boundary (IPC or WebSocket) intact.
 *
 * `type` says whose fault it was (bad input, missing thing, a job that failed, our bug),
 * `code` is stable and machine-readable, `message` is written for the person at the screen.
 * Validation errors carry one entry per offending field so the UI can show each next to its input.
 */
/** `cancelled`: the caller (or a newer request of the same view) cancelled the work; nothing is wrong. */
export type AppErrorType = 'validation' | 'not-found' | 'conflict' | 'job' | 'protocol' | 'cancelled' | 'internal';

export interface FieldError {
  /** Dotted path of the field, e.g. `strike` or `runIds.0` (forms key their inputs on it). */
  field: string;
  /** The field as the screen names it, e.g. "option #1 strike K" for `options.0.strike` (src-shared/api/fieldLabels.ts). */
  label?: string;
  /** What was wrong and what is allowed, e.g. `must be > 0`. */
  message: string;
  /** The value that was rejected, as received (stringified when not JSON-safe). */
  value: unknown;
}

export interface AppError {
  type: AppErrorType;
  code: string;
  message: string;
  fields?: FieldError[];
}

/** An Error subclass that carries an AppError so handlers can `throw` it. */
export class AppFault extends Error {
  readonly appError: AppError;
  constructor(appError: AppError) {
    super(appError.message);
    this.name = 'AppFault';
    this.appError = appError;
  }
}

export const appError = (type: AppErrorType, code: string, message: string, fields?: FieldError[]): AppFault =>
  new AppFault(fields ? { type, code, message, fields } : { type, code, message });

export function isAppError(x: unknown): x is AppError {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as AppError).type === 'string' &&
    typeof (x as AppError).code === 'string' &&
    typeof (x as AppError).message === 'string'
  );
}

/** Turn anything thrown into an AppError; unknown errors become `internal` with their message kept. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppFault) return e.appError;
  if (isAppError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return { type: 'internal', code: 'INTERNAL', message };
}
