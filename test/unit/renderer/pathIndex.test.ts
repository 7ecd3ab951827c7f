import { describe, expect, it } from 'vitest';
import { pathIndexError } from '../../../src-renderer/features/rebalance/pathIndex';

describe('pathIndexError (schedule path picker of both hedge panels)', () => {
  it('accepts empty text and whole numbers 0 .. paths - 1', () => {
    expect(pathIndexError('', 4096)).toBeNull();
    expect(pathIndexError('  ', 4096)).toBeNull();
    expect(pathIndexError('0', 4096)).toBeNull();
    expect(pathIndexError('4095', 4096)).toBeNull();
  });
  it('names the valid range for out-of-range, negative and fractional input', () => {
    expect(pathIndexError('4096', 4096)).toBe('path must be a whole number 0 – 4,095');
    expect(pathIndexError('-1', 4096)).toMatch(/^path must be a whole number 0 – /);
    expect(pathIndexError('1.5', 4096)).toMatch(/^path must be a whole number/);
    expect(pathIndexError('abc', 10)).toBe('path must be a whole number 0 – 9');
  });
});
