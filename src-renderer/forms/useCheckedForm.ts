import { type DefaultValues, type FieldValues, type Path, type PathValue, type UseFormReturn, useForm, useWatch } from 'react-hook-form';
import { labelMessage } from '../../src-shared/api/fieldLabels';
import { type SplitFieldErrors, type Submit, useSubmit } from '../hooks/useSubmit';

/** A form's validation: the request when every field is valid, and a message per invalid field. */
export interface FormCheck<V, R> {
  config: R | null;
  errors: Partial<Record<keyof V & string, string>>;
}

export interface CheckedForm<V extends FieldValues, R> extends Omit<Submit<keyof V & string>, 'clearField'> {
  /** react-hook-form's handle (values, dirty state, reset). */
  form: UseFormReturn<V>;
  /** The current values (re-renders on change). */
  values: V;
  /** `check(values)`, recomputed on every change: errors show as the user types. */
  check: FormCheck<V, R>;
  /** The field's error: the form's own check first, else the server's answer to the last submit. */
  errorOf(field: keyof V & string): string | undefined;
  /** Type into a field (marks it dirty and forgets its server error). */
  set<F extends Path<V>>(field: F, value: PathValue<V, F>): void;
  /** True once any field differs from the values the form was last reset to. */
  dirty: boolean;
}

/**
 * The form kit: values and dirty state in react-hook-form, validation by `check` — a function of the form's
 * text built on the shared zod schema the main process validates with, so both agree and messages name the
 * field and the rejected value as the screen shows them — and the start plumbing of useSubmit (busy flag,
 * server field errors shown at their fields, the rest as the form error).
 */
export function useCheckedForm<V extends FieldValues, R>(opts: {
  defaults: DefaultValues<V>;
  check(values: V): FormCheck<V, R>;
  split?: SplitFieldErrors<keyof V & string>;
  /** Handler domain (`hedging`, ...): a check message that starts with the field's key names it as the screen does ("volatility σ must be > 0"). */
  domain?: string;
}): CheckedForm<V, R> {
  const form = useForm<V>({ defaultValues: opts.defaults });
  const values = useWatch({ control: form.control }) as V;
  const { clearField, ...submit } = useSubmit<keyof V & string>(opts.split);
  const check = opts.check(values);
  return {
    ...submit,
    form,
    values,
    check,
    errorOf: (f) => {
      const own = check.errors[f];
      return own !== undefined ? labelMessage(own, f, { domain: opts.domain }) : submit.serverErrors[f];
    },
    set: (field, value) => {
      form.setValue(field, value, { shouldDirty: true });
      clearField(field as keyof V & string);
    },
    dirty: form.formState.isDirty,
  };
}
