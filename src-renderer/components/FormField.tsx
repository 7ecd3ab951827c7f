import { type ReactNode } from 'react';

interface Props {
  /** The field's name; the control inside has id `${prefix}field-${name}`, the error data-testid `${prefix}error-${name}`. */
  name: string;
  /** A feature's id prefix ('' for the hedging form, 'qlbs-', 'ss-'). */
  prefix: string;
  label: string;
  unit?: string;
  /** Shown in place of the hint, in red, when set. */
  error?: string;
  hint: ReactNode;
  /** Extra class on the row beside `field`. */
  className?: string;
  /** The control (input or select). */
  children: ReactNode;
}

/** One form row: label, the control with its unit, and the hint or the error under it. */
export function FormField({ name, prefix, label, unit, error, hint, className, children }: Props) {
  return (
    <div className={`field${className ? ` ${className}` : ''}${error ? ' field-invalid' : ''}`}>
      <label htmlFor={`${prefix}field-${name}`}>{label}</label>
      <div className="field-input">
        {children}
        {unit && <span className="field-unit">{unit}</span>}
      </div>
      {error ? (
        <div className="field-error" role="alert" data-testid={`${prefix}error-${name}`}>
          {error}
        </div>
      ) : (
        <div className="field-hint">{hint}</div>
      )}
    </div>
  );
}
