import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumPlan, needsBrowser, summarize, summaryLine, type VitestReport } from '../../../scripts/test-lib.mjs';

// A real vitest 4 JSON report (test/fixtures/vitest-report-failed-suite.json), written by
// `vitest run --reporter=json` over two files: one that fails to load (import of a missing module, so it has
// status 'failed' and no assertion results) and one with two passing tests and one skipped.
const failedSuite = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'vitest-report-failed-suite.json'), 'utf8')) as VitestReport;

describe('npm test closing line', () => {
  it('counts a test file that failed to load as a failure (the old line said "2 passed, 0 failed")', () => {
    expect(failedSuite.numFailedTests).toBe(0); // what the old line printed as "failed"
    const s = summarize(failedSuite);
    expect(s).toMatchObject({ passed: 2, failed: 1, skipped: 1, files: 2, failedFiles: 1, filesThatDidNotRun: 1, ok: false });
    expect(summaryLine(s)).toBe('test files: 1 of 2 test files failed (1 failed before any test ran)\n2 passed, 1 failed, 1 skipped');
  });

  it('does not count a file twice when its failure is a failed test', () => {
    const report: VitestReport = {
      success: false,
      numPassedTests: 3,
      numFailedTests: 2,
      numPendingTests: 0,
      testResults: [
        { status: 'failed', assertionResults: [{ status: 'passed' }, { status: 'failed' }, { status: 'failed' }] },
        { status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'passed' }] },
      ],
    };
    const s = summarize(report);
    expect(s).toMatchObject({ passed: 3, failed: 2, failedFiles: 1, filesThatDidNotRun: 0, ok: false });
    expect(summaryLine(s)).toBe('test files: 1 of 2 test files failed\n3 passed, 2 failed, 0 skipped');
  });

  it('is ok only when every file passed', () => {
    const s = summarize({ success: true, numPassedTests: 4, numFailedTests: 0, numPendingTests: 1, numTodoTests: 1, testResults: [{ status: 'passed', assertionResults: [] }] });
    expect(s.ok).toBe(true);
    expect(summaryLine(s)).toBe('test files: 0 of 1 test files failed\n4 passed, 0 failed, 2 skipped');
  });
});

describe('Chromium before the tests', () => {
  it('runs the browser check only when the e2e project runs', () => {
    expect(needsBrowser([])).toBe(true);
    expect(needsBrowser(['--project', 'unit'])).toBe(false);
    expect(needsBrowser(['--project=e2e'])).toBe(true);
    expect(needsBrowser(['test/unit/x.test.ts'])).toBe(false);
    expect(needsBrowser(['test/e2e/x.test.ts'])).toBe(true);
  });

  it('installs as root with apt-get, otherwise stops with the one command', () => {
    expect(chromiumPlan({ found: '/usr/bin/chromium', isRoot: false, hasApt: true })).toEqual({ action: 'none' });
    const install = chromiumPlan({ found: null, isRoot: true, hasApt: true });
    expect(install).toEqual({ action: 'install', command: ['apt-get', 'install', '-y', '-qq', 'chromium', 'fonts-dejavu-core'] });
    const stop = chromiumPlan({ found: null, isRoot: false, hasApt: true });
    expect(stop.action).toBe('stop');
    expect(stop.action === 'stop' && stop.message).toContain('sudo apt-get install -y chromium');
  });
});
