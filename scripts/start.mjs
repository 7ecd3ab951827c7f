#!/usr/bin/env node
// `npm start`: build what is stale, then open the desktop app if an Electron binary can run here,
// otherwise serve the same UI and handlers on 127.0.0.1 (browser mode) and print the address.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const passthrough = process.argv.slice(2);
const forceBrowser = passthrough.includes('--browser') || process.env.HEDGE_BROWSER === '1';
const args = passthrough.filter((a) => a !== '--browser');

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), st.mtimeMs);
}

function buildIfStale() {
  const stamp = join(root, 'out', '.build-stamp');
  const inputs = ['src-main', 'src-renderer', 'src-shared', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p));
  const srcTime = Math.max(...inputs.filter(existsSync).map(newest));
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= srcTime) return;
  console.log('building the workstation (electron-vite build)…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(stamp, new Date().toISOString());
}

/** Path of a runnable Electron binary, or the reason there is none. */
function electronBinary() {
  if (forceBrowser) return { reason: 'browser mode requested' };
  let bin;
  try {
    bin = require('electron');
  } catch {
    return { reason: 'the electron package is not installed (its binary download needs the internet)' };
  }
  if (typeof bin !== 'string' || !existsSync(bin)) return { reason: 'no Electron binary was downloaded' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'no display ($DISPLAY is not set)' };
  return { bin };
}

buildIfStale();
const electron = electronBinary();
if (electron.bin) {
  // better-sqlite3 is built for Node; Electron needs its own build (downloads Electron's headers once).
  const native = spawnSync(process.execPath, [join(root, 'scripts', 'electron-native.mjs')], { cwd: root, stdio: 'inherit' });
  if (native.status === 0) {
    const child = spawn(electron.bin, [root, ...args], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: '' } });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    console.log('could not prepare better-sqlite3 for Electron; falling back to browser mode');
    browser();
  }
} else {
  console.log(`desktop window unavailable: ${electron.reason}; starting browser mode`);
  browser();
}

function browser() {
  const child = spawn(process.execPath, [join(root, 'out', 'main', 'host.js'), ...args], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
