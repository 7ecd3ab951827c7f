// Types of scripts/test-lib.mjs for the unit test that imports it.
export interface VitestReport {
  success?: boolean;
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: Array<{ name?: string; status?: string; message?: string; assertionResults?: Array<{ status?: string }> }>;
}
export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  files: number;
  failedFiles: number;
  filesThatDidNotRun: number;
  ok: boolean;
}
export function summarize(report: VitestReport): Summary;
export function summaryLine(s: Summary): string;
export function needsBrowser(args: string[]): boolean;
export function findChromium(env?: Record<string, string | undefined>): string | null;
export const INSTALL_COMMAND: string;
export type ChromiumPlan = { action: 'none' } | { action: 'install'; command: string[] } | { action: 'stop'; message: string };
export function chromiumPlan(o: { found: string | null; isRoot: boolean; hasApt: boolean }): ChromiumPlan;
