import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder.yml, parsed with the YAML reader electron-builder itself uses (js-yaml), checked against
// electron-builder's own JSON schema (app-builder-lib/scheme.json) so a misspelt fuse cannot pass.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(s: string): unknown };
const root = join(__dirname, '..', '..', '..');
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean> };
const scheme = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as {
  definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
};

describe('Electron fuses in the packaging config', () => {
  it('turns off RunAsNode, NODE_OPTIONS, inspect flags and file:// privileges; loads only from an checked asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("uses only fuse names electron-builder's schema knows", () => {
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    for (const k of Object.keys(config.electronFuses ?? {})) expect(known).toContain(k);
  });
});
