#!/usr/bin/env node
// `npm test`: typecheck (the whole project, then src-main/electron against Electron's types), lint, build (the
// end-to-end tests drive the built UI), then every vitest project. Before anything slow it makes sure
// Chromium is there for the end-to-end tests: installs it (root with apt-get) or stops at once with the
// command that does. Ends with the plain summary line
// `N passed, N failed, N skipped; F of T test files failed` (a test file that fails to load counts as failed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronTypes } from './electron-types.mjs';
import { chromiumPlan, findChromium, needsBrowser, summarize, summaryLine } from './test-lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const vitestArgs = process.argv.slice(2);
const run = (label, args) => {
  console.log(`\n== ${label}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
};
const fail = (why) => {
  console.log(`\n${why}\n0 passed, 1 failed, 0 skipped`);
  process.exit(1);
};

if (needsBrowser(vitestArgs)) {
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  const plan = chromiumPlan({ found: findChromium(), isRoot: process.getuid?.() === 0, hasApt });
  if (plan.action === 'stop') fail(plan.message);
  if (plan.action === 'install') {
    console.log('\n== installing chromium for the end-to-end tests (apt-get)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const ok = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }).status === 0
      && spawnSync(plan.command[0], plan.command.slice(1), { stdio: 'inherit', env }).status === 0;
    if (!ok || !findChromium()) fail(chromiumPlan({ found: null, isRoot: false, hasApt }).message);
  }
}

const tsc = require.resolve('typescript/bin/tsc');
if (run('typecheck', [tsc, '--noEmit', '-p', 'tsconfig.json']) !== 0) fail('typecheck failed');
// Electron's types: from the electron package, or (where its binary could not be downloaded and npm dropped the
// optional package) electron.d.ts of the same version fetched by scripts/electron-types.mjs.
const types = ensureElectronTypes();
if (!types.ok) fail(`src-main/electron cannot be typechecked: Electron's types are missing (${types.reason}). Run: node scripts/electron-types.mjs`);
if (run(`typecheck electron main (types from ${types.where})`, [tsc, '--noEmit', '-p', 'tsconfig.electron.json']) !== 0) fail('typecheck of src-main/electron failed');
// ESLint (eslint.config.mjs): an error fails the run like a type error. Cached, so a re-run lints changed files only.
if (run('lint', [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--cache', '--cache-location', join(root, 'node_modules', '.cache', 'eslint') + '/', '.']) !== 0) fail('lint failed');
if (run('build', [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']) !== 0) fail('build failed');
writeFileSync(join(root, 'out', '.build-stamp'), new Date().toISOString());
mkdirSync(join(root, 'test-results'), { recursive: true });
const report = join(root, 'test-results', 'vitest.json');
rmSync(report, { force: true });
const status = run('tests', [
  join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...vitestArgs,
  '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
]);
if (!existsSync(report)) fail(`vitest wrote no report (exit status ${status})`);
const summary = summarize(JSON.parse(readFileSync(report, 'utf8')));
console.log(`\n${summaryLine(summary)}`);
process.exit(status !== 0 ? status : summary.ok ? 0 : 1);
