// ESLint flat config, run by `npm run lint` and by `npm test` after the typecheck (scripts/test.mjs).
// typescript-eslint's recommended rules over all TypeScript; React's hooks rules (the recommended preset of
// eslint-plugin-react-hooks, compiler-based rules included) over the renderer.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'resources/**', 'build/**', '.cache/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter kept for the signature (e.g. a hook's connection count).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'test/**/*.{js,mjs}', '*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // CommonJS bootstraps (src-main/jobs/tsTask.cjs loads TypeScript task modules for piscina through tsx)
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Published coefficients (Cody's erf/erfc rational approximations) and golden values are quoted with every digit their source
    // prints; the nearest double is the value meant, so the "loses precision" warning says nothing here.
    files: ['src-main/engine/math/normal.ts', 'test/**/*.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },
);
