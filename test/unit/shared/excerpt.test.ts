import { describe, expect, it } from 'vitest';
import { excerpt, excerptList } from '../../../src-shared/text/excerpt';

describe('excerpt: a bounded, delimited quotation for error messages', () => {
  it('quotes short text whole', () => {
    expect(excerpt('bid_price1')).toBe('"bid_price1"');
  });
  it('cuts long text to 40 characters inside the quotes, with …', () => {
    const e = excerpt('x'.repeat(100_000));
    expect(e).toBe(`"${'x'.repeat(39)}…"`);
    expect(Array.from(e.slice(1, -1)).length).toBe(40);
  });
  it('escapes quotes, NUL and line breaks so the quotation cannot be confused with the message', () => {
    expect(excerpt('a"b\0c\nd')).toBe('"a\\"b\\u0000c\\nd"');
  });
  it('lists at most 12 cells', () => {
    const cells = Array.from({ length: 5000 }, (_, i) => `col${i}`.padEnd(300, 'z'));
    const s = excerptList(cells);
    expect(s.endsWith('and 4988 more')).toBe(true);
    expect(s.length).toBeLessThan(12 * 45 + 20);
  });
});
