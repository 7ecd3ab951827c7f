import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Chunks of whole lines read by the parser threads themselves (the LOBSTER pair, issue 15): the reader only
 * hands out byte windows, so no chunk's bytes pass through the job thread (no 1 MB buffer per chunk to allocate,
 * fill and move to a thread, which cost the job thread its reads and most of its garbage collection).
 *
 * The chunks are exactly those csvReader.ts's parallelChunks cuts: windows of `CHUNK_BYTES` from the first data
 * byte, window k = [first + k C, first + (k + 1) C) clipped to the file, and a chunk holds the lines whose line
 * break falls in its window (from just after the last line break before the window to just after the last one
 * in it); then a last chunk with a final line without a line break, if any. A line longer than a window
 * belongs to the window of its line break; the windows before that give no lines.
 */

const LOOK_BACK = 64 << 10;

/** One window of a file to read as a chunk of whole lines. */
export interface LineWindow {
  path: string;
  /** First data byte of the file (after a BOM / header) and the file's size. */
  first: number;
  size: number;
  /** The window [start, end); `tail`: the final line without a line break (start = end = size). */
  start: number;
  end: number;
  tail: boolean;
}

/** The windows of a file, in order (see the module's note). */
export function* lineWindows(path: string, first: number, size: number, chunkBytes: number): Generator<LineWindow> {
  let start = first;
  while (start < size) {
    const end = Math.min(size, start + chunkBytes);
    yield { path, first, size, start, end, tail: false };
    start = end;
  }
  yield { path, first, size, start: size, end: size, tail: true };
}

/** 1 + the position of the last line break before `pos` (not before `floor`), or `floor` when there is none. */
function lineStartBefore(fd: number, pos: number, floor: number, scratch: Buffer): number {
  let hi = pos;
  while (hi > floor) {
    const lo = Math.max(floor, hi - scratch.length);
    const n = readFully(fd, scratch, hi - lo, lo);
    const nl = scratch.subarray(0, n).lastIndexOf(10);
    if (nl >= 0) return lo + nl + 1;
    hi = lo;
  }
  return floor;
}

/** Read `length` bytes at `position` (fewer only at the end of the file). */
export function readFully(fd: number, buf: Uint8Array, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

let scratch: Buffer | null = null;
let big: Buffer | null = null;

/**
 * Read the chunk of one window on this thread: its bytes (a view on a buffer reused by the next call: parse it
 * before reading another) and where they sit in the file.
 */
export function readLineWindow(w: LineWindow): { bytes: Uint8Array; start: number; end: number } {
  scratch ??= Buffer.allocUnsafe(LOOK_BACK);
  const fd = openSync(w.path, 'r');
  try {
    const a = w.start <= w.first ? w.first : lineStartBefore(fd, w.start, w.first, scratch);
    const b = w.tail ? w.size : Math.max(a, lineStartBefore(fd, w.end, a, scratch));
    const len = b - a;
    if (big === null || big.length < len) big = Buffer.allocUnsafe(Math.max(len, 1 << 20) + (64 << 10));
    const n = readFully(fd, big, len, a);
    if (n !== len) throw new Error(`${w.path} became shorter while it was being imported; import it again once it is complete`);
    return { bytes: new Uint8Array(big.buffer, big.byteOffset, len), start: a, end: b };
  } finally {
    closeSync(fd);
  }
}
