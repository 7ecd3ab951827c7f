import { describe, expect, it } from 'vitest';
import { draftStore, type DraftStorage } from '../../../src-renderer/forms/draftStore';
import { pickFields, switchSource } from '../../../src-renderer/forms/sourceValues';
import { valuesFromConfig } from '../../../src-renderer/features/hedging/formModel';

const FIELDS = ['sigma', 'days', 'steps', 'paths', 'testSigma'] as const;
/** A path set's own values (the numbers of the lookback run: σ 69.9 %, 0.0124 days). */
const PATH_SET = { sigma: '0.699', days: '0.0124', steps: '18', paths: '40', testSigma: '' };

describe('per-source form values', () => {
  it('restores GBM values after a path set filled the form (issue 12: a lookback ran at σ 69.9% over 0.0124 days)', () => {
    const gbm = { ...valuesFromConfig(), sigma: '0.25', days: '60' };
    const toSet = switchSource({ sets: {}, from: '', values: gbm, to: 'ps1', fields: FIELDS, initial: () => PATH_SET });
    expect(toSet.values).toMatchObject(PATH_SET);
    expect(toSet.values.model).toBe(gbm.model); // shared fields stay

    const back = switchSource({ sets: toSet.sets, from: 'ps1', values: { ...toSet.values, paths: '30' }, to: '', fields: FIELDS, initial: () => ({ sigma: 'x' }) });
    expect(back.values).toEqual(gbm);
    // ...and the path set kept the user's own edit.
    const again = switchSource({ sets: back.sets, from: '', values: back.values, to: 'ps1', fields: FIELDS, initial: () => PATH_SET });
    expect(again.values.paths).toBe('30');
    expect(again.values.sigma).toBe('0.699');
  });

  it('starts a source never visited from its initial values, keeping the current text where it has none', () => {
    const v = valuesFromConfig();
    const r = switchSource({ sets: {}, from: 'ps1', values: { ...v, sigma: '0.7' }, to: '', fields: FIELDS, initial: () => pickFields(valuesFromConfig(), ['sigma']) });
    expect(r.values.sigma).toBe(v.sigma);
    expect(r.values.days).toBe(v.days);
  });
});

function memoryStorage(): DraftStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

describe('draft store', () => {
  const parse = (v: unknown) => (typeof v === 'object' && v !== null && 'name' in v ? (v as { name: string }) : null);

  it('keeps a draft per key with its base version, and forgets it on remove', () => {
    const s = memoryStorage();
    const drafts = draftStore('book', parse, () => s);
    drafts.put('b1', { name: 'edited' }, 3);
    expect(drafts.get('b1')).toMatchObject({ value: { name: 'edited' }, baseVersion: 3 });
    expect(drafts.get('b2')).toBeNull();
    drafts.remove('b1');
    expect(drafts.get('b1')).toBeNull();
  });

  it('drops an entry that is not JSON or does not fit the shape', () => {
    const s = memoryStorage();
    const drafts = draftStore('book', parse, () => s);
    s.setItem('hw-draft:book:bad', '{oops');
    s.setItem('hw-draft:book:old', JSON.stringify({ value: { other: 1 }, savedAt: 1 }));
    expect(drafts.get('bad')).toBeNull();
    expect(drafts.get('old')).toBeNull();
    expect(s.map.size).toBe(0);
  });

  it('loses only the copy when storage refuses a write', () => {
    const drafts = draftStore('book', parse, () => ({
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    }));
    expect(() => drafts.put('b1', { name: 'x' }, null)).not.toThrow();
  });
});
