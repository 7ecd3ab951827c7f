#!/usr/bin/env node
// Build better-sqlite3 for the installed Electron's ABI into .cache/electron-native/abi-<N>/, leaving the
// Node build in node_modules untouched (the CLI and the tests keep using it). Needs the internet once,
// to fetch Electron's headers. The packaged app does not use this: `npm run dist` rebuilds in place.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const abi = require('node-abi').getAbi(electronVersion, 'electron');
const outDir = join(root, '.cache', 'electron-native', `abi-${abi}`);
const target = join(outDir, 'better_sqlite3.node');
if (existsSync(target)) process.exit(0);

console.log(`building better-sqlite3 for Electron ${electronVersion} (ABI ${abi}); this needs the internet once…`);
const work = join(root, '.cache', 'electron-native', 'src');
rmSync(work, { recursive: true, force: true });
cpSync(dirname(require.resolve('better-sqlite3/package.json')), work, { recursive: true, filter: (p) => !p.includes(`${'build'}${'/'}Release`) });
const nodeGyp = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const r = spawnSync(process.execPath, [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], { cwd: work, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
mkdirSync(outDir, { recursive: true });
copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
console.log(`wrote ${target}`);
