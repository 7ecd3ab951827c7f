import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/paths';

/**
 * The process-level guard, in a child process of its own (vitest installs its own handlers): a throw from a
 * timer and an unhandled rejection are logged, and the process keeps running (it prints "alive" later and
 * exits 0). Without the guard Node exits with code 1 at the first throw.
 */
describe('process guards (issue 13 item 1)', () => {
  const script = (install: boolean): string => `
    const { installProcessGuards } = require(${JSON.stringify(join(ROOT, 'src-main/host/guards.ts'))});
    if (${install}) installProcessGuards((l) => console.log('LOG ' + l.split('\\n')[0]));
    setTimeout(() => { throw new RangeError('Invalid string length'); }, 10);
    setTimeout(() => { Promise.reject(new Error('lost promise')); }, 20);
    setTimeout(() => console.log('alive'), 80);`;
  const run = (install: boolean) => spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script(install)], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

  it('logs an escaped exception and rejection and keeps the process alive', () => {
    const r = run(true);
    expect(r.stdout).toContain('LOG uncaught exception (the host keeps running): RangeError: Invalid string length');
    expect(r.stdout).toContain('LOG unhandled rejection (the host keeps running): Error: lost promise');
    expect(r.stdout).toContain('alive');
    expect(r.status).toBe(0);
  });

  it('(control) without the guard the same script dies at the first throw', () => {
    const r = run(false);
    expect(r.stdout).not.toContain('alive');
    expect(r.status).toBe(1);
  });
});
