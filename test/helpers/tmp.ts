import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const tempDir = (prefix = 'hw-test-'): string => mkdtempSync(join(tmpdir(), prefix));
