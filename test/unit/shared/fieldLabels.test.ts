import { describe, expect, it } from 'vitest';
import { fieldLabel, labelMessage } from '../../../src-shared/api/fieldLabels';
import { type AppError } from '../../../src-shared/api/errors';
import { presetBook } from '../../../src-shared/portfolio/presets';
import { type HandlerTable } from '../../../src-shared/api/handlers';
import { dispatch } from '../../../src-main/host/dispatch';
import { cellDisplay, validateDraft } from '../../../src-renderer/features/portfolio/draft';

describe('one mapper from validation paths to the names the screens use', () => {
  it('names book cells as the editor does', () => {
    expect(fieldLabel('assets.1.s0', { assetNames: ['S1', 'S2'] })).toBe('S0 of S2');
    expect(fieldLabel('assets.1.s0')).toBe('S0 of asset #2');
    expect(fieldLabel('book.options.0.strike')).toBe('option #1 strike K');
    expect(fieldLabel(['correlation', 0, 1], { assetNames: ['S1', 'S2'] })).toBe('correlation (S1, S2)');
  });

  it('names form fields per tab', () => {
    expect(fieldLabel('trainPaths', { domain: 'hedging' })).toBe('paths per epoch (training paths)');
    expect(fieldLabel('steps', { domain: 'qlbs' })).toBe('DP steps N');
    expect(fieldLabel('steps', { domain: 'bsde' })).toBe('time steps N');
    expect(labelMessage('trainPaths must be a whole number', ['trainPaths'], { domain: 'hedging' })).toBe('paths per epoch (training paths) must be a whole number');
  });

  it('a rejected request names the field as the screen does, never the internal key', async () => {
    const noHandlers = {} as HandlerTable;
    const book = presetBook('B1', { assets: 2 });
    book.assets[1] = { ...book.assets[1]!, s0: -5 };
    book.options[0] = { ...book.options[0]!, strike: 0 };
    const r = await dispatch(noHandlers, 1, 'portfolio-save', { bookId: null, baseVersion: null, book });
    expect(r.ok).toBe(false);
    const err = (r as { error: AppError }).error;
    expect(err.message).toContain('S0 of S2: S0 must be > 0');
    expect(err.message).toContain('option #1 strike K: strike must be > 0');
    expect(err.message).not.toMatch(/assets\.1\.s0|options\.0\.strike/);
    // forms still find their input by key
    expect(err.fields?.map((f) => f.field)).toEqual(expect.arrayContaining(['book.assets.1.s0', 'book.options.0.strike']));

    const h = await dispatch(noHandlers, 2, 'hedging-start', { model: 'mlp', option: 'european', strike: 1, sigma: 0.2, drift: 0, days: 30, steps: 30, cost: 0, paths: 1000, seed: 1, epochs: 2, trainPaths: 10.5, learningRate: 1e-3, monitorPaths: 100 });
    expect(h.ok).toBe(false);
    const he = (h as { error: AppError }).error;
    expect(he.message).toContain('paths per epoch (training paths)');
    expect(he.message).not.toContain('trainPaths');
  });
});

describe('an emptied numeric cell shows the field error, not NaN', () => {
  it('the S0 cell emptied in the editor shows "S0 must be a number"', () => {
    const book = presetBook('B1', { assets: 2 });
    book.assets[0] = { ...book.assets[0]!, s0: Number.NaN };
    const issues = validateDraft(book).filter((i) => i.path === 'assets.0.s0').map((i) => i.message);
    expect(issues.length).toBeGreaterThan(0);
    const shown = cellDisplay(Number.NaN, 'NaN', issues);
    expect(shown).not.toContain('NaN');
    expect(shown).toBe(issues[0]);
    expect(shown).toMatch(/S0/);
    expect(cellDisplay(100, '100', undefined)).toBe('100');
  });
});
