import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const SOURCE_WORKER = join(ROOT, 'src-main', 'app', 'worker.ts');
