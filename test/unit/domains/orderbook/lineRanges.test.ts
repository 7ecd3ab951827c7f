import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ConvertedChunk } from '../../../../src-main/domains/orderbook/io/csvConvert';
import { type CsvHead, parallelChunks, parallelWindows } from '../../../../src-main/domains/orderbook/io/csvReader';
import { readLineWindow } from '../../../../src-main/domains/orderbook/io/lineRanges';
import { tempDir } from '../../../helpers/tmp';

/**
 * Chunks read by the parser threads themselves (lineRanges.ts, csvReader.ts parallelWindows) are exactly the
 * chunks the job thread cuts when it reads the file (parallelChunks): same byte ranges, same lines, in order,
 * for short lines, a line longer than a chunk (1 MB), a header, CRLF, and a last line without a line break.
 */

const countLines = (b: Uint8Array): number => {
  let n = 0;
  for (const x of b) if (x === 10) n++;
  return b.length > 0 && b[b.length - 1] !== 10 ? n + 1 : n;
};
const chunkOf = (bytes: Uint8Array, range?: { start: number; end: number }): ConvertedChunk => {
  const lines = countLines(bytes);
  return { n: lines, lines, values: new Float64Array(0), flags: null, issues: [], rowLines: null, range, via: 'bytes', compact: undefined };
};

async function placed(gen: AsyncGenerator<{ chunk: ConvertedChunk; firstRow: number; start: number; end: number }>) {
  const out: Array<[number, number, number, number]> = [];
  for await (const c of gen) out.push([c.start, c.end, c.firstRow, c.chunk.lines]);
  return out;
}

describe('chunks read on the parser threads', () => {
  const dir = tempDir('hw-line-ranges-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cases: Array<[string, string, number]> = [
    ['short lines, a final line break', Array.from({ length: 300_000 }, (_, i) => `${i},${i * 7},${'x'.repeat(i % 17)}`).join('\n') + '\n', 0],
    ['a line longer than a chunk, no final line break', `a,b\n${'1,2\n'.repeat(200_000)}${'9'.repeat(1_500_000)}\n${'3,4\r\n'.repeat(300_000)}5,6`, 4],
    ['a header and a line break exactly at a window end', `h1,h2\n${'7'.repeat((1 << 20) - 1)}\n${'8,9\n'.repeat(1000)}`, 6],
  ];
  for (const [name, text, headerBytes] of cases) {
    it(name, async () => {
      const path = join(dir, `${name.length}.csv`);
      writeFileSync(path, text);
      const head = { columns: [], delimiter: ',', headerBytes, sample: [], hasHeader: headerBytes > 0, firstRow: [] } as CsvHead;
      const old = await placed(parallelChunks(path, head, async (bytes) => chunkOf(bytes), 2));
      const now = await placed(parallelWindows(path, head, async (w) => {
        const r = readLineWindow(w);
        return chunkOf(r.bytes, { start: r.start, end: r.end });
      }, 2));
      expect(old.length).toBeGreaterThanOrEqual(2);
      expect(now.filter((c) => c[3] > 0)).toEqual(old.filter((c) => c[3] > 0));
      // Every line is in exactly one chunk.
      expect(now.reduce((a, c) => a + c[3], 0)).toBe(countLines(Buffer.from(text).subarray(headerBytes)));
    });
  }
});
