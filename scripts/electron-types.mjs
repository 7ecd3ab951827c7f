#!/usr/bin/env node
// Electron's type declarations for typechecking src-main/electron (tsconfig.electron.json), also where the
// Electron binary cannot be downloaded. `electron` is an optional dependency: when its install script fails
// (no internet for the binary) npm removes the whole package, types included. Then this script takes
// electron.d.ts from the same version's npm tarball (`npm pack`, registry only, no binary) and keeps it in
// .cache/electron-types/ — tsconfig.electron.json maps `electron` to node_modules first, this copy second.
// Run as `postinstall` (never fails the install) and by `npm test` (which fails if the types are missing).
// Installing with ELECTRON_SKIP_BINARY_DOWNLOAD=1 keeps the package (and its types) without the binary;
// npm does not pass that variable from .npmrc (it would arrive as npm_config_…, which electron's install.js
// does not read), so .ci/run sets it in the environment.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const INSTALLED_TYPES = join(root, 'node_modules', 'electron', 'electron.d.ts');
export const CACHED_TYPES = join(root, '.cache', 'electron-types', 'electron.d.ts');

/** The Electron version the lockfile pins (else the one package.json asks for). */
export function electronVersion() {
  try {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const v = lock.packages?.['node_modules/electron']?.version;
    if (v) return v;
  } catch {
    /* no lockfile: fall back to package.json */
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return /(\d+\.\d+\.\d+)/.exec(pkg.optionalDependencies.electron)[1];
}

/** First line of the `// Type definitions for Electron X.Y.Z` header, or null. */
function typesVersion(file) {
  try {
    return /Type definitions for Electron (\S+)/.exec(readFileSync(file, 'utf8').slice(0, 200))?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Make sure Electron's types are where tsconfig.electron.json looks. Returns { ok, where } or { ok: false, reason }.
 */
export function ensureElectronTypes() {
  if (existsSync(INSTALLED_TYPES)) return { ok: true, where: 'node_modules/electron' };
  const version = electronVersion();
  if (typesVersion(CACHED_TYPES) === version) return { ok: true, where: '.cache/electron-types' };
  const tmp = mkdtempSync(join(tmpdir(), 'electron-types-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const pack = spawnSync(npm, ['pack', `electron@${version}`, '--silent', '--pack-destination', tmp], {
      cwd: tmp, encoding: 'utf8', shell: process.platform === 'win32',
    });
    if (pack.status !== 0) return { ok: false, reason: `npm pack electron@${version} failed: ${(pack.stderr || pack.stdout || '').trim().split('\n').pop()}` };
    const tgz = join(tmp, pack.stdout.trim().split('\n').pop());
    const tar = spawnSync('tar', ['-xzf', tgz, '-O', 'package/electron.d.ts'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (tar.status !== 0 || !tar.stdout) return { ok: false, reason: `could not extract electron.d.ts from ${tgz}: ${tar.stderr.trim()}` };
    mkdirSync(dirname(CACHED_TYPES), { recursive: true });
    writeFileSync(CACHED_TYPES, tar.stdout);
    return { ok: true, where: '.cache/electron-types' };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = ensureElectronTypes();
  if (r.ok) console.log(`electron types: ${r.where}`);
  else console.warn(`electron types unavailable (${r.reason}); npm test will retry`);
}
