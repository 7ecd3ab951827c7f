import { z } from 'zod';

/**
 * zod 4 probes `new Function` to speed up object parsing; under the renderer's CSP (no 'unsafe-eval') the
 * probe fails and is reported as a CSP violation. Jitless mode skips the probe. Imported first by main.tsx.
 */
z.config({ jitless: true });
