import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { appError } from '../../../src-shared/api/errors';
import { MAX_UPLOAD_BYTES } from '../../../src-shared/orderbook/contract';

/**
 * Files uploaded through the browser (browser mode has no native file dialog): saved under
 * `<dataDir>/orderbook-uploads/<uuid>/<name>`, then inspected and imported by path like any other file.
 * An upload is removed once imported; uploads older than a day are swept on the next upload.
 */

const DAY_MS = 24 * 3600 * 1000;

export const uploadsDir = (dataDir: string): string => join(dataDir, 'orderbook-uploads');

export function saveUpload(dataDir: string, name: string, dataBase64: string): { path: string; bytes: number } {
  const bytes = Buffer.from(dataBase64, 'base64');
  if (bytes.length === 0) throw appError('validation', 'EMPTY_UPLOAD', `${name} is empty (0 bytes)`, [{ field: 'dataBase64', message: 'the file is empty', value: name }]);
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw appError('validation', 'UPLOAD_TOO_BIG', `${name} is ${bytes.length} bytes; uploads are limited to ${MAX_UPLOAD_BYTES} bytes, import bigger files by path`);
  }
  sweep(dataDir);
  const dir = join(uploadsDir(dataDir), randomUUID());
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes: bytes.length };
}

/** True when `p` is inside the uploads folder. */
export function isUploadPath(dataDir: string, p: string): boolean {
  const rel = relative(uploadsDir(dataDir), resolve(p));
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}

/** Delete an uploaded file's folder (no-op for any other path). */
export function removeUpload(dataDir: string, p: string): void {
  if (!isUploadPath(dataDir, p)) return;
  const rel = relative(uploadsDir(dataDir), resolve(p)).split(sep);
  rmSync(join(uploadsDir(dataDir), rel[0]), { recursive: true, force: true });
}

function sweep(dataDir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(uploadsDir(dataDir));
  } catch {
    return;
  }
  const now = Date.now();
  for (const e of entries) {
    const p = join(uploadsDir(dataDir), e);
    try {
      if (now - statSync(p).mtimeMs > DAY_MS) rmSync(p, { recursive: true, force: true });
    } catch {
      /* gone already */
    }
  }
}


