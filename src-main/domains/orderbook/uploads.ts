import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { appError } from '../../../src-shared/api/errors';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, MAX_UPLOAD_FOLDER_BYTES } from '../../../src-shared/orderbook/contract';

/**
 * Files uploaded through the browser (browser mode has no native file dialog): saved under
 * `<dataDir>/orderbook-uploads/<uuid>/<name>`, then inspected and imported by path like any other file.
 * Several files (a LOBSTER pair, or several pairs) go into ONE such folder: the first upload makes it, the next
 * ones name it (`folder`), and the folder is then inspected and imported like any folder (the LOBSTER import
 * matches the pairs by name). Each file is at most MAX_UPLOAD_BYTES (one WebSocket frame), a folder at most
 * MAX_UPLOAD_FILES files and MAX_UPLOAD_FOLDER_BYTES bytes. An upload is removed once imported; uploads older
 * than a day are swept on the next upload.
 */

const DAY_MS = 24 * 3600 * 1000;

export const uploadsDir = (dataDir: string): string => join(dataDir, 'orderbook-uploads');

export interface SavedUpload {
  /** The saved file. */
  path: string;
  bytes: number;
  /** The upload folder's id (pass it as `folder` to add more files to it) and its path (inspect/import it). */
  folder: string;
  folderPath: string;
  /** Files and bytes in the folder, this one included. */
  files: number;
  folderBytes: number;
}

/** Files and bytes already in an upload folder (0 / 0 when it does not exist). */
export function uploadFolderUsage(dataDir: string, folder: string): { files: number; bytes: number } {
  const dir = join(uploadsDir(dataDir), folder);
  let files = 0;
  let bytes = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isFile()) continue;
      files++;
      bytes += statSync(join(dir, e.name)).size;
    }
  } catch {
    /* no such folder */
  }
  return { files, bytes };
}

/**
 * Save one uploaded file: into a new upload folder, or into `folder` (made by an earlier upload) when given.
 * Refuses an empty file, a file over MAX_UPLOAD_BYTES, a folder that would pass MAX_UPLOAD_FILES files or
 * MAX_UPLOAD_FOLDER_BYTES bytes, a name already in the folder, and a folder that does not exist (any more).
 */
export function saveUpload(dataDir: string, name: string, dataBase64: string, folder?: string): SavedUpload {
  const bytes = Buffer.from(dataBase64, 'base64');
  if (bytes.length === 0) throw appError('validation', 'EMPTY_UPLOAD', `${name} is empty (0 bytes)`, [{ field: 'dataBase64', message: 'the file is empty', value: name }]);
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw appError('validation', 'UPLOAD_TOO_BIG', `${name} is ${bytes.length} bytes; uploads are limited to ${MAX_UPLOAD_BYTES} bytes, import bigger files by path`);
  }
  sweep(dataDir);
  const id = folder ?? randomUUID();
  const dir = join(uploadsDir(dataDir), id);
  if (folder !== undefined) {
    if (!existsSync(dir)) {
      throw appError('not-found', 'UPLOAD_FOLDER_NOT_FOUND', `the upload folder of the earlier files is gone (an import or the daily sweep removed it); upload all the files again`, [
        { field: 'folder', message: 'no such upload folder', value: folder },
      ]);
    }
    const used = uploadFolderUsage(dataDir, folder);
    if (existsSync(join(dir, name))) {
      throw appError('validation', 'UPLOAD_NAME_TAKEN', `two uploaded files are named ${name}; upload files with different names together`, [{ field: 'name', message: 'already uploaded in this folder', value: name }]);
    }
    if (used.files + 1 > MAX_UPLOAD_FILES) {
      throw appError('validation', 'UPLOAD_TOO_MANY_FILES', `at most ${MAX_UPLOAD_FILES} files can be uploaded together (${name} would be file ${used.files + 1}); import more files by path (a folder)`);
    }
    if (used.bytes + bytes.length > MAX_UPLOAD_FOLDER_BYTES) {
      throw appError(
        'validation',
        'UPLOAD_TOO_BIG',
        `files uploaded together are limited to ${MAX_UPLOAD_FOLDER_BYTES} bytes in all; with ${name} they would be ${used.bytes + bytes.length} bytes. Import bigger sets by path (a folder)`,
      );
    }
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const usage = uploadFolderUsage(dataDir, id);
  return { path, bytes: bytes.length, folder: id, folderPath: dir, files: usage.files, folderBytes: usage.bytes };
}

/** True when `p` is inside the uploads folder. */
export function isUploadPath(dataDir: string, p: string): boolean {
  const rel = relative(uploadsDir(dataDir), resolve(p));
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}

/** Delete an uploaded file's folder, or an upload folder (no-op for any other path). */
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
