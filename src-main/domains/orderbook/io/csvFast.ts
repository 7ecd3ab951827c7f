import { type ConvertSpec, type ConvertedChunk, type makeRecordConverter } from './csvConvert';

/**
 * The fast path of the parallel CSV reader: one chunk of whole lines of a file WITHOUT quotes, split into cells
 * by uDSV (`udsv`, about 0.2 us per 55-byte book row against about 3 us for csv-parse) and converted to numbers
 * by the same record converter as the csv-parse path (csvConvert.ts), so values, flags and messages are
 * identical.
 *
 * uDSV's unquoted path assumes well-formed rows: it does not count cells per line, silently skips blank lines
 * and, on a row with fewer cells than the header, reads on into the next line. So every chunk is checked, and
 * the function returns null (the caller then parses the chunk with csv-parse, which reports blank lines and
 * wrong cell counts with their lines) unless ALL of these hold:
 * - rows === lines (no blank line skipped, no row spanning two lines);
 * - sum over rows of (cell lengths + width) === text length (every character read exactly once: rules out
 *   uDSV re-reading the chunk from its start when a short last line runs out of delimiters);
 * - the last cell of every row holds no delimiter (no row with more cells than the header).
 * Together these mean every line has exactly `width` cells, so row i is line i of the chunk.
 *
 * Runs on the parser threads (csvTask.ts); uDSV's `initParser` and the converter factory are passed in
 * (so this stays pure and testable with other parsers).
 */

/** The parts of uDSV's `initParser` result used here (see node_modules/udsv/dist/uDSV.d.ts). */
export interface UdsvParser {
  stringArrs(csv: string, onData?: (row: string[]) => void | boolean): unknown;
}
export type UdsvInit = (schema: {
  col: string;
  row: string;
  encl: string;
  esc: string;
  trim: boolean;
  skip: number;
  cols: Array<{ name: string; type: 's'; repl: { empty: unknown; null: unknown; NaN: unknown } }>;
}) => UdsvParser;

/**
 * Parse `text` (whole lines; a missing final line break is allowed) into a converted chunk, or return null when
 * the chunk is not a plain grid of `spec.width` cells per line (see above).
 *
 * @param initParser uDSV's `initParser`
 * @param makeConverter csvConvert.ts `makeRecordConverter`
 * @param text the chunk, decoded (UTF-8)
 * @param spec columns to convert and the header's cell count
 * @param delimiter the file's cell delimiter (one character)
 * @param capacity rows expected (a hint)
 */
export function parseChunkUdsv(
  initParser: UdsvInit,
  makeConverter: typeof makeRecordConverter,
  text: string,
  spec: ConvertSpec,
  delimiter: string,
  capacity: number,
): ConvertedChunk | null {
  const width = spec.width;
  if (width < 2 || delimiter.length !== 1) return null;
  if (text.length > 0 && text.charCodeAt(text.length - 1) !== 10) text += '\n';
  let lines = 0;
  for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) lines++;
  const cols = [];
  for (let c = 0; c < width; c++) cols.push({ name: String(c), type: 's' as const, repl: { empty: undefined, null: undefined, NaN: undefined } });
  const parser = initParser({ col: delimiter, row: '\n', encl: '', esc: '', trim: false, skip: 0, cols });
  const conv = makeConverter(spec, capacity);
  const last = width - 1;
  let rows = 0;
  let chars = 0;
  let ok = true;
  parser.stringArrs(text, (rec) => {
    if (++rows > lines) {
      ok = false;
      return false; // uDSV went back to the start of the chunk: stop it
    }
    let len = width;
    for (let c = 0; c < width; c++) len += rec[c].length;
    chars += len;
    if (rec[last].indexOf(delimiter) !== -1) {
      ok = false;
      return false;
    }
    conv.push(rec);
  });
  if (!ok || rows !== lines || chars !== text.length) return null;
  return conv.finish();
}
