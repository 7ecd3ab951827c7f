import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The job worker script next to an entry: `worker.js` beside the bundled entries in out/main, or the
 * TypeScript source (run through tsx) when the caller itself runs from src-main (an entry, or a domain's job
 * in src-main/domains/<domain> that starts a helper thread).
 */
export function workerEntry(entryDir: string): string {
  const candidates = [
    join(entryDir, 'worker.js'),
    join(entryDir, '..', 'worker.js'),
    join(entryDir, 'app', 'worker.ts'),
    join(entryDir, '..', 'app', 'worker.ts'),
    join(entryDir, '..', '..', 'app', 'worker.ts'),
  ];
  const hit = candidates.find((p) => existsSync(p));
  if (!hit) throw new Error(`job worker not found next to ${entryDir}`);
  return hit;
}

/** Version from the nearest package.json above this file. */
export function appVersion(from: string = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hedge-workstation') return pkg.version ?? '0.0.0';
    }
    dir = join(dir, '..');
  }
  return '0.0.0';
}
