#!/usr/bin/env node
// `npm test`: typecheck, lint, build (the end-to-end tests drive the built UI), then every vitest project.
// Ends with the plain summary line `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const run = (label, args) => {
  console.log(`\n== ${label}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
};

if (run('typecheck', [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// Electron's types ship with the electron package, which is absent where its binary could not be downloaded.
if (existsSync(join(root, 'node_modules', 'electron', 'electron.d.ts'))) {
  if (run('typecheck electron main', [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.electron.json']) !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
} else console.log('(electron is not installed here: src-main/electron is bundled but not typechecked)');
// ESLint (eslint.config.mjs): an error fails the run like a type error. Cached, so a re-run lints changed files only.
if (run('lint', [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--cache', '--cache-location', join(root, 'node_modules', '.cache', 'eslint') + '/', '.']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (run('build', [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
writeFileSync(join(root, 'out', '.build-stamp'), new Date().toISOString());
mkdirSync(join(root, 'test-results'), { recursive: true });
const report = join(root, 'test-results', 'vitest.json');
const status = run('tests', [
  join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2),
  '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
]);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`);
}
process.exit(status);
