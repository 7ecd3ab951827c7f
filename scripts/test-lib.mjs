// Pure helpers of `npm test` (scripts/test.mjs), kept apart so a unit test can feed them made-up inputs:
// the closing summary line from vitest's JSON report, and what to do when Chromium is missing.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Counts from a vitest JSON report (jest-compatible: numPassedTests, numFailedTests, numPendingTests,
 * numTodoTests, testResults[] with one entry per test file). A file that fails to load (an import error,
 * a missing browser in beforeAll) has `status: 'failed'` and no failed assertion: it counts as a failed
 * file, and its failure is added to `failed` so the line can never read "0 failed" while a file failed.
 */
export function summarize(report) {
  const files = Array.isArray(report?.testResults) ? report.testResults : [];
  const failedFiles = files.filter((f) => f.status === 'failed');
  const withoutFailedTest = failedFiles.filter(
    (f) => !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  );
  const passed = report?.numPassedTests ?? 0;
  const failedTests = report?.numFailedTests ?? 0;
  const skipped = (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0);
  return {
    passed,
    failed: failedTests + withoutFailedTest.length,
    skipped,
    files: files.length,
    failedFiles: failedFiles.length,
    filesThatDidNotRun: withoutFailedTest.length,
    ok: failedTests === 0 && failedFiles.length === 0 && report?.success !== false,
  };
}

/** `test files: F of T test files failed (L with no test run)` and then, alone on the last line, `N passed, N failed, N skipped`. */
export function summaryLine(s) {
  const files = `${s.failedFiles} of ${s.files} test files failed`;
  const notRun = s.filesThatDidNotRun > 0 ? ` (${s.filesThatDidNotRun} failed before any test ran)` : '';
  // The plain `N passed, N failed, N skipped` line stands alone and last, where CI reads it; the file count before it.
  return `test files: ${files}${notRun}\n${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}

/** Whether a vitest argument list will run the end-to-end project (which needs Chromium). */
export function needsBrowser(args) {
  const projects = [];
  const filters = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--project') projects.push(args[++i] ?? '');
    else if (a.startsWith('--project=')) projects.push(a.slice('--project='.length));
    else if (!a.startsWith('-')) filters.push(a);
  }
  if (projects.length > 0) return projects.includes('e2e');
  if (filters.length > 0) return filters.some((f) => f.includes('e2e'));
  return true;
}

/** Debian's chromium on PATH or at the usual places (test/helpers/browser.ts looks in the same order). */
export function findChromium(env = process.env) {
  const candidates = [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'chromium'));
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

export const INSTALL_COMMAND = 'sudo apt-get install -y chromium fonts-dejavu-core';

/**
 * What to do about the browser before the tests start: nothing; install it (root on a machine with apt-get,
 * non-interactive); or stop at once with the one command that installs it.
 */
export function chromiumPlan({ found, isRoot, hasApt }) {
  if (found) return { action: 'none' };
  if (isRoot && hasApt) return { action: 'install', command: ['apt-get', 'install', '-y', '-qq', 'chromium', 'fonts-dejavu-core'] };
  return {
    action: 'stop',
    message:
      'The end-to-end tests drive headless Chromium, which is not installed. Install it with\n' +
      `  ${hasApt ? INSTALL_COMMAND : 'your package manager (Debian/Ubuntu: ' + INSTALL_COMMAND + ')'}\n` +
      'or point CHROMIUM_PATH at a Chromium binary; then run npm test again.',
  };
}
