import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { appError } from '../../../../src-shared/api/errors';
import { excerpt } from '../../../../src-shared/text/excerpt';

/**
 * Finding book files under a path: a single file, or a folder walked recursively (the competition's
 * `book_train.parquet/stock_id=N/<part>.parquet` partitions, or any folder of .parquet / .csv files). The stock
 * id comes from a `stock_id=N` folder or file name, or a file named like `stock_7.csv` / `stock-7.parquet`.
 */

export interface FoundFile {
  abs: string;
  /** Relative to the imported folder (the file name for a single file); shown in messages. */
  rel: string;
  format: 'parquet' | 'csv';
  bytes: number;
  stockId: number | null;
}

const MAX_FILES = 20_000;
const MAX_DEPTH = 8;
const CSV_EXT = new Set(['.csv', '.tsv', '.txt']);
const PARQUET_EXT = new Set(['.parquet', '.pq', '.parq']);

/** Stock id from a path: `stock_id=N` anywhere, else a file name `stock_N` / `stock-N` / `stockN`. */
export function stockIdFromPath(p: string): number | null {
  const m = /(?:^|[\\/])stock_id=(\d+)(?:[\\/.]|$)/i.exec(p);
  if (m) return Number(m[1]);
  const f = /^stock[_-]?(\d+)(?:\.|_|-|$)/i.exec(basename(p));
  return f ? Number(f[1]) : null;
}

async function sniffFormat(abs: string): Promise<'parquet' | 'csv'> {
  const fh = await open(abs, 'r');
  try {
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, 0);
    return b.toString('latin1') === 'PAR1' ? 'parquet' : 'csv';
  } finally {
    await fh.close();
  }
}

/** Why a file system call failed, in words (no absolute paths: the caller names the file). */
const fsReason = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'it does not exist (any more)' : code === 'ELOOP' ? 'too many symbolic links' : `it cannot be read (${code ?? 'error'})`;
};

/**
 * The book files at `path` (a file or a folder), sorted by stock id then path. `shown` is the path as the user
 * gave it, quoted (shortened) in messages; files inside are named relative to it. Symbolic links inside a
 * folder are not followed.
 */
export async function discover(path: string, shown: string = path): Promise<{ kind: 'file' | 'folder'; root: string; files: FoundFile[] }> {
  const root = resolve(path);
  const name = excerpt(shown, 80);
  let st;
  try {
    st = await stat(root);
  } catch {
    throw appError('not-found', 'PATH_NOT_FOUND', `no file or folder at ${name}; check the path (it is read on the machine running the workstation)`);
  }
  if (st.isFile()) {
    const ext = extname(root).toLowerCase();
    let format: 'parquet' | 'csv';
    try {
      format = PARQUET_EXT.has(ext) ? 'parquet' : CSV_EXT.has(ext) ? 'csv' : await sniffFormat(root);
    } catch (e) {
      throw appError('validation', 'UNREADABLE', `${name} cannot be read: ${fsReason(e)}`);
    }
    return { kind: 'file', root, files: [{ abs: root, rel: basename(root), format, bytes: st.size, stockId: stockIdFromPath(root) }] };
  }
  if (!st.isDirectory()) throw appError('validation', 'NOT_A_FILE', `${name} is neither a file nor a folder`);
  const files: FoundFile[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      const rel = relative(root, dir).split(sep).join('/');
      throw appError('validation', 'UNREADABLE', `the folder ${rel ? `${excerpt(rel, 80)} in ${name}` : name} cannot be read: ${fsReason(e)}; import a folder you can read`);
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue; // .crc, _SUCCESS, _metadata
      const abs = join(dir, e.name);
      if (e.isDirectory()) await walk(abs, depth + 1);
      else if (e.isFile()) {
        const ext = extname(e.name).toLowerCase();
        const format = PARQUET_EXT.has(ext) ? 'parquet' : CSV_EXT.has(ext) ? 'csv' : null;
        if (!format) continue;
        const rel = relative(root, abs).split(sep).join('/');
        files.push({ abs, rel, format, bytes: (await stat(abs)).size, stockId: stockIdFromPath(rel) });
        if (files.length > MAX_FILES) throw appError('validation', 'TOO_MANY_FILES', `${name} holds more than ${MAX_FILES} book files; import a smaller folder`);
      }
    }
  };
  await walk(root, 0);
  if (files.length === 0) throw appError('validation', 'NO_BOOK_FILES', `${name} holds no .parquet or .csv files`);
  files.sort((a, b) => (a.stockId ?? -1) - (b.stockId ?? -1) || a.rel.localeCompare(b.rel));
  return { kind: 'folder', root, files };
}

export interface FileHash {
  sha256: string;
  /** The file contains a `"` byte (CSV: quoted fields, so no parallel chunking). */
  hasQuotes: boolean;
}

/** sha256 of a file, read in 4 MB blocks; `onBytes` gets the bytes hashed so far. */
export async function hashFile(abs: string, onBytes?: (n: number) => void, shouldStop?: () => boolean): Promise<FileHash> {
  const fh = await open(abs, 'r');
  const h = createHash('sha256');
  const buf = Buffer.alloc(4 << 20);
  let pos = 0;
  let hasQuotes = false;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      h.update(chunk);
      if (!hasQuotes && chunk.includes(0x22)) hasQuotes = true;
      pos += bytesRead;
      onBytes?.(pos);
      if (shouldStop?.()) break;
    }
  } finally {
    await fh.close();
  }
  return { sha256: h.digest('hex'), hasQuotes };
}

/**
 * sha256 of a file read synchronously in 4 MB blocks: for a parser thread (csvTask.ts), so that hashing a big
 * input runs beside its parsing instead of before it. The same digest as {@link hashFile}.
 */
export function hashFileSync(abs: string): string {
  const fd = openSync(abs, 'r');
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(4 << 20);
  try {
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** The content hash of an import: the files' hashes with their stock ids, and the mapping used. */
export function datasetHash(files: Array<{ sha256: string; stockId: number }>, mapping: unknown): string {
  const parts = files.map((f) => `${f.sha256}:${f.stockId}`).sort();
  return createHash('sha256').update(JSON.stringify({ files: parts, mapping })).digest('hex');
}
