import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { appError } from '../../src-shared/api/errors';
import { excerpt } from '../../src-shared/text/excerpt';

/**
 * The one gate every file path from a client goes through (order-book inspect and import).
 *
 * - Browser mode (`roots`): a path may be read when it lies under an allowed root: the data folder, the
 *   user's home folder (unless turned off) and each `--allow-dir` folder. The check is made on the path's
 *   real location (`realpath`), so a symlink inside a root that points outside it is refused.
 * - Electron (`granted`): only paths the user picked in a native file dialog or dropped on the window are
 *   readable (a granted folder grants what is inside it), plus the data folder (uploads and staging).
 *
 * A refusal is a validation error `FILE_NOT_ALLOWED` on the field `path` that quotes the path as the user gave
 * it (a short excerpt) and says how to allow it. A path that does not exist is reported as such only when it
 * would be allowed, so the gate is not an oracle for the existence of files outside the roots.
 */

/** `open`: the CLI, run by the person at the shell, who can read those files anyway: every path is allowed. */
export type FilePolicyMode = 'roots' | 'granted' | 'open';

export interface FilePolicyOptions {
  mode: FilePolicyMode;
  /** The workstation's data folder: always readable (uploads land there). */
  dataDir: string;
  /** Browser mode: also allow the user's home folder (default true). */
  home?: boolean;
  /** Browser mode: extra folders (`--allow-dir`, `HEDGE_ALLOW_DIRS`). */
  allowDirs?: string[];
}

/** Real path of `p`, or of its nearest existing ancestor joined with the rest (for paths not yet created). */
function realOrLexical(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : resolve(realOrLexical(parent), relative(parent, abs));
  }
}

/** True when `child` is `root` or lies inside it (both absolute, normalised). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export class FilePolicy {
  readonly mode: FilePolicyMode;
  private readonly roots: Array<{ real: string; label: string }> = [];
  private readonly grants = new Set<string>();

  constructor(opts: FilePolicyOptions) {
    this.mode = opts.mode;
    this.roots.push({ real: realOrLexical(opts.dataDir), label: 'the data folder' });
    if (opts.mode === 'roots') {
      if (opts.home !== false) this.roots.push({ real: realOrLexical(homedir()), label: 'your home folder' });
      for (const d of opts.allowDirs ?? []) this.roots.push({ real: realOrLexical(d), label: excerpt(d, 80) });
    }
  }

  /** Electron: the user picked or dropped `path`; it (and, for a folder, what is inside) becomes readable. */
  grant(path: string): void {
    this.grants.add(realOrLexical(path));
  }

  /** The folders (real paths) a browser-mode client may read under, for the README and system notes. */
  allowedRoots(): string[] {
    return this.roots.map((r) => r.real);
  }

  /** Whether a real (symlink-free) absolute path may be read. */
  allows(real: string): boolean {
    if (this.mode === 'open') return true;
    if (this.roots.some((r) => isInside(r.real, real))) return true;
    for (const g of this.grants) if (isInside(g, real)) return true;
    return false;
  }

  /**
   * The real path to read for a path a client sent, or a validation error (`FILE_NOT_ALLOWED` when outside
   * the policy, `PATH_NOT_FOUND` when allowed but missing). `field` names the input as the screen does.
   */
  async check(path: string, field = 'path'): Promise<string> {
    const shown = excerpt(path, 80);
    if (path.includes('\0')) throw appError('validation', 'INVALID_INPUT', `the path ${shown} contains a NUL character`, [{ field, message: 'must not contain NUL characters', value: shown }]);
    const lexical = resolve(path);
    let real: string;
    try {
      real = await realpath(lexical);
    } catch {
      // Missing (or unreadable) path: say "not allowed" if it would be outside anyway, else "not found".
      if (!this.allows(realOrLexical(lexical))) throw this.refusal(shown, field, path);
      throw appError('not-found', 'PATH_NOT_FOUND', `no file or folder at ${shown}; check the path (it is read on the machine running the workstation)`, [
        { field, message: 'no file or folder here', value: path },
      ]);
    }
    if (!this.allows(real)) throw this.refusal(shown, field, path);
    return real;
  }

  private refusal(shown: string, field: string, path: string) {
    const how =
      this.mode === 'granted'
        ? 'choose it with Browse… or drop it on the window to let the workstation read it'
        : `the workstation reads files only under ${listWords(this.roots.map((r) => r.label))}; to allow another folder start it with \`npm start -- --allow-dir <folder>\``;
    return appError('validation', 'FILE_NOT_ALLOWED', `${shown} may not be read: ${how}`, [{ field, message: 'outside the folders the workstation may read', value: path }]);
  }
}

const listWords = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** Folders from `HEDGE_ALLOW_DIRS` (separated by the platform's path delimiter, like PATH). */
export function allowDirsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.HEDGE_ALLOW_DIRS ?? '';
  return raw.split(process.platform === 'win32' ? ';' : ':').filter((d) => d.trim() !== '');
}
