import { describe, expect, it } from 'vitest';
import { checkQlbsForm, parseNumber, qlbsServerErrors, qlbsValuesFromConfig } from '../../../src-renderer/features/qlbs/formModel';
import { DEFAULT_QLBS_CONFIG } from '../../../src-shared/qlbs/config';

describe('QLBS form model', () => {
  it('round-trips the reference setting into a valid request', () => {
    const v = qlbsValuesFromConfig();
    const c = checkQlbsForm(v);
    expect(c.errors).toEqual({});
    expect(c.config).toEqual({ ...DEFAULT_QLBS_CONFIG });
  });

  it('names the field and the typed value for bad numbers, blanks and cross-field rules', () => {
    const c = checkQlbsForm({ ...qlbsValuesFromConfig(), sigma: 'abc', paths: '', eta: '2' });
    expect(c.config).toBeNull();
    expect(c.errors).toEqual({ sigma: 'volatility σ must be a number (got "abc")', paths: 'paths N_MC is required', eta: 'noise band η must be <= 1 (got 2)' });
    // The cross-field rules are checked once every field is valid on its own.
    const x = checkQlbsForm({ ...qlbsValuesFromConfig(), fqiSteps: '5', basisSize: '3' });
    expect(x.errors.fqiSteps).toMatch(/FQI steps must divide steps = 24.*\(got 5\)/);
    expect(x.errors.basisSize).toMatch(/basis size M must be >= degree \+ 1 = 5.*\(got 3\)/);
  });

  it('ignores the FQI grid for DP-only runs, accepts 1_000 and 1e-3 spellings', () => {
    const c = checkQlbsForm({ ...qlbsValuesFromConfig(), method: 'dp', fqiSteps: '7', paths: '20_000', reg: '1e-3' });
    expect(c.errors).toEqual({});
    expect(c.config).toMatchObject({ paths: 20000, reg: 0.001 });
    expect(parseNumber(' 1 000 ')).toBe(1000);
    expect(parseNumber('1.2.3')).toBeNaN();
  });

  it('maps server field errors to form fields and keeps the rest', () => {
    const { byField, other } = qlbsServerErrors([
      { field: 'lambda', message: 'lambda must be >= 0', value: -1 },
      { field: 'values.2', message: 'mu = 3: mu must be <= 1', value: 3 },
    ]);
    expect(byField.lambda).toBe('lambda must be >= 0 (got -1)');
    expect(other).toEqual(['values.2: mu = 3: mu must be <= 1 (got 3)']);
  });
});
