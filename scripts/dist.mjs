#!/usr/bin/env node
// `npm run dist [-- --linux|--win|--mac]`: build, rebuild native modules for Electron, package installers.
// Needs the internet (Electron zip, packaging tools, Electron headers). Afterwards better-sqlite3 is rebuilt
// for Node again so the CLI and the tests keep working.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = (label, args) => {
  console.log(`== ${label}`);
  return spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
};
const builder = join(root, 'node_modules', 'electron-builder', 'cli.js');
let status = node('build', [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
if (status === 0) status = node('rebuild native modules for Electron', [builder, 'install-app-deps']);
if (status === 0) status = node('package', [builder, '--publish', 'never', ...process.argv.slice(2)]);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
console.log('== restore better-sqlite3 for Node');
spawnSync(npm, ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit' });
process.exit(status);
