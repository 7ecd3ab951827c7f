import { useState } from 'react';
import { type FieldError } from '../../src-shared/api/errors';
import { appErrorOf } from '../ipc/client';

/** Splits a rejected request's field errors into those shown at a form field and the rest (listed in the form error). */
export type SplitFieldErrors<F extends string> = (fields: FieldError[] | undefined) => { byField: Partial<Record<F, string>>; other: string[] };

export interface Submit<F extends string> {
  /** True while `submit`'s call is in flight. */
  busy: boolean;
  /** The last failure: the error message and the field errors no field shows, joined by ' · '. */
  formError: string | null;
  /** The last failure's field errors that a field shows. */
  serverErrors: Partial<Record<F, string>>;
  /** Run `fn` (the call that starts a job, and what follows it) unless one is in flight; a throw becomes formError/serverErrors. */
  submit(fn: () => Promise<void>): Promise<void>;
  /** Forget the form error and every server field error. */
  clearErrors(): void;
  /** Forget the form error and `field`'s server error (the user edited it). */
  clearField(field: F): void;
  setFormError(message: string | null): void;
}

/**
 * The "start a job from a form" plumbing: busy flag, form error and server field errors around one call.
 * `split` maps the error's fields onto form fields (none without it); `onFieldErrors` also receives them
 * (for a form whose fields live in a parent).
 */
export function useSubmit<F extends string = string>(split?: SplitFieldErrors<F>, onFieldErrors?: (byField: Partial<Record<F, string>>) => void): Submit<F> {
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<Partial<Record<F, string>>>({});

  const submit = async (fn: () => Promise<void>): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setFormError(null);
    try {
      await fn();
    } catch (e) {
      const err = appErrorOf(e);
      const { byField, other } = split ? split(err.fields) : { byField: {}, other: [] };
      setServerErrors(byField);
      onFieldErrors?.(byField);
      setFormError([err.message, ...other].join(' · '));
    } finally {
      setBusy(false);
    }
  };
  const clearErrors = (): void => {
    setServerErrors({});
    setFormError(null);
  };
  const clearField = (field: F): void => {
    setServerErrors((e) => {
      if (!e[field]) return e;
      const next = { ...e };
      delete next[field];
      return next;
    });
    setFormError(null);
  };
  return { busy, formError, serverErrors, submit, clearErrors, clearField, setFormError };
}
